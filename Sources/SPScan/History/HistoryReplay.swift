import Foundation
import Logging
import SPScanCatalog
import SPScanFetch
import SPScanMatch
import SPScanModel

// The catalog is derived, history included. A scan journals what it read (`Corpus/scans.jsonl`: each covered
// source's log length and how many of those lines its fetch appended); `spscan index` replays those scans in
// order over the logs as they stood, so that the scans, fetch outcomes, versions and change events of a
// rebuilt catalog are those of the catalog built scan by scan. What a replay cannot know it takes from the
// files as they are now: Sources.yaml's facets and Framework.yaml's vocabulary (a history made under another
// framework is re-tagged with this one), and a source no longer in Sources.yaml is not replayed.

extension ScanStage {
    /// `spscan index`: every journaled scan replayed into an emptied catalog, in one transaction, then one
    /// more scan (journaled too) for snapshots that no scan has read yet: samples imported since, or a corpus
    /// older than the journal.
    public static let replayHistory = ScanStage("replay-history") { context in
        let store = try context.store(in: "replay-history")
        let catalog = try context.catalog(in: "replay-history")
        let registry = try context.registry(in: "replay-history")
        let framework = try context.framework(in: "replay-history")
        let journal = ScanJournal(corpus: context.paths.corpus)
        let entries = try journal.entries()
        var replay = try HistoryReplay(store: store, registry: registry, framework: framework, logger: context.logger)
        var scans: [HistoryReplay.ReplayedScan] = []
        for entry in entries { scans.append(try await replay.replay(entry)) }
        let catchUp = try await replay.replay(replay.catchUpEntry(startedAt: context.startedAt))
        let recordsCatchUp = !catchUp.work.isEmpty
        if recordsCatchUp { scans.append(catchUp) }
        if !replay.skippedSources.isEmpty {
            context.logger.warning(
                "not replayed (no longer in Sources.yaml): \(replay.skippedSources.sorted().joined(separator: ", "))")
        }
        let reviews = try reviewDecisions(at: context.paths.reviews)
        let fingerprint = context.taggerFingerprint
        let sources = registry.sources
        let counts = try catalog.rebuild { writer -> DocumentCounts in
            var counts = DocumentCounts()
            try writer.upsertSources(sources)
            try writer.recordInstitutionSpellings(registry.institutions, sources: sources)
            for (index, replayed) in scans.enumerated() {
                let scan = try writer.beginScan(startedAt: replayed.entry.startedAt)
                for work in replayed.work {
                    let change = try writer.replaceDocument(
                        TaggedDocument(work), passages: work.extracted.passages,
                        textHash: TextFingerprint.of(work.extracted.text), scan: scan)
                    counts.count(change)
                }
                for outcome in replayed.outcomes {
                    try writer.recordFetchOutcome(
                        scan: scan, sourceID: outcome.sourceID, url: outcome.url, outcome: outcome.outcome,
                        httpStatus: outcome.httpStatus, error: outcome.error, documentID: outcome.documentID)
                }
                if !replayed.entry.removedSources.isEmpty {
                    try writer.removeSources(replayed.entry.removedSources, scan: scan)
                }
                try writer.finishScan(scan, finishedAt: replayed.entry.finishedAt)
                counts.processed += replayed.work.count
                if recordsCatchUp, index == scans.count - 1 {
                    var entry = replayed.entry
                    entry.scan = scan.rawValue
                    try journal.append(entry)
                }
            }
            try writer.replaceReviews(reviews)
            try writer.recordTaggerFingerprint(fingerprint)
            return counts
        }
        context.documentCounts = counts
        context.documentFailures = replay.failures
        context.documentCounts.failed = replay.failures.count
    }
}

extension DocumentCounts {
    mutating func count(_ change: DocumentChange) {
        switch change {
        case .new: new += 1
        case .changed: changed += 1
        case .unchanged: textUnchanged += 1
        }
    }
}

/// Replays journaled scans over the source logs, one at a time, keeping what the catalog would hold between
/// them: which snapshot each document was last indexed from.
struct HistoryReplay {
    /// A fetch outcome as the index stage records it.
    struct Outcome {
        var sourceID: String
        var url: String
        var outcome: FetchOutcome
        var httpStatus: Int?
        var error: String?
        var documentID: String?
    }

    /// One scan ready to write: its documents extracted and tagged, its fetch outcomes in order.
    struct ReplayedScan {
        var entry: ScanJournalEntry
        var work: [DocumentWork]
        var outcomes: [Outcome]
    }

    let store: SnapshotStore
    let sources: [String: Source]
    let registry: Registry
    let session: TaggingSession
    let logger: Logger
    private var logs: [String: [SnapshotRecord]] = [:]
    /// The snapshot each document was last indexed from, and its source.
    private var indexed: [String: (sha256: String?, sourceID: String)] = [:]
    private var failing: [String: DocumentFailure] = [:]
    private var failureOrder: [String] = []
    private(set) var skippedSources: Set<String> = []

    init(store: SnapshotStore, registry: Registry, framework: Framework, logger: Logger) throws {
        self.store = store
        self.registry = registry
        sources = Dictionary(registry.sources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        session = try Tagger(framework: framework).session()
        self.logger = logger
    }

    /// The documents whose latest attempt could not be extracted, in the order first met.
    var failures: [DocumentFailure] { failureOrder.compactMap { failing[$0] } }

    private mutating func log(_ sourceID: String) throws -> [SnapshotRecord] {
        if let log = logs[sourceID] { return log }
        let log = try store.records(sourceID: sourceID)
        logs[sourceID] = log
        return log
    }

    /// A scan over every source of Sources.yaml with the logs as they are now, for what no journaled scan read.
    mutating func catchUpEntry(startedAt: Date) throws -> ScanJournalEntry {
        var covered: [ScanJournalEntry.CoveredSource] = []
        for source in registry.sources {
            covered.append(ScanJournalEntry.CoveredSource(id: source.id, logLines: try log(source.id).count))
        }
        let start = ScanJournalEntry.wholeSecond(startedAt)
        return ScanJournalEntry(
            scan: 0, kind: .index, startedAt: start, finishedAt: max(start, ScanJournalEntry.wholeSecond(Date())),
            sources: covered)
    }

    mutating func replay(_ entry: ScanJournalEntry) async throws -> ReplayedScan {
        var pending: [(Source, SnapshotRecord)] = []
        var outcomes: [Outcome] = []
        for covered in entry.sources {
            guard let source = sources[covered.id] else {
                skippedSources.insert(covered.id)
                continue
            }
            let log = try log(covered.id)
            let end = min(max(0, covered.logLines), log.count)
            for record in SnapshotStore.current(of: log[..<end]) where indexed[record.documentID]?.sha256 != record.sha256 {
                pending.append((source, record))
            }
            if let outcome = covered.outcome {
                outcomes.append(
                    Outcome(
                        sourceID: covered.id, url: outcome.url, outcome: outcome.outcome, httpStatus: outcome.httpStatus,
                        error: outcome.error))
            }
            for record in log[max(0, end - covered.fetched)..<end] {
                outcomes.append(
                    Outcome(
                        sourceID: record.sourceID, url: record.url, outcome: record.outcome, httpStatus: record.httpStatus,
                        error: record.error, documentID: record.documentID))
            }
        }
        var (work, failures) = await SnapshotExtraction.run(pending, store: store, logger: logger)
        for index in work.indices {
            let result = session.tag(work[index].extracted)
            work[index].tags = result.catalogTags
            work[index].scope = result.scope
            indexed[work[index].documentID] = (work[index].record.sha256, work[index].source.id)
            failing[work[index].documentID] = nil
        }
        for failure in failures {
            if failing[failure.documentID] == nil { failureOrder.append(failure.documentID) }
            failing[failure.documentID] = failure
        }
        if !entry.removedSources.isEmpty {
            let removed = Set(entry.removedSources)
            indexed = indexed.filter { !removed.contains($0.value.sourceID) }
        }
        return ReplayedScan(entry: entry, work: work, outcomes: outcomes)
    }
}

/// What the index stage of a scan journals: the sources it read, their log lengths, its fetch outcomes.
enum ScanHistory {
    static func entry(
        _ context: ScanContext, scan: ScanID, removed: [String], startedAt: Date, finishedAt: Date
    ) -> ScanJournalEntry {
        var results: [String: SourceFetchResult] = [:]
        for result in context.fetched where results[result.sourceID] == nil { results[result.sourceID] = result }
        let covered = context.sources.map { source in
            let result = results[source.id]
            let outcome = result.flatMap { result in
                result.records.isEmpty
                    ? ScanJournalEntry.UnloggedOutcome(
                        url: result.url, outcome: result.outcome, httpStatus: result.httpStatus, error: result.error)
                    : nil
            }
            return ScanJournalEntry.CoveredSource(
                id: source.id, logLines: context.logLines[source.id] ?? 0, fetched: result?.records.count ?? 0,
                outcome: outcome)
        }
        return ScanJournalEntry(
            scan: scan.rawValue, kind: .scan, startedAt: startedAt, finishedAt: finishedAt, removedSources: removed,
            sources: covered)
    }
}
