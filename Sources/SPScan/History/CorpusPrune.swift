import Foundation
import SPScanExtract
import SPScanFetch
import SPScanModel
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Retention without losing the history. A snapshot's bytes are what a rebuild extracts a past version from,
// so `spscan corpus prune` keeps, for every object it deletes, the text extracted from it
// (`Corpus/pruned/<xx>/<sha256>.json.deflate`), and a rebuild or `spscan diff` reads that text instead: the catalog's
// versions, change events and coverage over time come out the same. The logs are never rewritten; the prune
// itself is recorded in `Corpus/prunes.jsonl`, an intent line listing the objects before any is deleted and a
// completion line after, so that a prune cut short anywhere leaves every version readable (bytes or kept
// text) and the next prune finishes the deletions the interrupted one announced.

/// Which versions `spscan corpus prune` removes. Each URL's latest snapshot (and its latest sample) is always
/// kept, whatever the policy.
public enum PrunePolicy: Sendable, Hashable {
    /// Keep this many most recent snapshots of each URL.
    case keepVersions(Int)
    /// Remove the snapshots last seen before this time.
    case olderThan(Date)

    var description: String {
        switch self {
        case .keepVersions(let count): "keep-versions \(count)"
        case .olderThan(let date): "older-than \(ISOTimestamp.format(date))"
        }
    }
}

/// What a prune removed, or with `--dry-run` would remove.
public struct PruneReport: Sendable, Hashable, Encodable {
    public struct Item: Sendable, Hashable, Encodable {
        public var sourceID: String
        public var url: String
        public var sha256: String
        /// The last time a fetch or sample named this snapshot.
        public var lastSeen: Date
        public var bytes: Int
    }

    public var dryRun: Bool
    public var policy: String
    /// Distinct snapshots in Corpus/ before the prune.
    public var snapshots: Int
    public var removed: [Item] = []
    public var bytes: Int = 0
    /// Bytes of extracted text kept in their place.
    public var keptTextBytes: Int = 0
    /// Old snapshots left in place because they cannot be read (there is no text to keep instead).
    public var unreadableKept: Int = 0
    /// Objects an interrupted prune had announced and that this one deleted.
    public var resumed: Int = 0
}

extension PruneReport {
    /// What a person reads: the counts and sizes, then the snapshots source by source.
    public var summary: String {
        var lines: [String] = []
        if resumed > 0 {
            lines.append("Finished an interrupted prune: \(resumed) snapshot\(resumed == 1 ? "" : "s") deleted as it had announced.")
        }
        let verb = dryRun ? "Would remove" : "Removed"
        let count = "\(removed.count) of \(snapshots) snapshot\(snapshots == 1 ? "" : "s")"
        if removed.isEmpty {
            lines.append("Nothing to prune (\(policy)): \(snapshots) snapshot\(snapshots == 1 ? "" : "s") in Corpus/, none old enough.")
        } else {
            lines.append(
                "\(verb) \(count) (\(Self.size(bytes))), keeping their text (\(Self.size(keptTextBytes))) so that "
                    + "`spscan index`, `changes` and `diff` still read every version.")
        }
        if unreadableKept > 0 {
            lines.append(
                "  Kept \(unreadableKept) old snapshot\(unreadableKept == 1 ? "" : "s") that cannot be read (no text to keep instead).")
        }
        var bySource: [(String, [Item])] = []
        for item in removed {
            if bySource.last?.0 == item.sourceID {
                bySource[bySource.count - 1].1.append(item)
            } else {
                bySource.append((item.sourceID, [item]))
            }
        }
        for (sourceID, items) in bySource {
            lines.append("  \(sourceID): \(items.count) (\(Self.size(items.reduce(0) { $0 + $1.bytes })))")
            for item in items {
                lines.append("    \(item.sha256.prefix(12))  last seen \(ISOTimestamp.format(item.lastSeen))  \(item.url)")
            }
        }
        if dryRun, !removed.isEmpty {
            lines.append("Dry run: nothing was removed. Run again with --no-dry-run to prune.")
        }
        return lines.joined(separator: "\n")
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / 1024 / 1024)
    }
}

/// One line of `Corpus/prunes.jsonl`.
struct PruneRecord: Codable, Hashable {
    enum Step: String, Codable {
        /// Written before any object is deleted; lists them all.
        case intent
        /// Written once every listed object is gone.
        case done
    }

    var prune: Int
    var step: Step
    var at: Date
    var policy: String?
    var objects: [String]?
    var bytes: Int?
}

/// The text extracted from a pruned snapshot, stored in its place.
struct KeptText: Codable {
    var sha256: String
    var prunedAt: Date
    var extracted: ExtractedDocument
}

/// Where pruned snapshots' text lives, and reading it back.
public struct PrunedTexts: Sendable {
    public let corpus: URL

    public init(corpus: URL) {
        self.corpus = corpus.standardizedFileURL
    }

    func path(_ sha256: String) -> String {
        corpus.appendingPathComponent("pruned/\(sha256.prefix(2))/\(sha256).json.deflate").path
    }

    /// The kept text as stored: JSON, deflated. Uncompressed, the passages (which repeat the text) made the
    /// kept text of an HTML page larger than the page.
    static func encode(_ kept: KeptText) throws -> Data {
        let json = try JSONStyle.encoder(pretty: false).encode(kept)
        var out = Data()
        _ = try Data.compress(
            size: Int64(json.count), bufferSize: 64 * 1024,
            provider: { position, size in json.subdata(in: Int(position)..<min(json.count, Int(position) + size)) },
            consumer: { out.append($0) })
        return out
    }

    static func decode(_ data: Data) throws -> KeptText {
        var json = Data()
        var position = 0
        _ = try Data.decompress(
            size: Int64(data.count), bufferSize: 64 * 1024, skipCRC32: true,
            provider: { _, size in
                defer { position = min(data.count, position + size) }
                return data.subdata(in: position..<min(data.count, position + size))
            },
            consumer: { json.append($0) })
        return try JSONStyle.decoder().decode(KeptText.self, from: json)
    }

    /// Removes the temporary files a prune killed while writing left behind. Call while holding the lock.
    func removeLeftovers() {
        let root = corpus.appendingPathComponent("pruned").path
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            let path = root + "/" + folder
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where name.hasPrefix(".tmp-") {
                try? FileManager.default.removeItem(atPath: path + "/" + name)
            }
        }
    }

    /// The text extracted from a pruned snapshot, or nil when it was not pruned.
    public func extracted(sha256: String) -> ExtractedDocument? {
        kept(sha256: sha256)?.extracted
    }

    /// When the snapshot was pruned, or nil when it was not.
    public func prunedAt(sha256: String) -> Date? {
        kept(sha256: sha256)?.prunedAt
    }

    func kept(sha256: String) -> KeptText? {
        guard let data = FileManager.default.contents(atPath: path(sha256)) else { return nil }
        return try? Self.decode(data)
    }
}

/// Why a prune could not run.
public enum PruneError: Error, LocalizedError, Equatable, Sendable {
    case badKeepCount(Int)
    case corruptPruneLog(path: String, line: Int)

    public var errorDescription: String? {
        switch self {
        case .badKeepCount(let count):
            return "--keep-versions \(count) would remove every version; use 1 or more (the latest version is always kept)"
        case .corruptPruneLog(let path, let line):
            return "\(path):\(line) is not a prune record; restore the file from a backup or remove that line"
        }
    }
}

public enum CorpusPrune {
    /// Set by tests only: the process kills itself (SIGKILL) after the named step (`kept`, `intent`,
    /// `first-delete`, `deletes`), to show that a prune cut short there leaves a consistent corpus.
    static let stopAfterVariable = "SPSCAN_TEST_PRUNE_STOP_AFTER"

    /// Plans and (unless `dryRun`) carries out a prune, holding the corpus lock.
    public static func run(paths: ProjectPaths, policy: PrunePolicy, dryRun: Bool, now: Date = Date()) throws -> PruneReport {
        if case .keepVersions(let count) = policy, count < 1 { throw PruneError.badKeepCount(count) }
        let lock = try ScanError.lockingCorpus(paths.corpus)
        defer { withExtendedLifetime(lock) {} }
        let store = try SnapshotStore(corpus: paths.corpus)
        store.removeLeftovers()
        let texts = PrunedTexts(corpus: paths.corpus)
        texts.removeLeftovers()
        let log = PruneLog(corpus: paths.corpus)
        let stopAfter = ProcessInfo.processInfo.environment[stopAfterVariable]
        func step(_ name: String) {
            if stopAfter == name { kill(getpid(), SIGKILL) }
        }

        var report = PruneReport(dryRun: dryRun, policy: policy.description, snapshots: 0)
        let records = try log.records()
        if !dryRun { report.resumed = try finishInterrupted(records, store: store, texts: texts, log: log, now: now) }

        // Every snapshot named by a log line, with the latest line naming it for each URL.
        struct Use {
            var record: SnapshotRecord
            var keep: Bool
        }
        var uses: [String: [Use]] = [:]
        for sourceID in try store.sourceIDs() {
            var byURL: [String: [SnapshotRecord]] = [:]
            var order: [String] = []
            for record in try store.records(sourceID: sourceID) where record.sha256 != nil {
                if byURL[record.url] == nil { order.append(record.url) }
                byURL[record.url, default: []].append(record)
            }
            for url in order {
                let history = byURL[url] ?? []
                var kept: Set<String> = []
                // The snapshot a scan extracts (the latest capture, else the latest sample) and the latest of
                // each origin stay, so that the next scan and conditional GETs see what they saw before.
                for origin in [SnapshotOrigin.capture, .sample] {
                    if let latest = history.last(where: { $0.origin == origin })?.sha256 { kept.insert(latest) }
                }
                var lastSeen: [String: SnapshotRecord] = [:]
                var newestFirst: [String] = []
                for record in history.reversed() {
                    guard let sha = record.sha256, lastSeen[sha] == nil else { continue }
                    lastSeen[sha] = record
                    newestFirst.append(sha)
                }
                for (rank, sha) in newestFirst.enumerated() {
                    guard let record = lastSeen[sha] else { continue }
                    let keep: Bool
                    switch policy {
                    case .keepVersions(let count): keep = kept.contains(sha) || rank < count
                    case .olderThan(let date): keep = kept.contains(sha) || record.fetchedAt >= date
                    }
                    uses[sha, default: []].append(Use(record: record, keep: keep))
                }
            }
        }
        let present = uses.keys.filter { store.contains(sha256: $0) }
        report.snapshots = present.count
        // An object shared by several URLs goes only when every one of them lets it go.
        let candidates = present.filter { sha in uses[sha]?.allSatisfy { !$0.keep } == true }.sorted()

        let extractor = Extractor()
        var planned: [(sha: String, text: Data, item: PruneReport.Item)] = []
        for sha in candidates {
            guard let latest = uses[sha]?.max(by: { $0.record.fetchedAt < $1.record.fetchedAt })?.record,
                let size = store.objectSize(sha256: sha)
            else { continue }
            let base = URL(string: latest.finalURL ?? latest.url)
            let extracted: ExtractedDocument
            do {
                extracted = try extractor.extractTyped(
                    try store.data(sha256: sha), contentType: latest.contentType, filename: base?.lastPathComponent, baseURL: base)
            } catch {
                report.unreadableKept += 1
                continue
            }
            // Links only steer a crawl, which a pruned snapshot never does again.
            var kept = extracted
            kept.links = []
            let text = try PrunedTexts.encode(KeptText(sha256: sha, prunedAt: ScanJournalEntry.wholeSecond(now), extracted: kept))
            let item = PruneReport.Item(
                sourceID: latest.sourceID, url: latest.url, sha256: sha, lastSeen: latest.fetchedAt, bytes: size)
            planned.append((sha, text, item))
        }
        report.removed = planned.map(\.item).sorted { ($0.sourceID, $0.url, $0.lastSeen) < ($1.sourceID, $1.url, $1.lastSeen) }
        report.bytes = planned.reduce(0) { $0 + $1.item.bytes }
        report.keptTextBytes = planned.reduce(0) { $0 + $1.text.count }
        guard !dryRun, !planned.isEmpty else { return report }

        // 1. The text of every object to delete, durable before anything is deleted.
        try store.writeFiles(planned.map { (texts.path($0.sha), $0.text) })
        step("kept")
        // 2. The intent: which objects this prune deletes.
        let number = (records.map(\.prune).max() ?? 0) + 1
        try log.append(
            PruneRecord(
                prune: number, step: .intent, at: ScanJournalEntry.wholeSecond(now), policy: policy.description,
                objects: planned.map(\.sha), bytes: report.bytes))
        step("intent")
        // 3. The deletions.
        for (index, entry) in planned.enumerated() {
            try store.removeObject(sha256: entry.sha, durable: false)
            if index == 0 { step("first-delete") }
        }
        try store.syncObjectFolders(of: planned.map(\.sha))
        step("deletes")
        // 4. Done.
        try log.append(PruneRecord(prune: number, step: .done, at: ScanJournalEntry.wholeSecond(now), bytes: report.bytes))
        return report
    }

    /// Deletes what an interrupted prune announced and had not deleted yet, and records it done.
    static func finishInterrupted(
        _ records: [PruneRecord], store: SnapshotStore, texts: PrunedTexts, log: PruneLog, now: Date
    ) throws -> Int {
        let done = Set(records.filter { $0.step == .done }.map(\.prune))
        var finished = 0
        for intent in records where intent.step == .intent && !done.contains(intent.prune) {
            var bytes = 0
            for sha in intent.objects ?? [] where store.contains(sha256: sha) {
                // Only objects whose text is kept: the intent is written after all of them, so this always holds
                // unless the pruned/ folder itself was lost, and then the bytes are the only copy left.
                guard texts.kept(sha256: sha) != nil else { continue }
                bytes += try store.removeObject(sha256: sha)
                finished += 1
            }
            try log.append(PruneRecord(prune: intent.prune, step: .done, at: ScanJournalEntry.wholeSecond(now), bytes: bytes))
        }
        return finished
    }

    /// Whether an earlier prune was cut short (its deletions are finished by the next prune that is not a dry run).
    public static func interrupted(corpus: URL) throws -> Bool {
        let records = try PruneLog(corpus: corpus).records()
        let done = Set(records.filter { $0.step == .done }.map(\.prune))
        return records.contains { $0.step == .intent && !done.contains($0.prune) }
    }
}

/// `Corpus/prunes.jsonl`: appended (one `write`, then fsync), never rewritten; a line cut short by a crash has
/// no newline and is ignored.
struct PruneLog {
    let path: String

    init(corpus: URL) {
        path = corpus.standardizedFileURL.appendingPathComponent("prunes.jsonl").path
    }

    func records() throws -> [PruneRecord] {
        guard let contents = FileManager.default.contents(atPath: path) else { return [] }
        var records: [PruneRecord] = []
        let lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The last piece has no newline: empty, or a line cut short.
        for (index, line) in lines.dropLast().enumerated() where !line.isEmpty {
            guard let record = try? JSONStyle.decoder().decode(PruneRecord.self, from: Data(line)) else {
                throw PruneError.corruptPruneLog(path: "Corpus/prunes.jsonl", line: index + 1)
            }
            records.append(record)
        }
        return records
    }

    func append(_ record: PruneRecord) throws {
        var line = try JSONStyle.encoder(pretty: false).encode(record)
        line.append(0x0A)
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.corpusUnwritable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        // A line cut short by an earlier crash is trimmed first, as the source logs do.
        if let contents = FileManager.default.contents(atPath: path), let last = contents.last, last != 0x0A {
            let keep = contents.lastIndex(of: 0x0A).map { contents.distance(from: contents.startIndex, to: $0) + 1 } ?? 0
            guard ftruncate(fd, off_t(keep)) == 0 else {
                throw FetchError.corpusUnwritable(path: path, reason: String(cString: strerror(errno)))
            }
        }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(fd) == 0 else {
            throw FetchError.corpusUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
