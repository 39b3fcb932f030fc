import Foundation
import SPScanCoverage
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("HTML report")
struct ReportTests {
    static let evidence = Evidence(
        text: "Ask what matters to the person, then listen.", start: 0, end: 44, heading: "Module 1", page: 3,
        terms: ["what matters"], spans: [Span(start: 4, end: 16, term: "what matters")], score: 0.9)

    func report(_ documents: [TaggedDocument], perCompetency: Int = 50) -> String {
        Report.html(
            input: ReportInput(
                documents: documents, framework: Fixtures.framework, generatedAt: Date(timeIntervalSince1970: 1_795_000_000),
                documentsPerCompetency: perCompetency))
    }

    @Test("summary figures, heatmaps by institution and target group, gaps, and a section per competency")
    func sections() {
        let html = report(Fixtures.documents)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<div><dt>Documents</dt><dd>5</dd></div>"))
        #expect(html.contains("<div><dt>Sources with documents</dt><dd>4</dd></div>"))
        #expect(html.contains("<div><dt>Countries</dt><dd>3</dd></div>"))
        #expect(html.contains("<div><dt>Competencies covered</dt><dd>3 of 5</dd></div>"))
        #expect(html.contains("<section id=\"by-institution\">"))
        #expect(html.contains("<section id=\"by-target-group\">"))
        #expect(html.contains("No training covers CO-2 Referral (of 5 documents)"))
        for competency in Fixtures.framework.competencies {
            #expect(html.contains("<section class=\"competency\" id=\"c-\(competency.id)\">"))
        }
        #expect(html.contains("<p class=\"none\">No document covers this competency.</p>"))
        #expect(!html.contains("Built from samples"))
    }

    @Test("evidence shows the passage with the matched words marked, and where it stands")
    func evidence() {
        var documents = Fixtures.documents
        documents[0].tags[0].evidence = [Self.evidence]
        let html = report(documents)
        #expect(
            html.contains(
                "<blockquote><cite>Module 1, page 3</cite> Ask <mark>what matters</mark> to the person, then listen.</blockquote>"))
        #expect(html.contains("<a href=\"https://example.org/alpha-guide\" rel=\"noopener noreferrer\">Title of alpha-guide</a>"))
    }

    @Test("a report built from samples says so in a banner, and marks each sample")
    func samples() {
        var documents = Fixtures.documents
        documents[2].origin = .sample
        let html = report(documents)
        #expect(
            html.contains(
                "<div class=\"banner\" role=\"note\"><strong>Built from samples, not captures.</strong> 1 of the 5 documents in this report is an authored sample:"
            ))
        #expect(html.contains("<span class=\"sample\">sample</span>"))
        let all = report(
            Fixtures.documents.map {
                var copy = $0; copy.origin = .sample; return copy
            })
        #expect(all.contains("Every document in this report is an authored sample"))
    }

    @Test("everything from a fetched page is escaped, and a javascript: address never becomes a link")
    func hostile() {
        let evil = Fixtures.document(
            "evil", institution: "Evil <b>Corp</b>", title: "<script>alert('title')</script>",
            url: "javascript:alert(1)",
            tags: [
                Fixtures.tag(
                    "AS-1", 0.8,
                    evidence: [
                        Evidence(
                            text: "<img src=x onerror=alert(2)> what matters", start: 0, end: 40, heading: "<h1>",
                            terms: ["what matters"], spans: [Span(start: 29, end: 41, term: "what matters")], score: 0.8)
                    ])
            ])
        let html = report([evil])
        #expect(html.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>Corp"))
        #expect(!html.contains("href=\"javascript:"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt; <mark>what matters</mark>"))
        // The only script is ours, inline.
        #expect(html.components(separatedBy: "<script").count == 2)
    }

    @Test("self-contained: nothing is fetched when the file is opened")
    func selfContained() {
        let html = report(Fixtures.documents)
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
        #expect(html.contains("default-src 'none'"))
    }

    @Test(
        "the inline script parses",
        .enabled(if: Node.executable != nil, "Node.js is not installed (apt-get install nodejs); the script was not checked"))
    func script() throws {
        let node = try #require(Node.executable)
        let html = report(Fixtures.documents)
        let script = try #require(html.components(separatedBy: "<script>").last?.components(separatedBy: "</script>").first)
        let directory = try TemporaryDirectory()
        let file = try directory.write(script, to: "report.js")
        let process = Process()
        process.executableURL = node
        process.arguments = ["--check", file.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("a competency with many documents lists the best and counts the rest")
    func limit() {
        let many = (1...5).map { Fixtures.document("doc-\($0)", institution: "I\($0)", tags: [Fixtures.tag("AS-2", Double($0) / 10)]) }
        let html = report(many, perCompetency: 2)
        #expect(html.contains("3 more documents cover it; <code>spscan query AS-2</code> lists them all."))
        let section = html.components(separatedBy: "id=\"c-AS-2\"")[1].components(separatedBy: "</section>")[0]
        #expect(section.contains("Title of doc-5") && section.contains("Title of doc-4") && !section.contains("Title of doc-3"))
    }

    @Test("highlighting merges overlapping spans, ignores spans out of range, and windows long passages")
    func highlighting() {
        let spans = [Span(start: 0, end: 3, term: "a"), Span(start: 2, end: 5, term: "b"), Span(start: 50, end: 60, term: "c")]
        #expect(Report.highlighted("abcdefg", spans: spans) == "<mark>abcde</mark>fg")
        #expect(Report.highlighted("é<b>", spans: [Span(start: 1, end: 4, term: "b")]) == "é<mark>&lt;b&gt;</mark>")
        #expect(
            Report.highlighted("First item\n\nSecond item", spans: [Span(start: 12, end: 18, term: "second")])
                == "First item<br><mark>Second</mark> item")
        let long = String(repeating: "x", count: 1000) + "target" + String(repeating: "y", count: 1000)
        let windowed = Report.highlighted(long, spans: [Span(start: 1000, end: 1006, term: "target")], window: 30)
        #expect(windowed == "…" + String(repeating: "x", count: 10) + "<mark>target</mark>" + String(repeating: "y", count: 14) + "…")
    }
}

enum Node {
    static var executable: URL? {
        ["/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"].first { FileManager.default.isExecutableFile(atPath: $0) }
            .map(URL.init(fileURLWithPath:))
    }
}

extension ReportTests {
    @Test("the report says how many documents are in a language the framework has no terms in")
    func otherLanguages() {
        var framework = Fixtures.framework
        framework.domains[0].competencies[0].terms = [.english: [Term("what matters")], .french: [Term("ce qui compte")]]
        var spanish = Fixtures.documents[3]
        spanish.language = .spanish
        var german = Fixtures.documents[4]
        german.language = .german
        let documents = [Fixtures.documents[0], spanish, german]
        let html = Report.html(input: ReportInput(documents: documents, framework: framework, generatedAt: Date(timeIntervalSince1970: 0)))
        #expect(html.contains("<div><dt>In another language (not tagged)</dt><dd>2</dd></div>"))
        #expect(html.contains("2 documents are in a language the framework has no terms in (Spanish 1, German 1): they are not tagged."))
        // Without any vocabulary nothing is tagged at all, so no language is "another".
        #expect(OtherLanguageCount(documents: documents, framework: Fixtures.framework).total == 0)
    }
}
