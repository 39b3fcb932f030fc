import Foundation
import SPScanModel

/// Reads plain text and Markdown: blocks are separated by blank lines; Markdown headings, list items and
/// table rows keep their roles.
struct TextReader {
    struct Result {
        var blocks: [Block]
        var links: [URL]
    }

    func read(_ text: String, markdown: Bool) -> Result {
        var blocks: [Block] = []
        var links: [URL] = []
        var paragraph: [String] = []
        var inFence = false

        func flushParagraph() {
            if !paragraph.isEmpty { blocks.append(Block(paragraph.joined(separator: " "))) }
            paragraph.removeAll()
        }

        for rawLine in Self.lines(text) {
            var line = rawLine.trimmed
            if markdown && line.hasPrefix("```") {
                flushParagraph()
                inFence.toggle()
                continue
            }
            if line.isEmpty {
                flushParagraph()
                continue
            }
            if markdown && !inFence {
                line = stripInlineMarkdown(line, links: &links)
                if let heading = markdownHeading(line) {
                    flushParagraph()
                    blocks.append(Block(heading.text, role: .heading, level: heading.level))
                    continue
                }
                if line.hasPrefix("|") {
                    flushParagraph()
                    let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                    if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { continue }
                    blocks.append(Block(cells.filter { !$0.isEmpty }.joined(separator: " | "), role: .tableCell))
                    continue
                }
            }
            if let item = listItem(line) {
                flushParagraph()
                blocks.append(Block(item, role: .listItem))
                continue
            }
            if let last = blocks.last, last.role == .listItem, paragraph.isEmpty, rawLine.startsWithWhitespace {
                blocks[blocks.count - 1].text += " " + line
                continue
            }
            paragraph.append(line)
        }
        flushParagraph()
        return Result(blocks: blocks, links: links)
    }

    /// One line of the text, trimmed of spaces and tabs as `trimmingCharacters(in: .whitespaces)` would.
    struct Line {
        var trimmed: String
        /// Whether the untrimmed line's first character is white space (an indented continuation).
        var startsWithWhitespace: Bool
    }

    /// The text's lines, split where `Character.isNewline` splits them (LF, CR, CR LF as one, VT, FF, NEL,
    /// U+2028, U+2029), read as UTF-8 bytes. Splitting by Character and trimming through NSString were two thirds
    /// of `spscan tag` on a large text file; the bytes give the same lines. Only a line that starts or ends in a
    /// non-ASCII character is trimmed by Foundation, since that character may be a Unicode space.
    static func lines(_ text: String) -> [Line] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [Line] = []
            var start = 0
            var index = 0
            let count = bytes.count
            func emit(_ end: Int) {
                lines.append(line(bytes, start..<end))
            }
            while index < count {
                let byte = bytes[index]
                var breakLength = 0
                switch byte {
                case 0x0A, 0x0B, 0x0C: breakLength = 1
                case 0x0D: breakLength = index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1
                case 0xC2 where index + 1 < count && bytes[index + 1] == 0x85: breakLength = 2
                case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    breakLength = 3
                default: break
                }
                if breakLength > 0 {
                    emit(index)
                    index += breakLength
                    start = index
                } else {
                    index += 1
                }
            }
            emit(count)
            return lines
        }
    }

    private static func line(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Line {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        let first = range.isEmpty ? nil : bytes[range.lowerBound]
        let plainStart = first.map { $0 < 0x80 && (range.count == 1 || bytes[range.lowerBound + 1] < 0x80) } ?? true
        let startsWithWhitespace: Bool
        if plainStart {
            startsWithWhitespace = first.map { $0 == 0x20 || (0x09...0x0D).contains($0) } ?? false
        } else {
            let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            startsWithWhitespace = raw.first?.isWhitespace == true
        }
        if (lower < upper && bytes[lower] >= 0x80) || (upper > lower && bytes[upper - 1] >= 0x80) {
            let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            return Line(trimmed: raw.trimmingCharacters(in: .whitespaces), startsWithWhitespace: startsWithWhitespace)
        }
        let trimmed = String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
        return Line(trimmed: trimmed, startsWithWhitespace: startsWithWhitespace)
    }

    private func markdownHeading(_ line: String) -> (text: String, level: Int)? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard hashes >= 1, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
        let text = line.dropFirst(hashes).trimmingCharacters(in: CharacterSet(charactersIn: "# "))
        return (text, hashes)
    }

    private func listItem(_ line: String) -> String? {
        for bullet in ["- ", "* ", "+ ", "• ", "– "] where line.hasPrefix(bullet) {
            return String(line.dropFirst(bullet.count))
        }
        let digits = line.prefix(while: \.isNumber)
        if !digits.isEmpty, digits.count <= 3 {
            let rest = line.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return String(rest.dropFirst(2)) }
        }
        return nil
    }

    /// `**bold**`, `_em_`, `` `code` `` and `[text](url)` reduced to their text; link targets kept for follow rules.
    private func stripInlineMarkdown(_ line: String, links: inout [URL]) -> String {
        var result = ""
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "[") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "]"), rest[close...].dropFirst().first == "(",
                let end = rest[close...].firstIndex(of: ")")
            else {
                result.append("[")
                rest = rest[afterOpen...]
                continue
            }
            result += rest[afterOpen..<close]
            let target = rest[rest.index(close, offsetBy: 2)..<end]
            if let url = URL(string: String(target)), let scheme = url.scheme, scheme.hasPrefix("http") { links.append(url) }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return result.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            .replacingOccurrences(of: "`", with: "")
    }
}
