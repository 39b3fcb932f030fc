import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes a whole batch durable with `syncfs(2)`: one flush of the corpus's file system instead of an fsync
/// per file.
///
/// A first scan creates two small files per document. Fsyncing each one writes its data, its inode-table block
/// and its folder's block, the same few metadata blocks again and again, and waits for the disk every time;
/// one `syncfs` after writing the whole batch writes each dirty block once and waits once. Everything written
/// before the call is on disk when it returns, as if each file had been fsynced, but only on the file system
/// it is called on: `covers` checks each file's device, and a file elsewhere (a folder mounted or linked into
/// the corpus) is fsynced on its own.
///
/// Not used (nil) where `syncfs` cannot be trusted: on systems without it, and on Linux before 5.8, whose
/// `syncfs` does not report write-back errors, so a write that never reached the disk would pass unnoticed.
final class GroupSync: @unchecked Sendable {
    private typealias SyncFS = @convention(c) (Int32) -> Int32

    let path: String
    private let descriptor: Int32
    private let device: UInt64
    /// `syncfs` from the C library, looked up at run time: Swift's Glibc module does not export it.
    private let syncfs: SyncFS

    /// The flusher for the file system holding `folder`, or nil when syncfs is missing or untrustworthy here.
    init?(folder: String) {
        #if os(Linux)
            guard Self.reportsWriteBackErrors(release: Self.kernelRelease()),
                let symbol = dlsym(dlopen(nil, RTLD_NOW), "syncfs")
            else { return nil }
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                close(fd)
                return nil
            }
            path = folder
            descriptor = fd
            device = UInt64(info.st_dev)
            syncfs = unsafeBitCast(symbol, to: SyncFS.self)
        #else
            return nil
        #endif
    }

    deinit { close(descriptor) }

    /// Whether the open file `fd` is on the file system `sync` flushes.
    func covers(_ fd: Int32) -> Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && UInt64(info.st_dev) == device
    }

    /// Writes every dirty file and metadata block of the file system to disk and waits for it; throws if any
    /// write-back failed since the previous call (the descriptor stays open so that no error is missed).
    func sync() throws {
        guard syncfs(descriptor) == 0 else {
            throw FetchError.corpusUnwritable(path: path, reason: SnapshotStore.errnoText())
        }
    }

    /// Linux 5.8 and later report write-back errors through `syncfs`; `release` is uname's, like `6.1.0-13-amd64`.
    static func reportsWriteBackErrors(release: String) -> Bool {
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return false }
        return (numbers[0], numbers[1]) >= (5, 8)
    }

    static func kernelRelease() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "" }
        return withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
