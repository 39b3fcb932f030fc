import Foundation
import SPScanModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
