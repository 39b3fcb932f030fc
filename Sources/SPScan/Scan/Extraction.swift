import Foundation
import Logging
import SPScanCatalog
import SPScanExtract
import SPScanFetch
import SPScanMatch
import SPScanModel

/// One snapshot on its way into the catalog: extracted by the extract stage, tagged by the tag stage.
public struct DocumentWork: Sendable {
    public var source: Source
    public var record: SnapshotRecord
    public var documentID: String
    public var extracted: ExtractedDocument
    public var tags: [Tag] = []
    /// The scope judgement made with the tags; nil before tagging.
    public var scope: ScopeJudgement?
}

/// A document whose snapshot could not be extracted; the catalog keeps its previous version.
public struct DocumentFailure: Error, Sendable, Hashable, Encodable {
    public var documentID: String
    public var sourceID: String
    public var url: String
    public var error: String
    /// `unreadable` or `scanned` when the document's bytes could not be read (remembered by their hash, so that
    /// the next scan does not try again); `error` when the failure was ours (e.g. the stored body is missing).
    public var outcome: String = "error"
    /// The snapshot's content hash.
    public var snapshot: String?

    public init(documentID: String, sourceID: String, url: String, error: String, outcome: String = "error", snapshot: String? = nil) {
        self.documentID = documentID
        self.sourceID = sourceID
        self.url = url
        self.error = error
        self.outcome = outcome
        self.snapshot = snapshot
    }
}

/// What the extract, tag and index stages did to documents.
public struct DocumentCounts: Sendable, Hashable, Encodable {
    /// Snapshots extracted and tagged in this run.
    public var processed = 0
    /// Snapshots already indexed with the same framework: left as they were.
    public var alreadyIndexed = 0
    public var failed = 0
    /// Snapshots whose same bytes could not be read before: not extracted again, not a failure of this run.
    public var knownUnreadable = 0
    /// Of the processed documents: without any text (`empty`), and read by OCR.
    public var empty = 0
    public var ocr = 0
    /// Of the processed documents: first seen, extracted text changed, extracted text the same.
    public var new = 0
    public var changed = 0
    public var textUnchanged = 0

    enum CodingKeys: String, CodingKey {
        case processed, failed, new, changed, empty, ocr
        case knownUnreadable = "known_unreadable"
        case alreadyIndexed = "already_indexed"
        case textUnchanged = "text_unchanged"
    }
}

/// Extracts the current snapshots of sources, in parallel across the machine's cores.
enum SnapshotExtraction {
    /// The snapshots to index: for each source, the current snapshot of each of its URLs; and how many lines
    /// each source's log holds, which the scan journals so that `spscan index` can replay it.
    static func current(of sources: [Source], store: SnapshotStore) throws -> (
        snapshots: [(Source, SnapshotRecord)], logLines: [String: Int]
    ) {
        var snapshots: [(Source, SnapshotRecord)] = []
        var logLines: [String: Int] = [:]
        for source in sources {
            let records = try store.records(sourceID: source.id)
            logLines[source.id] = records.count
            snapshots += SnapshotStore.current(of: records).map { (source, $0) }
        }
        return (snapshots, logLines)
    }

    static func run(
        _ snapshots: [(Source, SnapshotRecord)], store: SnapshotStore, logger: Logger, pages: ExtractedPages? = nil
    ) async -> (work: [DocumentWork], failures: [DocumentFailure]) {
        let extractor = Extractor()
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var results: [Int: Result<DocumentWork, DocumentFailure>] = [:]
        await withTaskGroup(of: (Int, Result<DocumentWork, DocumentFailure>).self) { group in
            var next = 0
            func launch() {
                guard next < snapshots.count else { return }
                let index = next
                let (source, record) = snapshots[index]
                next += 1
                group.addTask { (index, extract(source: source, record: record, store: store, extractor: extractor, pages: pages)) }
            }
            for _ in 0..<workers { launch() }
            for await (index, result) in group {
                results[index] = result
                launch()
            }
        }
        var work: [DocumentWork] = []
        var failures: [DocumentFailure] = []
        for index in snapshots.indices {
            switch results[index] {
            case .success(let item): work.append(item)
            case .failure(let failure):
                logger.warning("extract: \(failure.documentID) (\(failure.url)): \(failure.error)")
                failures.append(failure)
            case nil: break
            }
        }
        return (work, failures)
    }

    static func extract(
        source: Source, record: SnapshotRecord, store: SnapshotStore, extractor: Extractor, pages: ExtractedPages? = nil
    ) -> Result<DocumentWork, DocumentFailure> {
        let documentID = record.documentID
        func failure(_ message: String) -> Result<DocumentWork, DocumentFailure> {
            .failure(DocumentFailure(documentID: documentID, sourceID: source.id, url: record.url, error: message))
        }
        guard let sha256 = record.sha256 else { return failure("the snapshot record has no stored body") }
        let base = URL(string: record.finalURL ?? record.url)
        if let base, let kept = pages?.take(.init(sha256: sha256, baseURL: base.absoluteString, contentType: record.contentType)) {
            return .success(DocumentWork(source: source, record: record, documentID: documentID, extracted: kept))
        }
        let data: Data
        do {
            data = try store.data(sha256: sha256)
        } catch {
            // A pruned snapshot: its text was kept in its place, so a rebuild replays the version it made.
            if let kept = PrunedTexts(corpus: store.corpus).extracted(sha256: sha256) {
                return .success(DocumentWork(source: source, record: record, documentID: documentID, extracted: kept))
            }
            return failure((error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
        do {
            let document = try extractor.extractTyped(
                data, contentType: record.contentType, filename: base?.lastPathComponent, baseURL: base)
            return .success(DocumentWork(source: source, record: record, documentID: documentID, extracted: document))
        } catch {
            // The bytes themselves cannot be read: the same bytes will not read better next time.
            let remembered = error.isFinalForTheseBytes
            return .failure(
                DocumentFailure(
                    documentID: documentID, sourceID: source.id, url: record.url, error: error.errorDescription ?? "\(error)",
                    outcome: remembered ? error.outcome.rawValue : "error", snapshot: sha256))
        }
    }
}

enum TaggerFingerprint {
    /// Changes whenever the framework file, the engine version or the extraction method changes, so that every
    /// document is extracted and tagged again.
    static func of(frameworkFile: URL) -> String {
        let data = FileManager.default.contents(atPath: frameworkFile.path) ?? Data()
        return SHA256.hex(data + Data("spscan \(SPScanVersion.current) extraction \(Extractor.methodRevision)".utf8))
    }
}

extension TaggedDocument {
    /// The catalog's view of a processed snapshot: the source's facets, the document's own title and language.
    init(_ work: DocumentWork) {
        let title = work.extracted.title.flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            id: work.documentID, source: work.source, url: work.record.finalURL ?? work.record.url,
            title: work.record.depth == 0 ? work.source.title : (title ?? work.record.url),
            language: work.extracted.language, origin: work.record.origin, snapshotSHA256: work.record.sha256,
            fetchedAt: work.record.fetchedAt, tags: work.tags, scope: work.scope)
    }
}
