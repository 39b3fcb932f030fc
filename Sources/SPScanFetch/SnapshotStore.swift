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
/// Objects are written to a temporary file in their final folder, fsynced and renamed, then the folder is
/// fsynced, so a killed scan leaves either the whole object or nothing. Log lines are appended with one
/// `write` and fsynced; a line cut short by a crash has no newline, is ignored when reading and trimmed before
/// the next append. Nothing is ever rewritten, so every version and every failure stays on record.
public final class SnapshotStore: @unchecked Sendable {
    public let corpus: URL
    private let objects: URL
    private let logs: URL
    /// Serialises appends from the fetcher's thread and readers; the files themselves are the state.
    private let lock = NSLock()
    private let ioQueue = DispatchQueue(label: "spscan.snapshot-store.io", attributes: .concurrent)
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    private let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Opens (creating if needed) the store at `corpus`, removing temporary files a killed scan left behind.
    public init(corpus: URL) throws {
        self.corpus = corpus.standardizedFileURL
        objects = self.corpus.appendingPathComponent("objects", isDirectory: true)
        logs = self.corpus.appendingPathComponent("log", isDirectory: true)
        for folder in [objects, logs] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw FetchError.corpusUnwritable(path: folder.path, reason: Self.reason(error))
            }
        }
    }

    // MARK: Objects

    /// Where the object with this hash lives.
    public func objectURL(sha256: String) -> URL {
        objects.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    public func contains(sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: objectURL(sha256: sha256).path)
    }

    /// Stores bytes under their SHA-256 and returns it; storing the same bytes again writes nothing.
    @discardableResult
    public func put(_ data: Data) throws -> String {
        let sha = SHA256.hex(data)
        let target = objectURL(sha256: sha)
        if FileManager.default.fileExists(atPath: target.path) { return sha }
        try writeAtomically(data, to: target)
        return sha
    }

    /// The bytes of a stored object.
    public func data(sha256: String) throws -> Data {
        let url = objectURL(sha256: sha256)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FetchError.objectMissing(sha256: sha256, path: url.path)
        }
        return data
    }

    /// Temporary file in the target's folder, fsync, rename, fsync the folder: all or nothing on disk.
    func writeAtomically(_ data: Data, to target: URL, syncingFolder: Bool = true) throws {
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FetchError.corpusUnwritable(path: folder.path, reason: Self.reason(error))
        }
        let temporary = folder.appendingPathComponent(".tmp-\(UUID().uuidString)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.corpusUnwritable(path: temporary.path, reason: Self.errnoText()) }
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
        if failure == nil, fsync(fd) != 0 { failure = Self.errnoText() }
        close(fd)
        if failure == nil, rename(temporary.path, target.path) != 0 { failure = Self.errnoText() }
        if let failure {
            unlink(temporary.path)
            throw FetchError.corpusUnwritable(path: target.path, reason: failure)
        }
        if syncingFolder { syncFolder(folder) }
    }

    private func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
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
        logs.appendingPathComponent("\(sourceID).jsonl")
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
    /// fsynced, renamed, folders fsynced), then the log lines, so a record never names a missing object.
    ///
    /// The fsyncs of a batch run on parallel threads: the file system commits them together, which is what
    /// makes thousands of small documents affordable (one fsync after another costs milliseconds each).
    public func commit(_ batch: [PendingSnapshot]) throws {
        guard !batch.isEmpty else { return }
        var objectsToWrite: [(sha: String, data: Data)] = []
        var planned: Set<String> = []
        for item in batch {
            guard let data = item.data, let sha = item.record.sha256, planned.insert(sha).inserted, !contains(sha256: sha)
            else { continue }
            objectsToWrite.append((sha, data))
        }
        let failures = FirstFailure()
        let writes = objectsToWrite
        parallel(writes.count) { index in
            let (sha, data) = writes[index]
            do { try self.writeAtomically(data, to: self.objectURL(sha256: sha), syncingFolder: false) } catch { failures.keep(error) }
        }
        let folders = Array(Set(objectsToWrite.map { objectURL(sha256: $0.sha).deletingLastPathComponent() }))
        parallel(folders.count) { self.syncFolder(folders[$0]) }
        try failures.rethrow()

        var order: [String] = []
        var lines: [String: Data] = [:]
        for item in batch {
            var line = try encoder.encode(item.record)
            line.append(UInt8(ascii: "\n"))
            if lines[item.record.sourceID] == nil { order.append(item.record.sourceID) }
            lines[item.record.sourceID, default: Data()].append(line)
        }
        lock.lock()
        defer { lock.unlock() }
        let created = SharedFlag()
        let files = order.map { (logURL(sourceID: $0), lines[$0] ?? Data()) }
        parallel(files.count) { index in
            let (url, data) = files[index]
            do {
                if try self.appendDurably(data, to: url) { created.set() }
            } catch {
                failures.keep(error)
            }
        }
        if created.isSet { syncFolder(logs) }
        try failures.rethrow()
    }

    /// Appends bytes with one `write` and fsyncs; returns whether the file was created.
    private func appendDurably(_ data: Data, to url: URL) throws -> Bool {
        let isNew = !FileManager.default.fileExists(atPath: url.path)
        let fd = open(url.path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FetchError.corpusUnwritable(path: url.path, reason: Self.errnoText()) }
        defer { close(fd) }
        try trimPartialLine(fd, path: url.path)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else {
            throw FetchError.corpusUnwritable(path: url.path, reason: Self.errnoText())
        }
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
    private func trimPartialLine(_ fd: Int32, path: String) throws {
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
        let url = logURL(sourceID: sourceID)
        lock.lock()
        let contents = FileManager.default.contents(atPath: url.path)
        lock.unlock()
        guard let contents else { return [] }
        var records: [SnapshotRecord] = []
        let lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The last piece is empty when the file ends with a newline, or a line cut short by a crash: skip it.
        for (index, line) in lines.dropLast().enumerated() where !line.isEmpty {
            do {
                records.append(try decoder.decode(SnapshotRecord.self, from: Data(line)))
            } catch {
                throw FetchError.corruptLog(path: url.path, line: index + 1, reason: Self.reason(error))
            }
        }
        return records
    }

    /// For each URL of the source (in the order first seen), the snapshot to extract: the latest record with
    /// a body, a capture preferred over a sample.
    public func current(sourceID: String) throws -> [SnapshotRecord] {
        var order: [String] = []
        var latestCapture: [String: SnapshotRecord] = [:]
        var latestSample: [String: SnapshotRecord] = [:]
        for record in try records(sourceID: sourceID) where record.sha256 != nil {
            if latestCapture[record.url] == nil, latestSample[record.url] == nil { order.append(record.url) }
            switch record.origin {
            case .capture: latestCapture[record.url] = record
            case .sample: latestSample[record.url] = record
            }
        }
        return order.compactMap { latestCapture[$0] ?? latestSample[$0] }
    }

    /// The latest captured snapshot of one URL with a body: what a conditional GET compares against.
    public func latestCapture(sourceID: String, url: String) throws -> SnapshotRecord? {
        try records(sourceID: sourceID).last { $0.url == url && $0.sha256 != nil && $0.origin == .capture }
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
