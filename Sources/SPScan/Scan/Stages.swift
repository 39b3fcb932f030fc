import Foundation
import SPScanCatalog
import SPScanCoverage
import SPScanExtract
import SPScanFetch
import SPScanMatch
import SPScanModel

extension ScanStage {
    /// Reads and validates Framework.yaml.
    public static let loadFramework = ScanStage("load-framework") { context in
        let url = context.paths.framework
        context.framework = try FrameworkLoader.load(from: url, displayPath: ProjectPaths.display(url))
        context.taggerFingerprint = TaggerFingerprint.of(frameworkFile: url)
    }

    /// Opens (or creates) the catalog; a different framework or engine since the last run re-tags everything.
    public static let openCatalog = ScanStage("open-catalog") { context in
        let catalog = try ScanError.openingCatalog { try CatalogDatabase(path: context.paths.catalog, creation: .ifMissing) }
        context.catalog = catalog
        let previous = try catalog.taggerFingerprint()
        context.retagEverything = previous != context.taggerFingerprint
        if previous == nil {
            context.logger.info("a new catalog: every document is extracted and tagged")
        } else if context.retagEverything {
            context.logger.info("the framework, tagger or extractor changed: every document is extracted and tagged again")
        }
    }

    /// `spscan index`: the catalog is emptied and refilled in one transaction by the index stage.
    public static let openCatalogForRebuild = ScanStage("open-catalog") { context in
        context.catalog = try ScanError.openingCatalog { try CatalogDatabase(path: context.paths.catalog, creation: .ifMissingOrEmpty) }
        context.retagEverything = true
        context.rebuildCatalog = true
    }

    /// Extracts main text and passages from each current snapshot the catalog does not hold yet.
    public static let extract = ScanStage("extract") { context in
        let store = try context.store(in: "extract")
        let catalog = try context.catalog(in: "extract")
        let indexed = context.retagEverything ? [:] : try catalog.indexedVersions()
        // A rebuild starts the catalog afresh, so it extracts everything and learns again what is unreadable.
        let unreadable = context.rebuildCatalog ? [:] : try catalog.unreadableSnapshots(extractionMethod: Extractor.capabilities)
        var pending: [(Source, SnapshotRecord)] = []
        let (current, logLines) = try SnapshotExtraction.current(of: context.sources, store: store)
        context.logLines = logLines
        for (source, record) in current {
            if let version = indexed[record.documentID], version.snapshotSHA256 == record.sha256 {
                context.documentCounts.alreadyIndexed += 1
            } else if let sha256 = record.sha256, let known = unreadable[sha256] {
                // The same bytes could not be read before: listed, not extracted again, not a failure of this run.
                context.knownUnreadable.append(
                    DocumentFailure(
                        documentID: record.documentID, sourceID: source.id, url: record.url, error: known.reason,
                        outcome: known.outcome, snapshot: sha256))
            } else {
                pending.append((source, record))
            }
        }
        let pages = context.linkScanner.pages
        let (work, failures) = await SnapshotExtraction.run(pending, store: store, logger: context.logger, pages: pages)
        pages.clear()
        if pages.reusedCount > 0 {
            let count = pages.reusedCount
            context.logger.info(
                "extract: \(count) page\(count == 1 ? "" : "s") read for \(count == 1 ? "its" : "their") links reused, not parsed again")
        }
        context.work = work
        context.documentFailures = failures
        context.documentCounts.processed = work.count
        context.documentCounts.failed = failures.count
        context.documentCounts.knownUnreadable = context.knownUnreadable.count
        context.documentCounts.empty = work.filter { $0.extracted.outcome == .empty }.count
        context.documentCounts.ocr = work.filter { $0.extracted.outcome == .ocr }.count
    }

    /// Tags each extracted document against the framework, with evidence.
    public static let tag = ScanStage("tag") { context in
        let framework = try context.framework(in: "tag")
        guard !context.work.isEmpty else { return }
        let session = try Tagger(framework: framework, frameworkURL: context.paths.framework).session()
        for index in context.work.indices {
            let result = session.tag(context.work[index].extracted)
            context.work[index].tags = result.catalogTags
            context.work[index].scope = result.scope
        }
    }

    /// Writes sources, fetch outcomes, documents, passages, tags and review decisions in one transaction.
    public static let index = ScanStage("index") { context in
        let catalog = try context.catalog(in: "index")
        let registry = try context.registry(in: "index")
        let reviews = try reviewDecisions(at: context.paths.reviews)
        let snapshot = context
        let write: (CatalogWriter) throws -> (DocumentCounts, ScanID) = { writer in
            var counts = snapshot.documentCounts
            let startedAt = ScanJournalEntry.wholeSecond(snapshot.startedAt)
            let scan = try writer.beginScan(startedAt: startedAt)
            try writer.upsertSources(registry.sources)
            try writer.recordInstitutionSpellings(registry.institutions, sources: registry.sources)
            for work in snapshot.work {
                let change = try writer.replaceDocument(
                    TaggedDocument(work), passages: work.extracted.passages,
                    textHash: TextFingerprint.of(work.extracted.text), scan: scan)
                switch change {
                case .new: counts.new += 1
                case .changed: counts.changed += 1
                case .unchanged: counts.textUnchanged += 1
                }
                try writer.recordExtractionOutcome(
                    documentID: work.documentID, outcome: work.extracted.outcome.rawValue, reason: work.extracted.outcomeReason)
            }
            for failure in snapshot.documentFailures where failure.outcome != "error" {
                guard let sha256 = failure.snapshot else { continue }
                try writer.rememberUnreadable(
                    sha256: sha256, extractionMethod: Extractor.capabilities, documentID: failure.documentID,
                    outcome: failure.outcome, reason: failure.error)
            }
            for result in snapshot.fetched {
                if result.records.isEmpty {
                    try writer.recordFetchOutcome(
                        scan: scan, sourceID: result.sourceID, url: result.url, outcome: result.outcome,
                        httpStatus: result.httpStatus, error: result.error)
                }
                for record in result.records {
                    try writer.recordFetchOutcome(
                        scan: scan, sourceID: record.sourceID, url: record.url, outcome: record.outcome,
                        httpStatus: record.httpStatus, error: record.error, documentID: record.documentID)
                }
            }
            let removed =
                snapshot.options.only.isEmpty ? try writer.removeSourcesNotIn(ids: Set(registry.sources.map(\.id)), scan: scan) : []
            try writer.replaceReviews(reviews)
            try writer.recordTaggerFingerprint(snapshot.taggerFingerprint)
            let finishedAt = max(startedAt, ScanJournalEntry.wholeSecond(Date()))
            try writer.finishScan(scan, finishedAt: finishedAt)
            // Journaled before the catalog commits: a scan the catalog holds is always one a rebuild replays.
            try ScanJournal(corpus: snapshot.paths.corpus).append(
                ScanHistory.entry(snapshot, scan: scan, removed: removed, startedAt: startedAt, finishedAt: finishedAt))
            return (counts, scan)
        }
        (context.documentCounts, context.scanID) = try catalog.write("index the scan", write)
    }

    /// Sums up coverage for the scan summary: by country, institution type and target group, and the largest gaps.
    public static let summarise = ScanStage("summarise") { context in
        let catalog = try context.catalog(in: "summarise")
        let framework = try context.framework(in: "summarise")
        let documents = try catalog.taggedDocuments(evidence: .none)
        context.coverage = CoverageSummary(documents: documents, framework: framework)
    }

    static func reviewDecisions(at url: URL) throws -> [ReviewDecision] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try ReviewFile.load(from: url, displayPath: ProjectPaths.display(url))
    }
}

/// What `spscan index` did.
public struct IndexReport: Sendable, Encodable {
    public var sources: Int
    public var documents: DocumentCounts
    public var failures: [DocumentFailure]
    public var coverage: CoverageSummary?
}
