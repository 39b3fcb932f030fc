/// A matched stretch of a text, as offsets (in Unicode scalars, as `Span`) into that text: JSON carries these
/// beside the plain text, never markup inside it, and each front end draws them its own way (bold on a terminal,
/// `<mark>` on a page, nothing in a pipe).
public struct Highlight: Hashable, Sendable, Codable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The plain text and its highlights from a text whose highlighted stretches sit between `open` and `close`
    /// (as SQLite's FTS5 `snippet()` writes them).
    public static func parse(_ marked: String, open: Unicode.Scalar, close: Unicode.Scalar) -> (text: String, highlights: [Highlight]) {
        var text = String.UnicodeScalarView()
        var highlights: [Highlight] = []
        var start: Int?
        var count = 0
        for scalar in marked.unicodeScalars {
            if scalar == open {
                start = count
            } else if scalar == close {
                if let from = start, from < count { highlights.append(Highlight(start: from, end: count)) }
                start = nil
            } else {
                text.append(scalar)
                count += 1
            }
        }
        if let from = start, from < count { highlights.append(Highlight(start: from, end: count)) }
        return (String(text), highlights)
    }

    /// `text` with each highlighted stretch wrapped by `open` and `close`, every piece of text passed through
    /// `escape` first (HTML escaping for a page; nothing for a terminal).
    public static func render(
        _ text: String, _ highlights: [Highlight], open: String, close: String, escape: (String) -> String = { $0 }
    ) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        var position = 0
        func piece(_ range: Range<Int>) -> String { escape(String(String.UnicodeScalarView(scalars[range]))) }
        for highlight in highlights.sorted(by: { $0.start < $1.start }) {
            let start = max(position, min(highlight.start, scalars.count))
            let end = max(start, min(highlight.end, scalars.count))
            guard start < end else { continue }
            out += piece(position..<start) + open + piece(start..<end) + close
            position = end
        }
        return out + piece(position..<scalars.count)
    }
}

extension Highlight {
    /// At most `length` characters (Unicode scalars) of `text` that show its first highlight: the window opens a
    /// third of its room before that highlight, so the reader sees the words that matched and what leads to them,
    /// and "…" marks each side that was cut. The highlights are moved to the window's offsets; those outside it
    /// are dropped and those across its edge are clipped.
    public static func window(_ text: String, _ highlights: [Highlight], length: Int) -> (text: String, highlights: [Highlight]) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > length, length > 2 else { return (text, highlights) }
        let first = highlights.map(\.start).filter { $0 >= 0 && $0 < scalars.count }.min() ?? 0
        // Room for the marks: one "…" on each side that is cut.
        var from = max(0, first - (length - 2) / 3)
        from = min(from, max(0, scalars.count - (length - 1)))
        let lead = from > 0 ? 1 : 0
        var to = min(scalars.count, from + length - lead)
        if to < scalars.count { to -= 1 }
        var view = String.UnicodeScalarView()
        if lead == 1 { view.append("…") }
        view.append(contentsOf: scalars[from..<to])
        if to < scalars.count { view.append("…") }
        let moved = highlights.compactMap { highlight -> Highlight? in
            let start = max(highlight.start, from)
            let end = min(highlight.end, to)
            guard start < end else { return nil }
            return Highlight(start: start - from + lead, end: end - from + lead)
        }
        return (String(view), moved)
    }
}
