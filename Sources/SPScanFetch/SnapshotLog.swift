import Foundation
import SPScanModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The log half of the snapshot store: one append-only JSON Lines file per source, read back line by line.
extension SnapshotStore {

    public func logURL(sourceID: String) -> URL {
        URL(fileURLWithPath: logPath(sourceID))
    }

    func logPath(_ sourceID: String) -> String {
        "\(logsPath)/\(sourceID).jsonl"
    }

    /// The ids of every source that has a log, sorted.
    public func sourceIDs() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(6)) }.sorted()
    }

    /// Appends one record to its source's log and makes it durable before returning.
    public func append(_ record: SnapshotRecord) throws {
        try commit([PendingSnapshot(data: nil, record: record)])
    }

    /// Stores a batch of bodies and appends their records, durable before returning: objects first (written,
    /// made durable, renamed, renames made durable), then the log lines, so a record never names a missing
    /// object.
    public func commit(_ batch: [PendingSnapshot]) throws {
        try commit(batch, stoppingAfter: nil)
    }

    /// Where a grouped commit can be told to stop as if the process were killed there, for tests of what a
    /// kill between phases leaves on disk.
    enum CommitPhase {
        /// Every object is in a temporary file on disk; nothing is renamed.
        case objectsWritten
        /// Every object is in place on disk; no log line is written.
        case objectsRenamed
    }

    func commit(_ batch: [PendingSnapshot], stoppingAfter stop: CommitPhase?) throws {
        guard !batch.isEmpty else { return }
        var objectsToWrite: [(sha: String, data: Data)] = []
        var planned: Set<String> = []
        for item in batch {
            guard let data = item.data, let sha = item.record.sha256, planned.insert(sha).inserted, !contains(sha256: sha)
            else { continue }
            objectsToWrite.append((sha, data))
        }
        if let groupSync {
            try commitGrouped(objectsToWrite, logLines(for: batch), group: groupSync, stoppingAfter: stop)
        } else {
            try commitFileByFile(objectsToWrite, batch)
        }
    }

    /// The batch's log lines, one `write` per source, sources in the order first seen.
    func logLines(for batch: [PendingSnapshot]) throws -> [(path: String, lines: Data)] {
        var order: [String] = []
        var lines: [String: Data] = [:]
        for item in batch {
            var line = try encoder.encode(item.record)
            line.append(UInt8(ascii: "\n"))
            if lines[item.record.sourceID] == nil { order.append(item.record.sourceID) }
            lines[item.record.sourceID, default: Data()].append(line)
        }
        return order.map { (logPath($0), lines[$0] ?? Data()) }
    }

    /// The batch in three flushes of the file system instead of an fsync per file: every object into a
    /// temporary file, flush; every rename, flush; every log line, flush.
    ///
    /// The same order as the file-by-file path, so the same guarantees: an object's bytes are on disk before
    /// its name is, and its name before any log line naming it; a kill at any point leaves temporary files
    /// (removed when the corpus is next opened) and whole objects that no record names yet, which the next
    /// scan fetches and records again. Thousands of small files cost a few flushes instead of thousands of
    /// fsyncs, each of which writes the same inode-table and folder blocks again.
    func commitGrouped(
        _ writes: [(sha: String, data: Data)], _ files: [(path: String, lines: Data)], group: GroupSync, stoppingAfter stop: CommitPhase?
    ) throws {
        commitLock.lock()
        defer { commitLock.unlock() }
        // Files that turn out to be on another file system than the corpus were fsynced themselves; their
        // folders get an fsync of their own too.
        var ownFolders: Set<String> = []
        var placed: [(temporary: String, target: String)] = []
        do {
            for (sha, data) in writes {
                let target = objectPath(sha)
                let temporary = try writeTemporary(data, beside: target, group: group)
                placed.append((temporary.path, target))
                if temporary.synced { ownFolders.insert(Self.folder(of: target)) }
            }
            try group.sync()
        } catch {
            for item in placed { unlink(item.temporary) }
            throw error
        }
        if stop == .objectsWritten { return }
        for (index, item) in placed.enumerated() where rename(item.temporary, item.target) != 0 {
            let reason = Self.errnoText()
            for rest in placed[index...] { unlink(rest.temporary) }
            throw FetchError.corpusUnwritable(path: item.target, reason: reason)
        }
        for folder in ownFolders { syncFolder(folder) }
        try group.sync()
        if stop == .objectsRenamed { return }

        var failure: Error?
        var syncLogFolder = false
        lock.lock()
        for (path, data) in files {
            do {
                if try appendLines(data, to: path, group: group) { syncLogFolder = true }
            } catch {
                if failure == nil { failure = error }
            }
        }
        lock.unlock()
        if syncLogFolder { syncFolder(logsPath) }
        try group.sync()
        if let failure { throw failure }
    }

    /// The batch with an fsync per file, for a corpus where `GroupSync` is not available.
    ///
    /// The fsyncs of a batch run on parallel threads: the file system commits them together, which is what
    /// makes thousands of small documents affordable (one fsync after another costs milliseconds each).
    func commitFileByFile(_ objectsToWrite: [(sha: String, data: Data)], _ batch: [PendingSnapshot]) throws {
        let failures = FirstFailure()
        let writes = objectsToWrite
        parallel(writes.count) { index in
            let (sha, data) = writes[index]
            do { try self.writeAtomically(data, to: self.objectPath(sha), syncingFolder: false) } catch { failures.keep(error) }
        }
        let folders = Array(Set(objectsToWrite.map { "\(objectsPath)/\($0.sha.prefix(2))" }))
        parallel(folders.count) { self.syncFolder(folders[$0]) }
        try failures.rethrow()

        let files = try logLines(for: batch)
        lock.lock()
        defer { lock.unlock() }
        let created = SharedFlag()
        parallel(files.count) { index in
            let (url, data) = files[index]
            do {
                if try self.appendLines(data, to: url, group: nil) { created.set() }
            } catch {
                failures.keep(error)
            }
        }
        if created.isSet { syncFolder(logsPath) }
        try failures.rethrow()
    }

    /// Appends bytes with one `write`. A file on the file system `group` flushes is left to it; any other is
    /// fsynced here. Returns whether the file was new and fsynced here: its folder then needs an fsync too, so
    /// that its name survives a crash.
    ///
    /// Opens with `O_CREAT` at once (a first scan saves a failed `open` per source); an empty file counts as
    /// new, which at worst costs one fsync of the folder too many.
    func appendLines(_ data: Data, to path: String, group: GroupSync?) throws -> Bool {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.corpusUnwritable(path: path, reason: Self.errnoText()) }
        defer { close(fd) }
        let isNew = lseek(fd, 0, SEEK_END) == 0
        try Self.trimPartialLine(fd, path: path)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw FetchError.corpusUnwritable(path: path, reason: Self.errnoText()) }
        if group?.covers(fd) == true { return false }
        guard fsync(fd) == 0 else { throw FetchError.corpusUnwritable(path: path, reason: Self.errnoText()) }
        return isNew
    }

    /// Runs `body` for 0..<count on up to 16 threads at once and waits; blocking I/O, so more threads than cores.
    func parallel(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        if count == 1 {
            body(0)
            return
        }
        guard count > 1 else { return }
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: 16)
        for index in 0..<count {
            slots.wait()
            ioQueue.async(group: group) {
                body(index)
                slots.signal()
            }
        }
        group.wait()
    }

    /// A crash mid-append leaves a last line without its newline: cut it off so the next line starts clean.
    static func trimPartialLine(_ fd: Int32, path: String) throws {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return }
        var last: UInt8 = 0
        guard pread(fd, &last, 1, size - 1) == 1, last != UInt8(ascii: "\n") else { return }
        // Walk back to the previous newline (lines are short: a few hundred bytes).
        var end = size - 1
        while end > 0 {
            var byte: UInt8 = 0
            guard pread(fd, &byte, 1, end - 1) == 1 else { break }
            if byte == UInt8(ascii: "\n") { break }
            end -= 1
        }
        guard ftruncate(fd, end) == 0 else { throw FetchError.corpusUnwritable(path: path, reason: Self.errnoText()) }
    }

    /// Every record of a source, oldest first; an empty list when the source has never been fetched.
    public func records(sourceID: String) throws -> [SnapshotRecord] {
        try logLines(sourceID).map { try decode($0) }
    }

    /// The complete lines of a source's log (a line cut short by a crash has no newline and is left out).
    func logLines(_ sourceID: String) -> [(path: String, number: Int, bytes: Data)] {
        let path = logPath(sourceID)
        lock.lock()
        let contents = FileManager.default.contents(atPath: path)
        lock.unlock()
        guard let contents else { return [] }
        // Only newline-terminated lines count: a trailing piece without one is a write cut short by a crash.
        var ranges: [(number: Int, range: Range<Int>)] = []
        contents.withUnsafeBytes { raw in
            var start = 0
            var number = 1
            for index in 0..<raw.count where raw[index] == UInt8(ascii: "\n") {
                if index > start { ranges.append((number, start..<index)) }
                start = index + 1
                number += 1
            }
        }
        let base = contents.startIndex
        return ranges.map { (path, $0.number, contents.subdata(in: (base + $0.range.lowerBound)..<(base + $0.range.upperBound))) }
    }

    func decode(_ line: (path: String, number: Int, bytes: Data)) throws -> SnapshotRecord {
        do {
            return try decoder.decode(SnapshotRecord.self, from: line.bytes)
        } catch {
            throw FetchError.corruptLog(path: line.path, line: line.number, reason: Self.reason(error))
        }
    }

    /// For each URL of the source (in the order first seen), the snapshot to extract: the latest record with
    /// a body, a capture preferred over a sample.
    public func current(sourceID: String) throws -> [SnapshotRecord] {
        Self.current(of: try records(sourceID: sourceID))
    }

    /// The latest captured snapshot of one URL with a body: what a conditional GET compares against.
    /// Reads from the end and stops at the first match, so the cost stays flat as the log grows.
    public func latestCapture(sourceID: String, url: String) throws -> SnapshotRecord? {
        for line in logLines(sourceID).reversed() {
            let record = try decode(line)
            if record.url == url, record.sha256 != nil, record.origin == .capture { return record }
        }
        return nil
    }

    /// Stores an authored stand-in for a source's document; importing the same bytes again appends nothing.
    @discardableResult
    public func importSample(
        sourceID: String, url: String, data: Data, contentType: String, at date: Date
    ) throws -> SnapshotRecord {
        let sha = try put(data)
        let samples = try records(sourceID: sourceID).filter { $0.url == url && $0.origin == .sample }
        if let last = samples.last, last.sha256 == sha { return last }
        let record = SnapshotRecord(
            sourceID: sourceID, url: url, finalURL: url, fetchedAt: date, outcome: samples.isEmpty ? .new : .changed,
            contentType: contentType, size: data.count, sha256: sha, origin: .sample
        )
        try append(record)
        return record
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func reason(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}

/// Log times as ISO 8601 in UTC to the second (`2026-11-25T10:09:17Z`), formatted and parsed by hand.
///
/// Foundation's ISO 8601 coding strategy costs tens of microseconds a date on Linux; a scan reads a log line
/// per document, so this matters for large registries. Other ISO 8601 forms still parse, through Foundation.
enum LogDate {
    /// The encoder of log lines: keys sorted, slashes unescaped, times as `format` writes them.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }

    /// The decoder of log lines, whose times `parse` reads.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not a time like 2026-11-25T10:09:17Z")
            }
            return date
        }
        return decoder
    }

    static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }

    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "Z")
        else {
            return ISO8601DateFormatter().date(from: text)
        }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

extension SnapshotRecord {
    /// The catalog's id for the document this record is a snapshot of: the source id for the source's page,
    /// `<source-id>~<hash>` for a document it links to.
    public var documentID: String {
        DocumentID.make(sourceID: sourceID, url: url, depth: depth)
    }
}
