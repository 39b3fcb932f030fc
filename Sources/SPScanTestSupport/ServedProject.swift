import Foundation

/// `spscan serve` started as a user starts it, with the port it reports once bound: tests that need a live server
/// (sockets, signals, a second process writing the same files) share this instead of each reading the log.
public final class ServedProject {
    public let process: Process
    /// Standard error, still open: read the rest of it after a signal to see how the server stopped.
    public let errors: Pipe
    /// What the server wrote to standard error up to the line that names its address.
    public private(set) var log = ""
    /// The port the server listens on, nil when it stopped before saying so (the log says why).
    public private(set) var port: Int?

    /// Runs `spscan serve <arguments>` in `directory` and waits for its "listening on" line.
    public init(arguments: [String], in directory: URL) throws {
        process = Process()
        process.executableURL = try CLIRunner.executable
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = directory
        errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        while port == nil {
            let chunk = errors.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            log += String(decoding: chunk, as: UTF8.self)
            if let range = log.range(of: "listening on http://127.0.0.1:") {
                port = Int(log[range.upperBound...].prefix { $0.isNumber })
            }
        }
    }

    /// Ends the server if the test has not already; call it from a `defer` so no server outlives its test.
    public func stopIfRunning() {
        if process.isRunning { process.terminate() }
    }
}
