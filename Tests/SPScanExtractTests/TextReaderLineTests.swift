import Foundation
import Testing

@testable import SPScanExtract

@Suite("Text reader: lines read from bytes")
struct TextReaderLineTests {
    /// What the reader did before it read bytes: split by Character, trimmed through Foundation.
    private func reference(_ text: String) -> [TextReader.Line] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { raw in
            TextReader.Line(
                trimmed: String(raw).trimmingCharacters(in: .whitespaces), startsWithWhitespace: raw.first?.isWhitespace == true)
        }
    }

    static let samples = [
        "", "\n", "one line", "two\nlines\n", "windows\r\nline ends\r\n\r\nand a paragraph", "old mac\rline\r\rends",
        "  indented\tand tabbed\t \n\t- item\n   continued", "vertical\u{0B}tab and form\u{0C}feed", "next\u{85}line",
        "line\u{2028}separator\u{2029}paragraph", "\u{A0}non-breaking spaces\u{A0}\n\u{3000}ideographic\u{2003}",
        " \u{301}combining after a space", "café ", "émoji 👩‍👩‍👧 end", "tail spaces then accent é\u{A0}", "\r\n\r\n\r\n",
        "mixed\n\r\n\u{2028}\rbreaks", "\t", "a\u{301}\nb",
    ]

    @Test("the same lines, trims and indentation as splitting by Character", arguments: samples)
    func sameLines(_ text: String) {
        let lines = TextReader.lines(text)
        let expected = reference(text)
        #expect(lines.map(\.trimmed) == expected.map(\.trimmed))
        #expect(lines.map(\.startsWithWhitespace) == expected.map(\.startsWithWhitespace))
    }

    @Test("a CR LF file reads as the same blocks as an LF one")
    func crlfBlocks() {
        let lf = TextReader().read("First paragraph\nstill first.\n\nSecond one.\n- item\n  more\n", markdown: true)
        let crlf = TextReader().read("First paragraph\r\nstill first.\r\n\r\nSecond one.\r\n- item\r\n  more\r\n", markdown: true)
        #expect(crlf.blocks.map(\.text) == lf.blocks.map(\.text))
        #expect(lf.blocks.map(\.text) == ["First paragraph still first.", "Second one.", "item more"])
    }
}
