import Foundation
import SPScanCatalog
import SPScanModel
import SPScanTestSupport
import Testing

/// A catalog of three documents, one of them judged out of scope (a news page that mentions referral once).
struct ScopeProject {
    let directory: TemporaryDirectory

    static func web(_ text: String) -> URL { URL(string: text) ?? URL(fileURLWithPath: "/invalid-fixture-url") }

    static func tag(_ competency: String, _ score: Double) -> SPScanModel.Tag {
        let text = "Referral pathways to community groups."
        return Tag(
            competency: competency, domain: String(competency.prefix(2)), score: score,
            evidence: [Evidence(text: text, start: 0, end: text.count, heading: "", terms: ["referral"], spans: [], score: score)])
    }

    init() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"), to: directory.path("Sources.yaml"))
        let catalog = try CatalogDatabase(path: directory.path(".spscan/catalog.sqlite"))
        let sources = [
            Source(
                id: "ca-course", url: Self.web("https://example.ca/course"), title: "Link worker course", country: .canada,
                institution: "Canadian Institute", institutionType: .network, kind: .training, targetGroups: [.linkWorkers]),
            Source(
                id: "ca-news", url: Self.web("https://example.ca/news"), title: "Budget news", country: .canada,
                institution: "Canadian Institute", institutionType: .network, kind: .report, targetGroups: [.linkWorkers]),
        ]
        let evidence = Evidence(
            text: "The budget funds referral.", start: 0, end: 26, heading: "", terms: ["referral"], spans: [], score: 0.5)
        try catalog.write { writer in
            let scan = try writer.beginScan(startedAt: Date(timeIntervalSince1970: 1_763_980_800))
            for source in sources { try writer.upsertSource(source) }
            let inScope = ScopeJudgement(inScope: true, reason: "the field's terms in the body weigh 6 (link worker ×3; 3 needed)")
            try writer.replaceDocument(
                TaggedDocument(
                    id: "ca-course", source: sources[0], url: "https://example.ca/course", tags: [Self.tag("IS-5", 0.9)],
                    scope: inScope),
                passages: [], textHash: "a", scan: scan)
            let out = ScopeJudgement(
                inScope: false,
                reason: "the field's terms in the body weigh 1 (referral ×1; 3 needed), and 1 competency has evidence (IS-5; 3 needed)",
                evidence: [evidence])
            try writer.replaceDocument(
                TaggedDocument(
                    id: "ca-news", source: sources[1], url: "https://example.ca/news", tags: [Self.tag("IS-5", 0.7)], scope: out),
                passages: [], textHash: "b", scan: scan)
            try writer.finishScan(scan, finishedAt: Date(timeIntervalSince1970: 1_763_980_810))
        }
    }

    func run(_ arguments: [String]) throws -> CLIResult {
        try CLIRunner.run(arguments, in: directory.url)
    }
}

@Suite("Document scope on the command line")
struct ScopeCommandTests {
    @Test("query leaves out-of-scope documents out, says how many, and lists them when asked")
    func query() throws {
        let project = try ScopeProject()
        let table = try project.run(["query", "IS-5"])
        #expect(table.exitCode == 0, "\(table.stderr)")
        #expect(table.stdout.contains("IS-5 Supported navigation and referral: 1 document"))
        #expect(!table.stdout.contains("ca-news"))
        #expect(
            table.stdout.contains("1 document judged out of scope is left out: spscan query IS-5 --include-out-of-scope to see them."))

        let all = try project.run(["query", "IS-5", "--include-out-of-scope"])
        #expect(all.stdout.contains("ca-news (out of scope)"))
        #expect(all.stdout.contains("2 documents"))

        let json = try project.run(["query", "IS-5", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["left_out_of_scope"] as? Int == 1)
        let documents = try #require(object["documents"] as? [[String: Any]])
        #expect(documents.map { $0["in_scope"] as? Bool } == [true])

        let listed = try project.run(["query", "--out-of-scope"])
        #expect(listed.exitCode == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("1 document is judged out of scope and left out of coverage:"))
        #expect(listed.stdout.contains("1. ca-news: Budget news <https://example.ca/news>"))
        #expect(listed.stdout.contains("why: the field's terms in the body weigh 1 (referral ×1; 3 needed)"))
        #expect(listed.stdout.contains("\"The budget funds referral.\""))
        let listedJSON = try project.run(["query", "--out-of-scope", "--format", "json"])
        let entries = try #require(
            (try JSONSerialization.jsonObject(with: Data(listedJSON.stdout.utf8)) as? [String: Any])?["documents"] as? [[String: Any]])
        #expect(entries.first?["in_scope"] as? Bool == false)
        #expect((entries.first?["scope_evidence"] as? [[String: Any]])?.first?["text"] as? String == "The budget funds referral.")

        let missing = try project.run(["query"])
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("--out-of-scope"))
    }

    @Test("matrix and report count only documents in scope and say how many were left out")
    func matrixAndReport() throws {
        let project = try ScopeProject()
        let table = try project.run(["matrix", "--cols", "competency"])
        #expect(table.exitCode == 0, "\(table.stderr)")
        #expect(table.stdout.contains("1 document judged out of scope is left out: `spscan query --out-of-scope` lists them"))
        let json = try project.run(["matrix", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["documents"] as? Int == 1)
        #expect(object["left_out_of_scope"] as? Int == 1)
        #expect(json.stderr.contains("1 document judged out of scope is left out"))
        let report = try project.run(["report", "--output", "report.html"])
        #expect(report.exitCode == 0, "\(report.stderr)")
        let html = try String(contentsOf: project.directory.path("report.html"), encoding: .utf8)
        #expect(html.contains("<div><dt>Documents</dt><dd>1</dd></div>"))
        #expect(html.contains("1 document judged out of scope is left out"))
    }

    @Test("review DOC --in-scope overrides the judgement through Reviews.yaml; --clear gives it back")
    func review() throws {
        let project = try ScopeProject()
        let put = try project.run(["review", "ca-news", "--in-scope", "--reviewer", "sam", "--note", "a real programme page"])
        #expect(put.exitCode == 0, "\(put.stderr)")
        #expect(put.stdout.contains("ca-news: judged in scope by sam; written to Reviews.yaml."))
        #expect(put.stdout.contains("It was left out of coverage; it now counts."))
        let file = try String(contentsOf: project.directory.path("Reviews.yaml"), encoding: .utf8)
        #expect(file.contains("  - document: ca-news\n    scope: in\n    note: \"a real programme page\"\n    reviewer: sam\n"))
        let decisions = try ReviewFile.load(from: project.directory.path("Reviews.yaml"))
        #expect(decisions.map(\.isScope) == [true])
        #expect(try project.run(["query", "IS-5"]).stdout.contains("2 documents"))
        let matrix = try project.run(["matrix", "--format", "json"])
        #expect(
            (try JSONSerialization.jsonObject(with: Data(matrix.stdout.utf8)) as? [String: Any])?["left_out_of_scope"] as? Int == 0)

        let out = try project.run(["review", "ca-course", "--out-of-scope", "--reviewer", "sam"])
        #expect(out.stdout.contains("It counted in coverage; it is now left out (its tags stay in the catalog)."))
        #expect(try project.run(["query", "--out-of-scope"]).stdout.contains("why: put out of scope by a reviewer"))

        let cleared = try project.run(["review", "ca-news", "--clear"])
        #expect(cleared.exitCode == 0, "\(cleared.stderr)")
        #expect(cleared.stdout.contains("ca-news: scope decision cleared; written to Reviews.yaml."))
        #expect(cleared.stdout.contains("It counted in coverage; it is now left out"))

        let both = try project.run(["review", "ca-news", "IS-5", "--in-scope"])
        #expect(both.exitCode == 2)
        #expect(both.stderr.contains("leave out the competency"))
        let nothing = try project.run(["review", "ca-news", "--clear"])
        #expect(nothing.exitCode == 2)
    }
}
