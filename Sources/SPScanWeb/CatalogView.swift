import Foundation
import SPScanCatalog
import SPScanModel
import Synchronization

/// The catalog as the server reads it: the database for queries, every document (tags without evidence) kept
/// in memory for the matrix, and the API's answers, each kept until the catalog file changes.
///
/// Building the matrix needs every document; reading ten thousand of them takes far longer than building the
/// matrix from memory, and the catalog changes only when a scan or a review writes. The file's size and
/// modification time (the database and its write-ahead log) say when it did, whoever wrote it: this server,
/// a scheduled scan, or `spscan scan` from a terminal.
final class CatalogView: Sendable {
    let database: CatalogDatabase
    let path: URL

    private struct Stamp: Equatable {
        var database: [Double]
        var log: [Double]
    }

    private struct Snapshot {
        var stamp: Stamp
        var loadedAt: Date
        var documents: [TaggedDocument]
        var hasSamples: Bool
        var vocabulary: FilterVocabulary
        /// Answers and page inputs keyed by request, dropped with the snapshot.
        var kept: [String: any Sendable] = [:]
    }

    private let state = Mutex<Snapshot?>(nil)

    init(database: CatalogDatabase, path: URL) {
        self.database = database
        self.path = path
    }

    /// The documents (tags, no evidence) with review decisions applied, read again when the catalog changed.
    func documents() throws -> [TaggedDocument] { try current().documents }

    /// Whether any document was tagged from an authored sample rather than a capture: the pages say so.
    func hasSamples() throws -> Bool { try current().hasSamples }

    func regions() throws -> [String] { try current().vocabulary.regions }

    /// The institutions and regions a filter may name.
    func vocabulary() throws -> FilterVocabulary { try current().vocabulary }

    /// The answer for `key` made once per catalog version.
    func rendered(_ key: String, make: ([TaggedDocument]) throws -> Data) throws -> Data {
        try kept("rendered|" + key, make: make)
    }

    /// What `make` computes from the documents (a matrix, a gap list with its near misses, the scans and their
    /// changes), made once per catalog version and request: a page is then only its HTML, whatever the catalog's
    /// size. Only what depends on the catalog alone belongs here, never a reviewer's name or the clock.
    func kept<Value: Sendable>(_ key: String, make: ([TaggedDocument]) throws -> Value) throws -> Value {
        let snapshot = try current()
        if let value = snapshot.kept[key] as? Value { return value }
        let value = try make(snapshot.documents)
        state.withLock { current in
            // Keep it only if the catalog did not change meanwhile, and bound the memory a crawler of every
            // filter combination could take (answers are 1 to 200 KB).
            guard current?.stamp == snapshot.stamp else { return }
            if (current?.kept.count ?? 0) >= 256 { current?.kept.removeAll() }
            current?.kept[key] = value
        }
        return value
    }

    /// Drops what is kept, after this server wrote: the file stamp may not move within its clock's resolution.
    func invalidate() {
        state.withLock { $0 = nil }
    }

    /// How long a snapshot is kept although the file changed: a running scan commits several times a second,
    /// and reading every document after each commit would slow every page for the length of the scan.
    static let freshness: TimeInterval = 1

    private func current() throws -> Snapshot {
        let stamp = self.stamp()
        if let snapshot = state.withLock({ $0 }),
            snapshot.stamp == stamp || Date().timeIntervalSince(snapshot.loadedAt) < Self.freshness
        {
            return snapshot
        }
        let documents = try database.taggedDocuments(filter: .all, evidence: .none)
        let snapshot = Snapshot(
            stamp: stamp, loadedAt: Date(), documents: documents, hasSamples: documents.contains { $0.origin == .sample },
            vocabulary: try database.filterVocabulary())
        state.withLock { $0 = snapshot }
        return snapshot
    }

    private func stamp() -> Stamp {
        func of(_ path: String) -> [Double] {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return [] }
            let size = (attributes[.size] as? NSNumber)?.doubleValue ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            return [size, modified]
        }
        return Stamp(database: of(path.path), log: of(path.path + "-wal"))
    }
}
