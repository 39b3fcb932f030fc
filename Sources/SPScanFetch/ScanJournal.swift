import Foundation
import SPScanModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One scan as `Corpus/scans.jsonl` remembers it: enough to replay it from the source logs.
///
/// The catalog is derived, history included: `spscan index` walks these lines in order and, for each scan,
/// takes every covered source's log as it stood when the scan ended (its first `log_lines` lines). Positions
/// rather than times tie a log line to its scan, because two scans can run within the same second and
/// samples imported between scans carry no scan at all: they belong to the next scan that read them.
public struct ScanJournalEntry: Hashable, Sendable, Codable {
    /// A source the scan read, in the order the scan read them.
    public struct CoveredSource: Hashable, Sendable, Codable {
        public var id: String
        /// Complete lines in the source's log when the scan ended.
        public var logLines: Int
        /// Of those, how many this scan's fetch appended (the last ones): its fetch outcomes.
        public var fetched: Int
        /// The outcome of a fetch that appended nothing (offline, or offline without a snapshot).
        public var outcome: UnloggedOutcome?

        public init(id: String, logLines: Int, fetched: Int = 0, outcome: UnloggedOutcome? = nil) {
            self.id = id
            self.logLines = logLines
            self.fetched = fetched
            self.outcome = outcome
        }

        enum CodingKeys: String, CodingKey {
            case id
            case logLines = "log_lines"
            case fetched
            case outcome
        }
    }

    /// A fetch outcome that left no line in the log.
    public struct UnloggedOutcome: Hashable, Sendable, Codable {
        public var url: String
        public var outcome: FetchOutcome
        public var httpStatus: Int?
        public var error: String?

        public init(url: String, outcome: FetchOutcome, httpStatus: Int? = nil, error: String? = nil) {
            self.url = url
            self.outcome = outcome
            self.httpStatus = httpStatus
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case url
            case outcome
            case httpStatus = "http_status"
            case error
        }
    }

    /// What ran: `scan` (spscan scan) or `index` (an index that found snapshots no scan had read).
    public enum Kind: String, Hashable, Sendable, Codable {
        case scan
        case index
    }

    /// The catalog's number for the scan when it was recorded (a replay numbers scans afresh, in order).
    public var scan: Int64
    public var kind: Kind
    public var startedAt: Date
    public var finishedAt: Date
    /// Sources taken out of the catalog because Sources.yaml no longer listed them.
    public var removedSources: [String]
    public var sources: [CoveredSource]

    public init(
        scan: Int64, kind: Kind, startedAt: Date, finishedAt: Date, removedSources: [String] = [], sources: [CoveredSource]
    ) {
        self.scan = scan
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.removedSources = removedSources
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey {
        case scan
        case kind
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case removedSources = "removed_sources"
        case sources
    }

    /// A scan's times are kept to the second, in the journal and in the catalog alike, so that a replayed
    /// scan carries exactly the times of the one it replays.
    public static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

/// `Corpus/scans.jsonl`: one line per scan, appended after the scan's snapshots and log lines, never rewritten.
///
/// Appends are one `write` followed by an fsync; a line cut short by a crash has no newline and is ignored
/// when reading, and trimmed before the next append, as in the source logs.
public struct ScanJournal: Sendable {
    public let path: String

    public init(corpus: URL) {
        path = corpus.standardizedFileURL.appendingPathComponent("scans.jsonl").path
    }

    private static let encoder = LogDate.encoder()
    private static let decoder = LogDate.decoder()

    /// Every complete entry, oldest first; none when no scan has been journaled yet.
    public func entries() throws -> [ScanJournalEntry] {
        guard let contents = FileManager.default.contents(atPath: path) else { return [] }
        var entries: [ScanJournalEntry] = []
        var number = 0
        var start = contents.startIndex
        while let newline = contents[start...].firstIndex(of: UInt8(ascii: "\n")) {
            number += 1
            defer { start = contents.index(after: newline) }
            guard newline > start else { continue }
            do {
                entries.append(try Self.decoder.decode(ScanJournalEntry.self, from: contents[start..<newline]))
            } catch {
                throw FetchError.corruptLog(path: path, line: number, reason: SnapshotStore.reason(error))
            }
        }
        return entries
    }

    /// Appends one entry and makes it durable before returning.
    public func append(_ entry: ScanJournalEntry) throws {
        var line = try Self.encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.corpusUnwritable(path: path, reason: SnapshotStore.errnoText()) }
        defer { close(fd) }
        let isNew = lseek(fd, 0, SEEK_END) == 0
        try SnapshotStore.trimPartialLine(fd, path: path)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw FetchError.corpusUnwritable(path: path, reason: SnapshotStore.errnoText())
        }
        if isNew {
            let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if folder >= 0 {
                fsync(folder)
                close(folder)
            }
        }
    }
}

extension SnapshotStore {
    /// For each URL of `records` (in the order first seen), the snapshot to extract: the latest record with a
    /// body, a capture preferred over a sample. `current(sourceID:)` is this over the whole log; a replay
    /// passes the log as it stood at a past scan.
    public static func current(of records: some Sequence<SnapshotRecord>) -> [SnapshotRecord] {
        var order: [String] = []
        var latestCapture: [String: SnapshotRecord] = [:]
        var latestSample: [String: SnapshotRecord] = [:]
        for record in records where record.sha256 != nil {
            if latestCapture[record.url] == nil, latestSample[record.url] == nil { order.append(record.url) }
            switch record.origin {
            case .capture: latestCapture[record.url] = record
            case .sample: latestSample[record.url] = record
            }
        }
        return order.compactMap { latestCapture[$0] ?? latestSample[$0] }
    }
}
