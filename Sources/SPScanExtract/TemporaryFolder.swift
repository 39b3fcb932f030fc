import Foundation
import Synchronization

/// A private temporary folder for one document, named after this process so that folders left by a
/// process that was killed (SIGKILL runs no cleanup) are found and removed the next time spscan starts one.
struct TemporaryFolder {
    let url: URL

    /// Creates `<tmp>/<prefix>-<pid>-<uuid>`, after removing the folders of `prefix` whose process is gone.
    init(prefix: String) throws(ExtractError) {
        Self.sweepOnce(prefix: prefix)
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(getpid())-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .pdfToolFailed(status: -1, detail: "cannot create a temporary folder: \(error.localizedDescription)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// The prefixes already swept by this process.
    private static let swept = Mutex(Set<String>())

    private static func sweepOnce(prefix: String) {
        guard swept.withLock({ $0.insert(prefix).inserted }) else { return }
        TemporaryFolderSweep.run(prefix: prefix, in: FileManager.default.temporaryDirectory)
    }
}

/// The sweep of temporary folders left by processes that were killed; public for tests.
public enum TemporaryFolderSweep {
    /// Removes `prefix-<pid>-…` folders in `folder` whose process no longer runs.
    public static func run(prefix: String, in folder: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix + "-") {
            let fields = name.dropFirst(prefix.count + 1).split(separator: "-", maxSplits: 1)
            guard let pid = fields.first.flatMap({ pid_t($0) }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // still running (perhaps as another user)
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}

/// A flag set once from a timer and read after, across threads.
final class TimeoutFlag: Sendable {
    private let state = Mutex(false)

    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}
