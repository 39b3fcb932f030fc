import Foundation
import SPScanModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The snapshot store in `Corpus/`: bytes once by content hash, and one append-only log per source.
///
/// Layout: `objects/<first 2 hex>/<sha256 hex>` and `log/<source-id>.jsonl` (one `SnapshotRecord` a line).
/// Objects are written to a temporary file in their final folder, made durable and renamed, then the rename
/// is made durable, so a killed scan leaves either the whole object or nothing. Log lines are appended with
/// one `write` and made durable; a line cut short by a crash has no newline, is ignored when reading and
/// trimmed before the next append. Nothing is ever rewritten, so every version and every failure stays on
/// record. A batch is made durable by flushing the whole file system a few times (`GroupSync`) where that is
/// safe, and otherwise by an fsync per file.
public final class SnapshotStore: @unchecked Sendable {
    public let corpus: URL
    private let objects: URL
    private let logs: URL
    /// The same folders as plain paths: a scan builds two paths per document, and URL arithmetic is costly.
    private let objectsPath: String
    private let logsPath: String
    /// Serialises appends from the fetcher's thread and readers; the files themselves are the state.
    private let lock = NSLock()
    /// One grouped commit at a time: each checks the write-back errors of its own flushes (see `GroupSync`).
    private let commitLock = NSLock()
    /// Flushes the corpus's file system once per commit phase; nil where that cannot be trusted, and every
    /// file is then fsynced on its own.
    private let groupSync: GroupSync?
    private let ioQueue = DispatchQueue(label: "spscan.snapshot-store.io", attributes: .concurrent)
    private let encoder = LogDate.encoder()
    private let decoder = LogDate.decoder()

    /// Opens (creating if needed) the store at `corpus`.
    public convenience init(corpus: URL) throws {
        try self.init(corpus: corpus, groupSync: true)
    }

    /// `groupSync: false` makes every commit fsync file by file, as on a system without a usable `syncfs`:
    /// for tests of that path.
    init(corpus: URL, groupSync useGroupSync: Bool) throws {
        self.corpus = corpus.standardizedFileURL
        objects = self.corpus.appendingPathComponent("objects", isDirectory: true)
        logs = self.corpus.appendingPathComponent("log", isDirectory: true)
        objectsPath = objects.path
        logsPath = logs.path
        for folder in [objects, logs] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw FetchError.corpusUnwritable(path: folder.path, reason: Self.reason(error))
            }
        }
        groupSync = useGroupSync ? GroupSync(folder: self.corpus.path) : nil
    }

    /// Whether commits flush the file system once per phase instead of fsyncing each file.
    var syncsByGroup: Bool { groupSync != nil }

    // MARK: Objects

    /// Where the object with this hash lives.
    public func objectURL(sha256: String) -> URL {
        URL(fileURLWithPath: objectPath(sha256))
    }

    func objectPath(_ sha256: String) -> String {
        "\(objectsPath)/\(sha256.prefix(2))/\(sha256)"
    }

    public func contains(sha256: String) -> Bool {
        access(objectPath(sha256), F_OK) == 0
    }

    /// Stores bytes under their SHA-256 and returns it; storing the same bytes again writes nothing.
    @discardableResult
    public func put(_ data: Data) throws -> String {
        let sha = SHA256.hex(data)
        if contains(sha256: sha) { return sha }
        try writeAtomically(data, to: objectPath(sha))
        return sha
    }

    /// The bytes of a stored object.
    public func data(sha256: String) throws -> Data {
        let path = objectPath(sha256)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FetchError.objectMissing(sha256: sha256, path: path)
        }
        return data
    }

    /// The size of a stored object in bytes, or nil when it is not there.
    public func objectSize(sha256: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: objectPath(sha256)))?[.size] as? Int
    }

    /// Deletes one object and makes the deletion durable; `spscan corpus prune` only, after the text the
    /// history needs from it is kept. Returns the bytes freed (0 when it was already gone).
    /// With `durable: false` the caller makes the deletions durable itself, with `syncObjectFolders` once.
    @discardableResult
    public func removeObject(sha256: String, durable: Bool = true) throws -> Int {
        let path = objectPath(sha256)
        guard let size = objectSize(sha256: sha256) else { return 0 }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw FetchError.corpusUnwritable(path: path, reason: Self.errnoText())
        }
        if durable { syncFolder(Self.folder(of: path)) }
        return size
    }

    /// Makes the deletions in these objects' folders durable: one flush of the file system where that can
    /// be trusted, else one fsync per folder.
    public func syncObjectFolders(of hashes: some Sequence<String>) throws {
        if let groupSync {
            commitLock.lock()
            defer { commitLock.unlock() }
            try groupSync.sync()
            return
        }
        for folder in Set(hashes.map { Self.folder(of: objectPath($0)) }).sorted() { syncFolder(folder) }
    }

    /// Writes files inside the corpus, each all or nothing, and all durable before returning: in two flushes
    /// of the file system where that can be trusted (as a commit does), else by an fsync per file and folder.
    public func writeFiles(_ files: [(path: String, data: Data)]) throws {
        for folder in Set(files.map { Self.folder(of: $0.path) }) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        guard let groupSync else {
            for file in files { try writeAtomically(file.data, to: file.path) }
            return
        }
        commitLock.lock()
        defer { commitLock.unlock() }
        var placed: [(temporary: String, target: String)] = []
        var ownFolders: Set<String> = []
        do {
            for file in files {
                let temporary = try writeTemporary(file.data, beside: file.path, group: groupSync)
                placed.append((temporary.path, file.path))
                if temporary.synced { ownFolders.insert(Self.folder(of: file.path)) }
            }
            try groupSync.sync()
        } catch {
            for item in placed { unlink(item.temporary) }
            throw error
        }
        for (index, item) in placed.enumerated() where rename(item.temporary, item.target) != 0 {
            let reason = Self.errnoText()
            for rest in placed[index...] { unlink(rest.temporary) }
            throw FetchError.corpusUnwritable(path: item.target, reason: reason)
        }
        try groupSync.sync()
        for folder in ownFolders.sorted() { syncFolder(folder) }
    }

    /// Temporary file in the target's folder, fsync, rename, fsync the folder: all or nothing on disk.
    func writeAtomically(_ data: Data, to target: String, syncingFolder: Bool = true) throws {
        let temporary = try writeTemporary(data, beside: target, group: nil).path
        if rename(temporary, target) != 0 {
            let reason = Self.errnoText()
            unlink(temporary)
            throw FetchError.corpusUnwritable(path: target, reason: reason)
        }
        if syncingFolder { syncFolder(Self.folder(of: target)) }
    }

    /// Writes `data` to a new temporary file in `target`'s folder (created if missing) and returns its path.
    /// The file is fsynced unless `group` will flush its file system; `synced` says whether it was, in which
    /// case its folder needs an fsync of its own after the rename.
    private func writeTemporary(_ data: Data, beside target: String, group: GroupSync?) throws -> (path: String, synced: Bool) {
        let folder = Self.folder(of: target)
        if access(folder, F_OK) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw FetchError.corpusUnwritable(path: folder, reason: Self.reason(error))
            }
        }
        let temporary = "\(folder)/.tmp-\(UUID().uuidString)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.corpusUnwritable(path: temporary, reason: Self.errnoText()) }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, failure == nil {
                let written = write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 {
                    if errno != EINTR { failure = Self.errnoText() }
                } else {
                    offset += written
                }
            }
        }
        let synced = group?.covers(fd) != true
        if failure == nil, synced, fsync(fd) != 0 { failure = Self.errnoText() }
        close(fd)
        if let failure {
            unlink(temporary)
            throw FetchError.corpusUnwritable(path: target, reason: failure)
        }
        return (temporary, synced)
    }

    private static func folder(of path: String) -> String {
        String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    private func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Removes temporary object files left by a scan that was killed mid-write. Call while holding the lock.
    public func removeLeftovers() {
        let manager = FileManager.default
        guard let folders = try? manager.contentsOfDirectory(atPath: objects.path) else { return }
        for folder in folders {
            let path = objects.appendingPathComponent(folder).path
            for name in (try? manager.contentsOfDirectory(atPath: path)) ?? [] where name.hasPrefix(".tmp-") {
                try? manager.removeItem(atPath: path + "/" + name)
            }
        }
    }

    // MARK: The log

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
    private func logLines(for batch: [PendingSnapshot]) throws -> [(path: String, lines: Data)] {
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
    private func commitGrouped(
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
    private func commitFileByFile(_ objectsToWrite: [(sha: String, data: Data)], _ batch: [PendingSnapshot]) throws {
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
    private func appendLines(_ data: Data, to path: String, group: GroupSync?) throws -> Bool {
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
    private func parallel(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
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
    private func logLines(_ sourceID: String) -> [(path: String, number: Int, bytes: Data)] {
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

    private func decode(_ line: (path: String, number: Int, bytes: Data)) throws -> SnapshotRecord {
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

/// A body to store and the record that names it, committed together by `SnapshotStore.commit`.
public struct PendingSnapshot: Sendable {
    /// The bytes, or nil when the record names no new object (a failure, a 304, a body already stored).
    public var data: Data?
    public var record: SnapshotRecord

    public init(data: Data?, record: SnapshotRecord) {
        self.data = data
        self.record = record
    }
}

/// The first error of parallel work, kept for rethrowing on the calling thread.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?

    func keep(_ error: Error) {
        lock.lock()
        if self.error == nil { self.error = error }
        lock.unlock()
    }

    func rethrow() throws {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw error }
    }
}

/// A flag raised from parallel work: here, that some log file was created and its folder needs an fsync.
final class SharedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    func set() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}

/// An exclusive lock on the corpus (`Corpus/.lock`, flock): a second scan refuses instead of interleaving.
///
/// flock is released by the kernel when the process dies, so a killed scan never leaves a stale lock.
public final class CorpusLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws `FetchError.corpusLocked` at once; never waits.
    public init(corpus: URL) throws {
        try? FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        path = corpus.appendingPathComponent(".lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.corpusUnwritable(path: path, reason: SnapshotStore.errnoText()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw FetchError.corpusLocked(path: path)
        }
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension SnapshotRecord {
    /// The catalog's id for the document this record is a snapshot of: the source id for the source's page,
    /// `<source-id>~<hash>` for a document it links to.
    public var documentID: String {
        DocumentID.make(sourceID: sourceID, url: url, depth: depth)
    }
}
