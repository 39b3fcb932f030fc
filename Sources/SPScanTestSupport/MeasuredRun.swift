import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The outcome of a child process run by `MeasuredRun`, with its own peak memory.
public struct MeasuredResult: Sendable {
    public var exitCode: Int32
    public var stderr: String
    /// The child's peak resident memory in bytes (`ru_maxrss` from `wait4`, for this child alone).
    public var peakBytes: Int
}

/// Runs `spscan` with standard input read from a path (such as `/dev/zero`) and reports its peak memory.
///
/// Foundation's `Process` reaps its children itself, so their resource usage is lost; this spawns and waits
/// with `posix_spawn` and `wait4`, which return the usage of exactly the child waited for.
public enum MeasuredRun {
    /// Runs in the test's working directory: give paths absolute.
    public static func spscan(_ arguments: [String], stdin path: String) throws -> MeasuredResult {
        let executable = try CLIRunner.executable.path
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("spscan-measured-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: errors) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw MeasuredRunError.spawn(spawned) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw MeasuredRunError.wait(errno) }
        }
        // WIFEXITED / WEXITSTATUS: the macros are not imported into Swift.
        let exitCode = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        return MeasuredResult(exitCode: exitCode, stderr: text, peakBytes: Int(usage.ru_maxrss) * 1024)
    }
}

public enum MeasuredRunError: Error, CustomStringConvertible {
    case spawn(Int32)
    case wait(Int32)

    public var description: String {
        switch self {
        case .spawn(let code): "posix_spawn failed: \(String(cString: strerror(code)))"
        case .wait(let code): "wait4 failed: \(String(cString: strerror(code)))"
        }
    }
}
