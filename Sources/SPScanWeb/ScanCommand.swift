import Foundation

/// A scheduled scan run as a command: `spscan scan --only IDS` in a child process.
///
/// Running the command itself means a scheduled scan takes the same run lock, writes the same files and exits
/// with the same codes as one started from a terminal or cron, and a crash in a scan cannot take the server
/// down. When the server shuts down, the child gets SIGTERM and finishes its current write.
public enum ScanCommand {
    /// `executable arguments... --only ID...`, its exit code read as `spscan scan` documents it.
    public static func function(executable: URL, arguments: [String]) -> ScanFunction {
        { request in
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments + ["--only"] + request.sourceIDs
            process.standardOutput = FileHandle.nullDevice
            let status: Int32 = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do {
                        try process.run()
                    } catch {
                        process.terminationHandler = nil
                        continuation.resume(throwing: error)
                    }
                }
            } onCancel: {
                if process.isRunning { process.terminate() }
            }
            return result(status: status, sources: request.sourceIDs.count)
        }
    }

    static func result(status: Int32, sources count: Int) -> ScanRunResult {
        let sources = count == 1 ? "1 source" : "\(count) sources"
        switch status {
        case 0: return ScanRunResult(summary: "scanned \(sources)", succeeded: true)
        case 1: return ScanRunResult(summary: "scanned \(sources); some failed (exit 1; see `spscan changes`)", succeeded: false)
        default:
            return ScanRunResult(
                summary: "the scan of \(sources) stopped before fetching (exit \(status)); see the server's log", succeeded: false)
        }
    }
}
