import Foundation
import SPScanModel
import Testing

@Suite struct JSONStyleTests {
    @Test func propertyNamesBecomeSnakeCaseAndDataKeysStayAsTheyAre() {
        #expect(JSONStyle.snakeCase("documentID") == "document_id")
        #expect(JSONStyle.snakeCase("sourceIDs") == "source_ids")
        #expect(JSONStyle.snakeCase("snapshotSHA256") == "snapshot_sha256")
        #expect(JSONStyle.snakeCase("httpStatus") == "http_status")
        #expect(JSONStyle.snakeCase("finalURL") == "final_url")
        #expect(JSONStyle.snakeCase("nearMisses") == "near_misses")
        #expect(JSONStyle.snakeCase("score") == "score")
        #expect(JSONStyle.snakeCase("IS-5") == "IS-5")
        #expect(JSONStyle.snakeCase("blocked-by-robots") == "blocked-by-robots")
        #expect(JSONStyle.snakeCase("already_snake") == "already_snake")
    }

    @Test func theDecoderReadsWhatTheEncoderWroteAndTheOldCamelCase() throws {
        struct Value: Codable, Equatable {
            var documentID: String
            var sourceIDs: [String]
            var snapshotSHA256: String?
            var decidedAt: Date
            var counts: [String: Int]
        }
        let value = Value(
            documentID: "d", sourceIDs: ["a"], snapshotSHA256: "f0", decidedAt: Date(timeIntervalSince1970: 1_763_980_800),
            counts: ["IS-5": 1, "blocked-by-robots": 0])
        let text = try JSONStyle.string(value)
        #expect(text.contains("\"document_id\" : \"d\""))
        #expect(text.contains("\"source_ids\""))
        #expect(text.contains("\"snapshot_sha256\""))
        #expect(text.contains("\"decided_at\" : \"2025-11-24T10:40:00Z\""))
        #expect(text.contains("\"IS-5\" : 1"))
        #expect(try JSONStyle.decoder().decode(Value.self, from: Data(text.utf8)) == value)
        let old = #"{"documentID": "d", "sourceIDs": ["a"], "decidedAt": "2025-11-24T10:40:00Z", "counts": {}}"#
        #expect(try JSONStyle.decoder().decode(Value.self, from: Data(old.utf8)).documentID == "d")
    }

    @Test func highlightsRoundTripBetweenMarksAndOffsets() {
        let (text, highlights) = Highlight.parse("a \u{E000}bé\u{E001} c \u{E000}d\u{E001}", open: "\u{E000}", close: "\u{E001}")
        #expect(text == "a bé c d")
        #expect(highlights == [Highlight(start: 2, end: 4), Highlight(start: 7, end: 8)])
        #expect(Highlight.render(text, highlights, open: "[", close: "]") == "a [bé] c [d]")
        #expect(
            Highlight.render("x<y", [Highlight(start: 0, end: 1)], open: "<b>", close: "</b>") {
                $0.replacingOccurrences(of: "<", with: "&lt;")
            } == "<b>x</b>&lt;y")
    }
}

@Suite("Highlight windows")
struct HighlightWindowTests {
    @Test("a window opens before the first highlight, marks the cut sides and moves the highlights")
    func window() throws {
        let text = String(repeating: "a", count: 100) + "MATCH" + String(repeating: "b", count: 100)
        let (cut, highlights) = Highlight.window(text, [Highlight(start: 100, end: 105)], length: 40)
        #expect(cut.unicodeScalars.count == 40)
        #expect(cut.hasPrefix("…") && cut.hasSuffix("…"))
        let moved = try #require(highlights.first)
        let scalars = Array(cut.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[moved.start..<moved.end])) == "MATCH")
        // About a third of the room before the match.
        #expect(moved.start >= 10 && moved.start <= 14)
    }

    @Test("a short text is left whole; a match near the end keeps the end and cuts only the start")
    func edges() {
        #expect(Highlight.window("short", [Highlight(start: 0, end: 5)], length: 40).text == "short")
        let text = String(repeating: "a", count: 100) + "END"
        let (cut, highlights) = Highlight.window(text, [Highlight(start: 100, end: 103)], length: 20)
        #expect(cut.hasPrefix("…") && cut.hasSuffix("END") && cut.unicodeScalars.count == 20)
        #expect(highlights == [Highlight(start: 17, end: 20)])
        // No highlight at all: the window is the start.
        let (plain, none) = Highlight.window(text, [], length: 20)
        #expect(plain.hasPrefix("aaa") && plain.hasSuffix("…") && none.isEmpty)
    }
}
