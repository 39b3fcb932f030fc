import Foundation
import Testing

@testable import SPScan

@Suite("word diffs of extracted text")
struct TextDiffTests {
    func marked(_ diff: TextDiff) -> String {
        diff.segments.map { segment in
            switch segment.operation {
            case .same: segment.text
            case .added: "{+\(segment.text)+}"
            case .removed: "[-\(segment.text)-]"
            }
        }.joined()
    }

    @Test("changed words are marked in place, the rest is kept as it was")
    func wordsInPlace() {
        let diff = TextDiff.words(
            from: "Learners practise active listening.\nModule 2: referral.",
            to: "Learners practise reflective listening.\nModule 2: referral.")
        #expect(marked(diff) == "Learners practise [-active-] {+reflective+} listening.\nModule 2: referral.")
        #expect(diff.wordsAdded == 1 && diff.wordsRemoved == 1)
    }

    @Test("added and removed paragraphs; re-wrapped text is not a change")
    func paragraphs() {
        let diff = TextDiff.words(from: "One two three.\nGone paragraph here.\nLast one.", to: "One  two\tthree.\nLast one.\nA new end.")
        #expect(marked(diff) == "One two three.\n[-Gone paragraph here.-]\nLast one.\n{+A new end.+}")
        #expect(TextDiff.words(from: "a b c\nd e", to: "a  b c\nd e").isEmpty)
        #expect(TextDiff.words(from: "", to: "").segments.isEmpty)
        #expect(marked(TextDiff.words(from: "", to: "all new")) == "{+all new+}")
    }

    @Test("unchanged context is folded to a few words around each change")
    func hunks() {
        let words = (1...100).map { "w\($0)" }
        var changed = words
        changed[10] = "CHANGED"
        changed[80] = "ALSO"
        let diff = TextDiff.words(from: words.joined(separator: " "), to: changed.joined(separator: " "))
        let hunks = diff.hunks(context: 3)
        #expect(hunks.count == 2)
        #expect(hunks[0].foldedBefore && hunks[0].foldedAfter && hunks[1].foldedBefore && hunks[1].foldedAfter)
        let first = hunks[0].segments.map(\.text).joined()
        #expect(first == "w8 w9 w10 w11 CHANGED w12 w13 w14")
        let near = TextDiff.words(from: "a b c d", to: "a B c d").hunks(context: 3)
        #expect(near.count == 1 && !near[0].foldedBefore && !near[0].foldedAfter)
    }

    @Test("a long text with a few edits is diffed without comparing every word with every word")
    func largeText() {
        let paragraphs = (0..<5_000).map { index in "Paragraph \(index) says something about link workers and referral." }
        var edited = paragraphs
        edited[100] = "Paragraph 100 says something new about link workers."
        edited.remove(at: 2_000)
        edited.insert("An inserted paragraph.", at: 4_000)
        let diff = TextDiff.words(from: paragraphs.joined(separator: "\n"), to: edited.joined(separator: "\n"))
        #expect(diff.wordsAdded == 5)
        #expect(diff.hunks().count == 3)
    }
}
