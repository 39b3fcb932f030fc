import Foundation
import SPScanCatalog
import SPScanModel
import SPScanTestSupport
import Testing

/// A project folder with the shipped Framework.yaml and a small catalog built through the catalog's API, as a
/// scan would build it.
struct CatalogProject {
    let directory: TemporaryDirectory
    static let day1 = Date(timeIntervalSince1970: 1_763_980_800)
    static let day2 = day1.addingTimeInterval(86_400)

    init(scans: Int = 1) throws {
        directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        let catalog = try CatalogDatabase(path: directory.path(".spscan/catalog.sqlite"))
        try catalog.write { writer in
            let scan = try writer.beginScan(startedAt: Self.day1)
            for (source, passages, tags) in Self.documents {
                try writer.upsertSource(source)
                try writer.recordFetchOutcome(scan: scan, sourceID: source.id, url: source.url.absoluteString, outcome: .new)
                try writer.replaceDocument(
                    TaggedDocument(id: source.id, source: source, url: source.url.absoluteString, tags: tags), passages: passages,
                    textHash: "\(source.id)-1", scan: scan)
            }
            try writer.recordInstitutionSpellings(
                [Institution(id: "canadian-institute", name: "Canadian Institute", aliases: ["CI Canada", "Institut canadien"])],
                sources: Self.documents.map(\.0))
            try writer.finishScan(scan, finishedAt: Self.day1.addingTimeInterval(10))
            guard scans > 1 else { return }
            let second = try writer.beginScan(startedAt: Self.day2)
            let (source, passages, _) = Self.documents[0]
            try writer.replaceDocument(
                TaggedDocument(id: source.id, source: source, url: source.url.absoluteString, tags: [Self.tag("IS-5", 0.9)]),
                passages: [passages[0], Self.passage("A new module on social needs assessment.")], textHash: "\(source.id)-2",
                scan: second)
            try writer.recordFetchOutcome(
                scan: second, sourceID: "gb-guide", url: "https://example.org.uk/guide", outcome: .failed, httpStatus: 503,
                error: "the server answered 503 after 3 retries")
            try writer.finishScan(second, finishedAt: Self.day2.addingTimeInterval(10))
        }
    }

    func run(_ arguments: [String]) throws -> CLIResult {
        try CLIRunner.run(arguments, in: directory.url)
    }

    static func web(_ text: String) -> URL {
        URL(string: text) ?? URL(fileURLWithPath: "/invalid-fixture-url")
    }

    static func passage(_ text: String, heading: String = "") -> Passage {
        Passage(text: text, heading: heading, start: 0, end: text.unicodeScalars.count)
    }

    static func tag(_ competency: String, _ score: Double, _ text: String? = nil) -> SPScanModel.Tag {
        Tag(
            competency: competency, domain: String(competency.prefix(2)), score: score,
            evidence: text.map { [Evidence(text: $0, start: 0, end: $0.count, heading: "Module 2", terms: ["x"], spans: [], score: score)] }
                ?? [])
    }

    static let documents: [(Source, [Passage], [SPScanModel.Tag])] = [
        (
            Source(
                id: "ca-course", url: web("https://example.ca/course"), title: "Link worker course", country: .canada, region: "ON",
                institution: "Canadian Institute", institutionType: .network, kind: .training, targetGroups: [.linkWorkers, .volunteers]),
            [
                passage("Motivational interviewing helps people set their own goals.", heading: "Module 2"),
                passage("Referral pathways to community groups.", heading: "Module 3"),
            ],
            [tag("IS-5", 0.9, "Referral pathways to community groups."), tag("CE-7", 0.6, "Referral pathways to community groups.")]
        ),
        (
            Source(
                id: "gb-guide", url: web("https://example.org.uk/guide"), title: "=HYPERLINK(\"http://evil\",\"Guide\")",
                country: .unitedKingdom, institution: "National Academy", institutionType: .charity, kind: .guide,
                targetGroups: [.linkWorkers]),
            [passage("Practitioners use motivational interviews with people, and refer them on.")],
            [tag("IS-5", 0.7, "+refer them on, with consent")]
        ),
    ]
}

@Suite("spscan query, search, changes and review")
struct CatalogCommandTests {
    @Test("query lists covering documents best first with evidence")
    func queryTable() throws {
        let project = try CatalogProject()
        let result = try project.run(["query", "is-5"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("IS-5 Supported navigation and referral: 2 documents"))
        let course = try #require(result.stdout.range(of: "ca-course"))
        let guide = try #require(result.stdout.range(of: "gb-guide"))
        #expect(course.lowerBound < guide.lowerBound)
        #expect(result.stdout.contains("(Module 2) \"Referral pathways to community groups.\""))
    }

    @Test("query --format json and csv, with formula cells neutralised")
    func queryFormats() throws {
        let project = try CatalogProject()
        let json = try project.run(["query", "IS-5", "--country", "uk", "--format", "json"])
        #expect(json.exitCode == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["count"] as? Int == 1)
        let documents = try #require(object["documents"] as? [[String: Any]])
        #expect(documents.first?["document_id"] as? String == "gb-guide")

        let csv = try project.run(["query", "IS-5", "--format", "csv"])
        #expect(csv.exitCode == 0, "\(csv.stderr)")
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("rank,document,title,url,institution"))
        #expect(lines[2].contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"Guide\"\")\","))
        #expect(lines[2].hasSuffix(",'+refer them on, with consent\"") == false)
        #expect(lines[2].hasSuffix(",\"'+refer them on, with consent\""))
    }

    @Test("filters narrow the list; unknown values exit 2 with the allowed ones")
    func queryFilters() throws {
        let project = try CatalogProject()
        let volunteers = try project.run(["query", "IS-5", "--target-group", "volunteers", "--format", "csv"])
        #expect(volunteers.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2)

        let country = try project.run(["query", "IS-5", "--country", "FR"])
        #expect(country.exitCode == 2)
        #expect(country.stderr.contains("--country: unknown value 'FR'; use CA, GB, IE or SG"))

        let institution = try project.run(["query", "IS-5", "--institution", "Nowhere"])
        #expect(institution.exitCode == 2)
        #expect(institution.stderr.contains("--institution: unknown value 'Nowhere'; use 'Canadian Institute' or 'National Academy'"))

        // An institution by its id or an alias from Sources.yaml's `institutions:`, recorded in the catalog.
        for spelling in ["canadian-institute", "ci canada", "Institut Canadien", "Canadian Institute"] {
            let named = try project.run(["query", "IS-5", "--institution", spelling, "--format", "csv"])
            #expect(named.exitCode == 0, "\(spelling): \(named.stderr)")
            let rows = named.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
            #expect(rows.count == 1 && rows.allSatisfy { $0.contains("Canadian Institute") }, "\(spelling): \(named.stdout)")
        }

        let kind = try project.run(["query", "IS-5", "--kind", "book"])
        #expect(kind.exitCode == 2)
        #expect(kind.stderr.contains("use training, competency-framework, guide, curriculum, job-description or report"))

        let competency = try project.run(["query", "XX-9"])
        #expect(competency.exitCode == 2)
        #expect(competency.stderr.contains("unknown competency 'XX-9'; did you mean "), "\(competency.stderr)")

        let ambiguous = try project.run(["query", "community"])
        #expect(ambiguous.exitCode == 2)
        #expect(ambiguous.stderr.contains("'community' matches "), "\(ambiguous.stderr)")
        #expect(ambiguous.stderr.contains("CE-1 Community asset mapping"))

        for spelling in ["is5", "navigation"] {
            let named = try project.run(["query", spelling, "--format", "csv"])
            #expect(named.exitCode == 0, "\(named.stderr)")
            #expect(named.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count > 1)
        }
        let byName = try project.run(["query", "navigation"])
        #expect(byName.stderr.contains("'navigation': IS-5 Supported navigation and referral"))
    }

    @Test("without a catalog, every catalog command says how to build one and exits 2")
    func noCatalog() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        for arguments in [["query", "IS-5"], ["search", "goals"], ["changes"], ["review", "a", "IS-5", "--accept"]] {
            let result = try CLIRunner.run(arguments, in: directory.url)
            #expect(result.exitCode == 2, "\(arguments)")
            #expect(result.stderr.contains("run `spscan scan` or `spscan index` first"), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path(".spscan/catalog.sqlite").path))
    }

    @Test("search shows ranked passages with highlighted words; json has every field")
    func search() throws {
        let project = try CatalogProject()
        let table = try project.run(["search", "motivational", "interviewing"])
        #expect(table.exitCode == 0, "\(table.stderr)")
        #expect(table.stdout.contains("2 passages matching motivational interviewing"))
        // In a pipe the matched words are plain: no markup reaches a file or another program.
        #expect(table.stdout.contains("\n   Motivational interviewing helps people"))
        #expect(!table.stdout.contains("**") && !table.stdout.contains("\u{1B}["))
        #expect(table.stdout.contains("1. ca-course · Canadian Institute (CA) · Module 2"))

        let json = try project.run(["search", "interviews", "--country", "GB", "--format", "json", "--limit", "5"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let passages = try #require(object["passages"] as? [[String: Any]])
        #expect(passages.map { $0["document_id"] as? String } == ["gb-guide"])

        let empty = try project.run(["search", "?!"])
        #expect(empty.exitCode == 2)
        #expect(empty.stderr.contains("has no words to search for"))
    }

    @Test("changes reports the latest scan, and --since nets several")
    func changes() throws {
        let project = try CatalogProject(scans: 2)
        let text = try project.run(["changes"])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Changed documents (1):\n  ca-course: Link worker course <https://example.ca/course>"))
        #expect(text.stdout.contains("Failed fetches (the previous version stays current) (1):"))
        #expect(text.stdout.contains("failed: HTTP 503: the server answered 503 after 3 retries"))
        #expect(text.stdout.contains("Text that changed (1 sentence added, 1 removed):\n  ca-course:"))
        #expect(text.stdout.contains("    + A new module on social needs assessment."))
        #expect(text.stdout.contains("    [Module 3]\n    - Referral pathways to community groups."))
        #expect(text.stdout.contains("- ca-course no longer covers CE-7 (score 0.60)"))

        let json = try project.run(["changes", "--since", "2025-11-24", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["scans"] as? [Any])?.count == 2)
        #expect((object["new_documents"] as? [[String: Any]])?.map { $0["document_id"] as? String } == ["ca-course", "gb-guide"])

        let bad = try project.run(["changes", "--since", "last tuesday"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("--since 'last tuesday' is not a date"))
    }

    @Test("review writes Reviews.yaml and overrides the tagger in query")
    func review() throws {
        let project = try CatalogProject()
        let reject = try project.run(["review", "gb-guide", "is-5", "--reject", "--note", "only mentions it", "--reviewer", "sam"])
        #expect(reject.exitCode == 0, "\(reject.stderr)")
        #expect(reject.stdout.contains("gb-guide IS-5 (Supported navigation and referral): rejected by sam; written to Reviews.yaml."))
        // Without --reviewer, the decision names git's user.name, as a commit would.
        let gitConfig = try project.directory.write("[user]\n\tname = Ada Lovelace\n", to: "gitconfig")
        let accept = try CLIRunner.run(
            ["review", "gb-guide", "PA-1", "--accept"], in: project.directory.url,
            environment: ["GIT_CONFIG_GLOBAL": gitConfig.path, "GIT_CONFIG_NOSYSTEM": "1"])
        #expect(accept.exitCode == 0, "\(accept.stderr)")
        #expect(accept.stdout.contains("accepted by Ada Lovelace;"))
        #expect(accept.stdout.contains("It did not count before; it now counts, with score 1."))

        let file = try String(contentsOf: project.directory.path("Reviews.yaml"), encoding: .utf8)
        let decisions = try ReviewFile.load(from: project.directory.path("Reviews.yaml"))
        #expect(decisions.map { "\($0.documentID) \($0.competency) \($0.verdict)" } == ["gb-guide IS-5 reject", "gb-guide PA-1 accept"])
        #expect(file.contains("note: \"only mentions it\"\n    reviewer: sam\n"))

        let query = try project.run(["query", "IS-5", "--format", "csv"])
        #expect(!query.stdout.contains("gb-guide"))
        let accepted = try project.run(["query", "PA-1", "--format", "json"])
        #expect(accepted.stdout.contains("\"review\" : \"accept\""))

        // --clear removes the decision: the tagger decides again, and the file no longer names the tag.
        let cleared = try project.run(["review", "gb-guide", "IS-5", "--clear"])
        #expect(cleared.exitCode == 0, "\(cleared.stderr)")
        #expect(cleared.stdout.contains("gb-guide IS-5 (Supported navigation and referral): decision cleared; written to Reviews.yaml."))
        #expect(cleared.stdout.contains("It did not count before; it now counts."))
        #expect(try ReviewFile.load(from: project.directory.path("Reviews.yaml")).map(\.competency) == ["PA-1"])
        #expect(try project.run(["query", "IS-5", "--format", "csv"]).stdout.contains("gb-guide"))
        let again = try project.run(["review", "gb-guide", "IS-5", "--clear"])
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("there is no decision on 'gb-guide' IS-5 to clear"))
    }

    @Test("review checks its input before writing anything")
    func reviewInput() throws {
        let project = try CatalogProject()
        let unknown = try project.run(["review", "ca-cours", "IS-5", "--accept"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("unknown document 'ca-cours' in the catalog; did you mean ca-course?"))
        let stranger = try project.run(["review", "zz", "IS-5", "--accept"])
        #expect(stranger.exitCode == 2)
        #expect(stranger.stderr.contains("unknown document 'zz' in the catalog; the catalog has ca-course, gb-guide"))
        let both = try project.run(["review", "ca-course", "IS-5", "--accept", "--reject"])
        #expect(both.exitCode == 2)
        #expect(both.stderr.contains("give exactly one of --accept, --reject or --clear"))
        let competency = try project.run(["review", "ca-course", "IS-99", "--accept"])
        #expect(competency.exitCode == 2)
        #expect(!FileManager.default.fileExists(atPath: project.directory.path("Reviews.yaml").path))
    }

    @Test("matrix and report read the catalog, with review decisions applied")
    func matrixAndReportFromCatalog() throws {
        let project = try CatalogProject()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"), to: project.directory.path("Sources.yaml"))
        let before = try project.run(["matrix", "--rows", "institution", "--cols", "competency", "--format", "json"])
        #expect(before.exitCode == 0, "\(before.stderr)")
        #expect(before.stdout.contains("Canadian Institute") && before.stdout.contains("National Academy"))

        let csv = try project.run(["matrix", "--rows", "country", "--cols", "competency", "--format", "csv"])
        #expect(csv.exitCode == 0, "\(csv.stderr)")
        let header = try #require(
            csv.stdout.components(separatedBy: "\r\n").first { !$0.hasPrefix("# ") }?.components(separatedBy: ","))
        let column = try #require(header.firstIndex(of: "IS-5"))
        func cell(_ output: String, row: String) -> String? {
            output.components(separatedBy: "\r\n").first { $0.hasPrefix(row + ",") }?.components(separatedBy: ",")[column]
        }
        #expect(cell(csv.stdout, row: "United Kingdom") == "1")

        #expect(try project.run(["review", "gb-guide", "IS-5", "--reject"]).exitCode == 0)
        let after = try project.run(["matrix", "--rows", "country", "--cols", "competency", "--format", "csv"])
        #expect(cell(after.stdout, row: "United Kingdom") == "0")

        #expect(try project.run(["review", "gb-guide", "PA-1", "--accept", "--reviewer", "Ana Silva"]).exitCode == 0)
        let stamped = try project.run(["matrix", "--rows", "country", "--format", "csv"])
        #expect(stamped.stdout.contains("# Reviewed by a person: 1 tag accepted, 1 rejected"), "\(stamped.stdout)")

        let report = try project.run(["report", "--output", "out.html"])
        #expect(report.exitCode == 0, "\(report.stderr)")
        let html = try String(contentsOf: project.directory.path("out.html"), encoding: .utf8)
        #expect(html.contains("Referral pathways to community groups."))
        #expect(html.contains("reviewed: accepted by Ana Silva on "), "an accepted tag is marked in the report")
        #expect(html.contains("<dt>Reviewed by a person</dt><dd>1 tag accepted, 1 rejected</dd>"))
        #expect(html.contains("<section id=\"coverage-by-domain\">"))
        #expect(!html.contains("=HYPERLINK(\"http://evil\""))
    }

    @Test("matrix without a catalog says how to build one")
    func matrixWithoutCatalog() throws {
        let directory = try TemporaryDirectory()
        for name in ["Framework.yaml", "Sources.yaml"] {
            try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(name), to: directory.path(name))
        }
        let result = try CLIRunner.run(["matrix"], in: directory.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("run `spscan scan` or `spscan index` first"))
    }
}
