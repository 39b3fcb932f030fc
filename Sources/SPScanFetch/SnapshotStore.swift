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
    let objects: URL
    let logs: URL
    /// The same folders as plain paths: a scan builds two paths per document, and URL arithmetic is costly.
    let objectsPath: String
    let logsPath: String
    /// Serialises appends from the fetcher's thread and readers; the files themselves are the state.
    let lock = NSLock()
    /// One grouped commit at a time: each checks the write-back errors of its own flushes (see `GroupSync`).
    let commitLock = NSLock()
    /// Flushes the corpus's file system once per commit phase; nil where that cannot be trusted, and every
    /// file is then fsynced on its own.
    let groupSync: GroupSync?
    let ioQueue = DispatchQueue(label: "spscan.snapshot-store.io", attributes: .concurrent)
    let encoder = LogDate.encoder()
    let decoder = LogDate.decoder()

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
    func writeTemporary(_ data: Data, beside target: String, group: GroupSync?) throws -> (path: String, synced: Bool) {
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

    static func folder(of path: String) -> String {
        String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    func syncFolder(_ folder: String) {
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
    let lock = NSLock()
    var error: Error?

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
    let lock = NSLock()
    var raised = false

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
