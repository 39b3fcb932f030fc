import Foundation
import SPScanModel

/// Where output goes, and what it may do there: bold and colour only on a terminal and only without `NO_COLOR`
/// (no-color.org), the width from `COLUMNS` or the terminal itself, so that a pipe or a file gets plain text.
struct Terminal: Sendable {
    /// Whether the stream is a terminal a person reads.
    var isInteractive: Bool
    /// Whether bold and colour may be written.
    var styled: Bool
    /// The columns a line may take.
    var width: Int

    static let standardOutput = Terminal(descriptor: STDOUT_FILENO)
    static let standardError = Terminal(descriptor: STDERR_FILENO)

    init(descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) {
        isInteractive = isatty(descriptor) == 1
        styled = isInteractive && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        width = Self.width(descriptor: descriptor, environment: environment)
    }

    init(isInteractive: Bool, styled: Bool, width: Int) {
        self.isInteractive = isInteractive
        self.styled = styled
        self.width = width
    }

    /// `COLUMNS` when set (as shells export it, and as tests set it), else the terminal's own width, else 120.
    static func width(descriptor: Int32, environment: [String: String]) -> Int {
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return max(40, columns) }
        var size = winsize()
        if isatty(descriptor) == 1, ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return max(40, Int(size.ws_col))
        }
        return 120
    }

    /// The text with its highlighted stretches in bold, or plain when styling is off.
    func highlighted(_ text: String, _ highlights: [Highlight]) -> String {
        guard styled else { return text }
        return Highlight.render(text, highlights, open: "\u{1B}[1m", close: "\u{1B}[0m")
    }

    func bold(_ text: String) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
}
