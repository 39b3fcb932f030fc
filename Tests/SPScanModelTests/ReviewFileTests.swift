import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("Reviews.yaml")
struct ReviewFileTests {
    static let date = Date(timeIntervalSince1970: 1_764_066_600)  // 2025-11-25T10:30:00Z

    @Test("written sorted, read back equal, stable byte for byte")
    func roundTrip() throws {
        let decisions = [
            ReviewDecision(
                documentID: "gb-nasp", competency: "IS-5", verdict: .reject, note: "says \"MI\" but means: a leaflet\nonly",
                reviewer: "Ana María", decidedAt: Self.date),
            ReviewDecision(documentID: "ca-cisp", competency: "true", verdict: .accept, decidedAt: Self.date),
            ReviewDecision(documentID: "ca-cisp", competency: "CE-7", verdict: .accept, note: "- module 3: # yes", decidedAt: Self.date),
        ]
        let text = ReviewFile.render(decisions)
        #expect(
            text.hasSuffix(
                """
                reviews:
                  - document: ca-cisp
                    competency: CE-7
                    decision: accept
                    note: "- module 3: # yes"
                    date: 2025-11-25T10:30:00Z
                  - document: ca-cisp
                    competency: "true"
                    decision: accept
                    date: 2025-11-25T10:30:00Z
                  - document: gb-nasp
                    competency: IS-5
                    decision: reject
                    note: "says \\"MI\\" but means: a leaflet\\nonly"
                    reviewer: Ana María
                    date: 2025-11-25T10:30:00Z

                """))
        let (read, diagnostics) = ReviewFile.parse(text, file: "Reviews.yaml")
        #expect(diagnostics.isEmpty)
        #expect(read == decisions.sorted { ($0.documentID, $0.competency) < ($1.documentID, $1.competency) })
        #expect(ReviewFile.render(read) == text)
    }

    @Test("a missing or empty file holds no decisions")
    func missingAndEmpty() throws {
        let directory = try TemporaryDirectory()
        #expect(try ReviewFile.load(from: directory.path("Reviews.yaml")).isEmpty)
        try ReviewFile.write([], to: directory.path("Reviews.yaml"))
        #expect(try ReviewFile.load(from: directory.path("Reviews.yaml")).isEmpty)
        #expect(ReviewFile.parse("reviews:\n", file: "Reviews.yaml").1.isEmpty)
    }

    @Test("hand-edit mistakes are reported together with line and column")
    func mistakes() {
        let text = """
            reviews:
              - document: ca-cisp
                competency: IS-5
                decision: maybe
                date: 2026-11-25
              - document: ca-cisp
                competency: IS-6
                decision: accept
                date: yesterday
                colour: blue
              - document: ca-cisp
                competency: IS-5
                decision: reject
                date: 2026-11-25
              - competency: IS-7
                decision: accept
                date: 2026-11-25
            """
        let (decisions, diagnostics) = ReviewFile.parse(text, file: "Reviews.yaml")
        #expect(decisions.map(\.competency) == ["IS-5"])
        #expect(
            diagnostics.map(\.description) == [
                "Reviews.yaml:4:15: error: review of 'ca-cisp': unknown decision 'maybe'; use accept or reject",
                "Reviews.yaml:9:11: error: review of 'ca-cisp': `date` is 'yesterday'; write it as 2026-11-25T10:30:00Z or 2026-11-25",
                "Reviews.yaml:10:5: error: review of 'ca-cisp': unknown key `colour`; allowed keys are document, competency, decision, scope, note, reviewer, date",
                "Reviews.yaml:15:5: error: review: missing required `document`",
            ])
    }

    @Test("the same tag twice is an error naming the first line")
    func duplicate() {
        let text = """
            reviews:
              - {document: a, competency: IS-5, decision: accept, date: 2026-11-25}
              - {document: a, competency: is-5, decision: reject, date: 2026-11-26}
            """
        let (_, diagnostics) = ReviewFile.parse(text, file: "Reviews.yaml")
        #expect(
            diagnostics.map(\.description) == [
                "Reviews.yaml:3:5: error: review of 'a' is-5 is given twice (first on line 2); keep one"
            ])
    }

    @Test("a new decision on a tag replaces the old one")
    func merging() {
        let old = ReviewDecision(documentID: "a", competency: "IS-5", verdict: .accept, decidedAt: Self.date)
        let other = ReviewDecision(documentID: "a", competency: "IS-1", verdict: .accept, decidedAt: Self.date)
        let new = ReviewDecision(documentID: "a", competency: "IS-5", verdict: .reject, note: "no", decidedAt: Self.date)
        #expect(ReviewFile.merging(new, into: [old, other]) == [other, new])
    }

    @Test("writes are atomic and load reports file errors as configuration errors")
    func writeAndLoad() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("project/Reviews.yaml")
        let decision = ReviewDecision(documentID: "a", competency: "IS-5", verdict: .accept, decidedAt: Self.date)
        try ReviewFile.write([decision], to: url)
        #expect(try ReviewFile.load(from: url) == [decision])
        try directory.write("reviews: [", to: "project/Reviews.yaml")
        #expect(throws: ConfigurationError.self) { try ReviewFile.load(from: url) }
    }
}
