import Foundation
import SPScanCatalog
import SPScanTestSupport
import Testing

/// Pages whose answers change from scan to scan, served by a real loopback server.
final class ChangingSite: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [String: Int] = [:]
    private var pages: [String: String] = [:]
    let server: FixtureServer

    init() throws {
        server = try FixtureServer()
        for name in ["d", "e"] {
            server.route("/\(name)") { [unowned self] _ in
                let (status, page) = self.state(name)
                return .html(status == 200 ? page : "<html><body>error \(status)</body></html>", status: status)
            }
        }
    }

    private func state(_ name: String) -> (Int, String) {
        lock.lock()
        defer { lock.unlock() }
        return (statuses[name] ?? 200, pages[name] ?? "")
    }

    /// Sets a page: the etag routes (a, b, c) answer 304 to an unchanged page; d and e answer with `status`.
    func set(_ name: String, _ body: String, status: Int = 200) {
        let html = Self.page(title: "Page \(name)", body)
        if ["d", "e"].contains(name) {
            lock.lock()
            statuses[name] = status
            if status == 200 { pages[name] = html }
            lock.unlock()
        } else {
            server.setDocument(name, html)
        }
    }

    static func page(title: String, _ body: String) -> String {
        """
        <!doctype html><html><head><title>\(title)</title></head><body>
        <nav><a href="/">Home</a> <a href="/courses">Courses</a></nav>
        <main><h1>\(title)</h1>
        \(body)
        </main></body></html>
        """
    }

    var sources: [(id: String, url: URL)] {
        [
            ("a", server.url("etag/a")), ("b", server.url("etag/b")), ("c", server.url("etag/c")), ("d", server.url("d")),
            ("e", server.url("e")),
        ]
    }
}

enum Modules {
    static let listening = """
        <h2>Module 1: Person-centred conversations</h2>
        <p>Learners practise active listening, open questions and building rapport, and ask each person what matters to them.</p>
        """
    static let interviewing = """
        <h2>Module 2: Motivational interviewing</h2>
        <p>Learners use motivational interviewing and health coaching to support self-management and confidence.</p>
        """
    static let safeguarding = """
        <h2>Module 3: Safeguarding</h2>
        <p>Recognising abuse and neglect, safeguarding adults at risk, and escalating a crisis to emergency services.</p>
        """
    static let volunteers = """
        <p>How we recruit, train and supervise volunteers and peer supporters who help people find local groups.</p>
        """
    static let directory = """
        <ul><li>Keeping the directory of local groups and community activities up to date</li>
        <li>Referral pathways to social prescribing services, with follow-up after each referral</li></ul>
        """
}

@Suite("spscan index rebuilds the history of every scan from Corpus/")
struct HistoryRebuildTests {
    /// The answers a user reads, through the command line.
    static let commands: [[String]] = [
        ["changes", "--format", "json"],
        ["changes", "--since", "2000-01-01", "--format", "json"],
        ["matrix", "--format", "json"],
        ["matrix", "--rows", "source", "--cols", "competency", "--format", "json"],
        ["query", "IS-5", "--format", "json"],
        ["search", "volunteers", "--format", "json"],
        ["trend", "--format", "json"],
        ["trend", "--rows", "source", "--cols", "domain", "--format", "json"],
        ["matrix", "--at", "2", "--rows", "source", "--cols", "competency", "--format", "json"],
        ["diff", "a", "--from", "1", "--format", "json"],
    ]

    static func answers(in project: TemporaryDirectory) throws -> [String] {
        try commands.map { arguments in
            let result = try CLIRunner.run(arguments, in: project.url)
            #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
    }

    static func scan(_ arguments: [String], in project: TemporaryDirectory) throws {
        let result = try CLIRunner.run(["scan"] + arguments, in: project.url)
        #expect(result.exitCode <= 1, "\(result.stderr)")
    }

    @Test("a catalog rebuilt from scratch gives the same tables, changes, versions and matrix after six scans")
    func rebuiltCatalogIsTheSame() async throws {
        let site = try ChangingSite()
        let project = try scanProject(site.sources)
        // Scan 1: everything new.
        site.set("a", Modules.listening + Modules.interviewing)
        site.set("b", Modules.volunteers + "<footer>Updated 1 November 2026</footer>")
        site.set("c", Modules.safeguarding)
        site.set("d", Modules.directory)
        site.set("e", Modules.volunteers + Modules.listening)
        try Self.scan([], in: project)
        // Scan times are kept to the whole second (the same in the catalog and the journal), so `changes --since`
        // can tell scan 2 from scan 1 only if they start in different seconds; on an idle machine they may not.
        let nextSecond = (Date().timeIntervalSince1970 + 1).rounded(.down) + 0.05
        try await Task.sleep(for: .seconds(nextSecond - Date().timeIntervalSince1970))
        // Scan 2: a gains a module, b's bytes change outside its main text, e fails.
        site.set("a", Modules.listening + Modules.interviewing + Modules.safeguarding)
        site.set("b", Modules.volunteers + "<footer>Updated 2 November 2026</footer>")
        site.set("e", "", status: 500)
        try Self.scan([], in: project)
        // Scan 3: a loses one, d is gone, e is back with new text.
        site.set("a", Modules.listening + Modules.safeguarding)
        site.set("d", "", status: 404)
        site.set("e", Modules.volunteers + Modules.directory)
        try Self.scan([], in: project)
        // Scan 4: only a, which changes again.
        site.set("a", Modules.interviewing + Modules.safeguarding)
        try Self.scan(["--only", "a"], in: project)
        // Scan 5: d comes back changed, b's main text changes.
        site.set("d", Modules.directory + Modules.interviewing)
        site.set("b", Modules.volunteers + Modules.directory)
        try Self.scan([], in: project)
        // Scan 6: offline, after a sample was imported for c.
        try project.write(Modules.safeguarding, to: "Samples/c.html")
        #expect(try CLIRunner.run(["corpus", "import-samples", "Samples"], in: project.url).exitCode == 0)
        try Self.scan(["--offline"], in: project)

        let scanned = try CatalogDatabase(path: project.path(".spscan/catalog.sqlite"))
        let tablesBefore = try scanned.contentsByTable()
        let documents = try scanned.documentIDs()
        let detailsBefore = try documents.map { try scanned.document(id: $0) }
        let answersBefore = try Self.answers(in: project)
        #expect(try scanned.scans().count == 6)
        let afterFirst = try #require(try scanned.scans().dropFirst().first).startedAt
        let changedSinceFirst = try scanned.changes(since: afterFirst).changedDocuments.map(\.documentID)
        #expect(changedSinceFirst == ["a", "b", "d", "e"], "changed: \(changedSinceFirst)")
        #expect(tablesBefore["passageEvent"]?.isEmpty == false)
        #expect(tablesBefore["tagEvent"]?.isEmpty == false)

        try FileManager.default.moveItem(at: project.path(".spscan"), to: project.path("scanned"))
        let index = try CLIRunner.run(["index"], in: project.url)
        #expect(index.exitCode == 0, "\(index.stderr)")

        let rebuilt = try CatalogDatabase(path: project.path(".spscan/catalog.sqlite"))
        let tablesAfter = try rebuilt.contentsByTable()
        #expect(tablesAfter.keys.sorted() == tablesBefore.keys.sorted())
        for (table, rows) in tablesBefore.sorted(by: { $0.key < $1.key }) {
            let after = tablesAfter[table] ?? []
            #expect(
                after == rows, "table \(table): only before: \(Set(rows).subtracting(after)); only after: \(Set(after).subtracting(rows))")
        }
        #expect(try rebuilt.documentIDs() == documents)
        #expect(try documents.map { try rebuilt.document(id: $0) } == detailsBefore)
        let answersAfter = try Self.answers(in: project)
        for (arguments, (before, after)) in zip(Self.commands, zip(answersBefore, answersAfter)) {
            #expect(before == after, "\(arguments) differs after the rebuild")
        }

        try checkHistoryCommands(in: project)

        // A second index over the rebuilt catalog has nothing new to read: no extra scan, the same answers.
        #expect(try CLIRunner.run(["index"], in: project.url).exitCode == 0)
        #expect(try Self.answers(in: project) == answersBefore)
        #expect(try CatalogDatabase(path: project.path(".spscan/catalog.sqlite")).contentsByTable() == tablesBefore)
    }

    /// What the history commands say over the six scans.
    func checkHistoryCommands(in project: TemporaryDirectory) throws {
        let diff = try CLIRunner.run(["diff", "a", "--from", "1", "--to", "2"], in: project.url)
        #expect(diff.exitCode == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("from version 1 (scan 1,"), "\(diff.stdout)")
        #expect(diff.stdout.contains("{+Module 3: Safeguarding"), "\(diff.stdout)")
        let latest = try CLIRunner.run(["diff", "a"], in: project.url)
        #expect(latest.stdout.contains("to version 4 (scan 4,"), "\(latest.stdout)")
        #expect(latest.stdout.contains("[-"), "\(latest.stdout)")
        let html = try CLIRunner.run(["diff", "a", "--from", "1", "--format", "html"], in: project.url)
        #expect(html.stdout.contains("<ins>") && html.stdout.contains("<del>"), "\(html.stdout)")
        let unknown = try CLIRunner.run(["diff", "a", "--from", "9"], in: project.url)
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("'9' is not a version of 'a'; use a number from 1 to 4"), "\(unknown.stderr)")
        let missing = try CLIRunner.run(["diff", "zz"], in: project.url)
        #expect(missing.exitCode == 2 && missing.stderr.contains("unknown document 'zz'"))

        // b's footer changed in scan 2 but its main text only in scan 5: two versions, not three.
        let bVersions = try CLIRunner.run(["diff", "b", "--format", "json"], in: project.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bVersions.stdout.utf8)) as? [String: Any])
        #expect((object["to"] as? [String: Any])?["number"] as? Int == 2, "\(bVersions.stdout)")
        #expect((object["to"] as? [String: Any])?["scan"] as? Int == 5, "\(bVersions.stdout)")

        let trend = try CLIRunner.run(["trend", "--rows", "source", "--cols", "domain"], in: project.url)
        #expect(trend.exitCode == 0, "\(trend.stderr)")
        #expect(trend.stdout.contains("Coverage over 6 scans, by source"), "\(trend.stdout)")
        #expect(trend.stdout.contains("Cells that moved"), "\(trend.stdout)")
        let recent = try CLIRunner.run(["trend", "--since", "2000-01-01", "--format", "json"], in: project.url)
        #expect(recent.exitCode == 0)
        let now = try CLIRunner.run(["matrix", "--rows", "source", "--format", "json"], in: project.url).stdout
        #expect(try CLIRunner.run(["matrix", "--at", "latest", "--rows", "source", "--format", "json"], in: project.url).stdout == now)
        let first = try CLIRunner.run(["matrix", "--at", "1", "--rows", "source", "--format", "json"], in: project.url).stdout
        #expect(first != now)
        // A past matrix is dated by the scan it shows.
        let firstObject = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect((firstObject["provenance"] as? [String: Any])?["scan"] as? Int == 1, "\(first)")
        let report = try CLIRunner.run(["report", "--output", "history.html"], in: project.url)
        #expect(report.exitCode == 0, "\(report.stderr)")
        let reportHTML = try String(contentsOf: project.url.appendingPathComponent("history.html"), encoding: .utf8)
        #expect(reportHTML.contains("<section class=\"coverage-over-time\">"), "the report charts coverage over the six scans")
        #expect(reportHTML.contains("after each of the last 6 scans"))
        let badScan = try CLIRunner.run(["matrix", "--at", "99"], in: project.url)
        #expect(badScan.exitCode == 2 && badScan.stderr.contains("'99' is not a scan"), "\(badScan.stderr)")

        let shapes = try JSONShapes.documented()
        for (arguments, shape) in [
            (["diff", "a", "--format", "json"], "diff"), (["trend", "--format", "json"], "trend"),
            (["changes", "--since", "2000-01-01", "--format", "json"], "changes"),
        ] {
            let output = try CLIRunner.run(arguments, in: project.url).stdout
            let problems = shapes.problems(output, shape: shape)
            #expect(problems.isEmpty, "\(shape): \(problems.joined(separator: "; "))")
        }

        let changes = try CLIRunner.run(["changes"], in: project.url)
        #expect(changes.stdout.contains("The latest scans found nothing new"), "\(changes.stdout)")
    }
}
