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

        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = String(rawLine).trimmingCharacters(in: .whitespaces)
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
            if let last = blocks.last, last.role == .listItem, paragraph.isEmpty, rawLine.first?.isWhitespace == true {
                blocks[blocks.count - 1].text += " " + line
                continue
            }
            paragraph.append(line)
        }
        flushParagraph()
        return Result(blocks: blocks, links: links)
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
