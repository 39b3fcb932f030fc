import Foundation
import GRDB
import SPScanModel

/// A scan's row id: every fetch outcome, new version and change is recorded against one.
public struct ScanID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: Int64

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: ScanID, rhs: ScanID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A plain number in JSON (`"scan": 3`), as every typed id is: the type is for the compiler, not for scripts.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The SQLite catalog: the one owner of the database writer, with intent-named writes and the reads that the
/// commands, the coverage matrix and the report are built from.
///
/// A file catalog runs in WAL mode through a `DatabasePool`, so that `spscan serve` can read while a scheduled
/// scan writes; the in-memory variant (a `DatabaseQueue`) is for tests.
public final class CatalogDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Where the catalog lives; nil in memory.
    public let path: URL?

    /// Opens the catalog at `path`, creating it (and its parent folders) when missing, and migrates it.
    public init(path: URL) throws {
        self.path = path
        let display = path.path
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw CatalogError.unreadable(path: display, reason: "cannot create its folder (\(error.localizedDescription))")
        }
        do {
            writer = try DatabasePool(path: display, configuration: Self.configuration)
        } catch {
            throw CatalogError.unreadable(path: display, reason: Self.reason(error))
        }
        try migrate(display: display)
    }

    /// A catalog that lives in memory only, for tests.
    public init() throws {
        path = nil
        do {
            writer = try DatabaseQueue(configuration: Self.configuration)
        } catch {
            throw CatalogError.unreadable(path: ":memory:", reason: Self.reason(error))
        }
        try migrate(display: ":memory:")
    }

    /// Opens an existing catalog for reading and review; a missing file tells the user how to build one,
    /// instead of leaving an empty catalog behind that would answer every query with nothing.
    public static func openExisting(path: URL) throws -> CatalogDatabase {
        guard FileManager.default.fileExists(atPath: path.path) else {
            throw CatalogError.notBuilt(path: path.path)
        }
        return try CatalogDatabase(path: path)
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A reader or a second writer waits for a scan's commit instead of failing at once.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // In WAL mode, NORMAL loses no committed data on a crash of the process, only on power loss, and
            // makes each commit far cheaper; the catalog is derived and can always be rebuilt.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The full-text index merges its segments while a scan writes; a page cache larger than SQLite's 2 MB
            // default keeps those merges in memory.
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        return configuration
    }

    private func migrate(display: String) throws {
        let migrator = CatalogMigrations.migrator
        do {
            let superseded = try writer.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded { throw CatalogError.newerSchema(path: display) }
            try migrator.migrate(writer)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.unreadable(path: display, reason: Self.reason(error))
        }
    }

    static func reason(_ error: Error) -> String {
        if let database = error as? DatabaseError { return database.message ?? database.description }
        return error.localizedDescription
    }

    // MARK: Transactions

    /// Runs several writes in one transaction: a pipeline stage writes a batch of documents per commit, and
    /// either all of them land or none.
    public func write<T>(_ operation: String = "write", _ body: (CatalogWriter) throws -> T) throws -> T {
        try perform(operation) {
            try writer.write { db in try body(CatalogWriter(db: db)) }
        }
    }

    /// Empties every table and refills the catalog in one transaction: `spscan index` calls it with a body
    /// that replays Sources.yaml, Corpus/ and Reviews.yaml. Readers see the old catalog until the commit.
    ///
    /// The schema is kept (migrations are frozen), and the full-text index is cleared in one command rather
    /// than one passage at a time.
    public func rebuild<T>(_ body: (CatalogWriter) throws -> T) throws -> T {
        try perform("rebuild") {
            try writer.write { db in
                try CatalogWriter(db: db).removeEverything()
                return try body(CatalogWriter(db: db))
            }
        }
    }

    /// Reads through the pool: concurrent with writes in WAL mode, and always a consistent snapshot.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try perform(operation) { try writer.read(body) }
    }

    private func perform<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError.database(operation: operation, reason: Self.reason(error))
        }
    }

    // MARK: Single writes, each in its own transaction

    /// Records the start of a scan; outcomes, versions and changes are recorded against the id it returns.
    public func beginScan(startedAt: Date) throws -> ScanID {
        try write("begin a scan") { try $0.beginScan(startedAt: startedAt) }
    }

    public func finishScan(_ scan: ScanID, finishedAt: Date) throws {
        try write("finish scan \(scan)") { try $0.finishScan(scan, finishedAt: finishedAt) }
    }

    public func recordFetchOutcome(
        scan: ScanID, sourceID: String, url: String, outcome: FetchOutcome, httpStatus: Int? = nil, error: String? = nil,
        documentID: String? = nil
    ) throws {
        try write("record the fetch of \(url)") {
            try $0.recordFetchOutcome(
                scan: scan, sourceID: sourceID, url: url, outcome: outcome, httpStatus: httpStatus, error: error,
                documentID: documentID)
        }
    }

    public func upsertSource(_ source: Source) throws {
        try write("save source '\(source.id)'") { try $0.upsertSource(source) }
    }

    @discardableResult
    public func replaceDocument(_ document: TaggedDocument, passages: [Passage], textHash: String, scan: ScanID?) throws
        -> DocumentChange
    {
        try write("save document '\(document.id)'") {
            try $0.replaceDocument(document, passages: passages, textHash: textHash, scan: scan)
        }
    }

    @discardableResult
    public func removeSourcesNotIn(ids: Set<String>, scan: ScanID? = nil) throws -> [String] {
        try write("remove sources no longer in Sources.yaml") { try $0.removeSourcesNotIn(ids: ids, scan: scan) }
    }

    public func replaceReviews(_ decisions: [ReviewDecision]) throws {
        try write("load review decisions") { try $0.replaceReviews(decisions) }
    }

    /// Loads Reviews.yaml (a missing file means no decisions) and makes it the catalog's set of decisions:
    /// what `spscan scan` and `spscan index` call so that decisions survive every rebuild.
    @discardableResult
    public func replaceReviews(from file: URL, displayPath: String? = nil) throws -> [ReviewDecision] {
        let decisions = try ReviewFile.load(from: file, displayPath: displayPath)
        try replaceReviews(decisions)
        return decisions
    }

    public func recordReview(_ decision: ReviewDecision) throws {
        try write("record the review of '\(decision.documentID)' \(decision.competency)") { try $0.recordReview(decision) }
    }
}
