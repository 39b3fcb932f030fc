import Foundation
import Logging

/// How the command line writes its log to standard error, for a person rather than a log collector.
///
/// A scan's stages ("[6/11] fetch") and the news of each stage (a source fetched, a webhook told) share one line
/// that each message overwrites, on a terminal: the run shows where it is without scrolling the summary away.
/// Warnings and errors always get a line of their own and stay. In a pipe or a file, every message is a plain line
/// (no timestamps, no escape codes). `--verbose` adds debug messages, each with its time and level, for a bug
/// report.
struct ConsoleLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let console: Console

    init(level: Logger.Level, console: Console) {
        logLevel = level
        self.console = console
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.message)"
        if console.verbose {
            console.line("\(ConsoleLogHandler.clock()) \(event.level) \(text)")
            return
        }
        switch event.level {
        case .warning: console.line("warning: \(text)")
        case .error, .critical: console.line("error: \(text)")
        case .info, .notice: console.status(text)
        case .trace, .debug: console.line(text)
        }
    }

    static func clock() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "HH:mm:ss.SSS"
        return formatter.string(from: Date())
    }
}

/// Standard error as the log sees it: whether a status line is showing, to be overwritten or closed.
final class Console: @unchecked Sendable {
    static let standardError = Console(terminal: Terminal.standardError)

    let terminal: Terminal
    var verbose = false
    private let lock = NSLock()
    private var statusShowing = false

    init(terminal: Terminal) {
        self.terminal = terminal
    }

    /// A message that replaces the status line on a terminal (cut to its width), or a plain line elsewhere.
    func status(_ text: String) {
        guard terminal.isInteractive else { return line(text) }
        let fitted = text.count < terminal.width ? text : String(text.prefix(max(1, terminal.width - 2))) + "…"
        lock.withLock {
            write("\r\u{1B}[2K" + fitted)
            statusShowing = true
        }
    }

    /// A line that stays: the status line, if one shows, is cleared first.
    func line(_ text: String) {
        lock.withLock {
            if statusShowing { write("\r\u{1B}[2K") }
            statusShowing = false
            write(text + "\n")
        }
    }

    /// Clears the status line, before results are printed on the same terminal.
    func finish() {
        lock.withLock {
            guard statusShowing else { return }
            write("\r\u{1B}[2K")
            statusShowing = false
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
