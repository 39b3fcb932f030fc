import Foundation
import SPScanTestSupport
import Testing

/// `spscan matrix` and `spscan report` over a documents file, with the shipped Sources.yaml and Framework.yaml.
@Suite("spscan matrix and report")
struct MatrixCommandTests {
    static let documentsJSON = """
        [
          {"id": "alpha", "sourceID": "alpha", "url": "https://example.org/alpha", "title": "Alpha <script>x</script>",
           "country": "CA", "region": "ON", "institution": "Alpha University", "institutionType": "university",
           "kind": "training", "targetGroups": ["link-workers", "volunteers"], "populations": [], "language": "en",
           "origin": "sample",
           "tags": [{"competency": "IS-1", "domain": "IS", "score": 0.9, "evidence": [
             {"text": "Ask what matters to you.", "start": 0, "end": 24, "heading": "", "terms": ["what matters to you"],
              "spans": [{"start": 4, "end": 23, "term": "what matters to you"}], "score": 0.9}]}]},
          {"id": "beta", "sourceID": "beta", "url": "https://example.org/beta", "title": "Beta",
           "country": "GB", "institution": "=Beta Trust", "institutionType": "charity",
           "kind": "guide", "targetGroups": ["volunteers"], "populations": [], "language": "en", "origin": "capture",
           "tags": [{"competency": "CE-1", "domain": "CE", "score": 0.5, "evidence": []}]}
        ]
        """

    func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for name in ["Framework.yaml", "Sources.yaml"] {
            try FileManager.default.copyItem(
                at: CLIRunner.packageRoot.appendingPathComponent(name), to: directory.path(name))
        }
        try directory.write(Self.documentsJSON, to: "documents.json")
        return directory
    }

    @Test("csv by country and domain, neutralised, on standard output")
    func csv() throws {
        let directory = try project()
        let result = try CLIRunner.run(
            ["matrix", "--documents", "documents.json", "--rows", "institution", "--format", "csv"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        // Provenance comes first, as `#` lines that CSV readers skip with a comment option.
        let lines = result.stdout.components(separatedBy: "\r\n").filter { !$0.hasPrefix("# ") }
        #expect(lines[0] == "Institution,Documents,IS,CE,PA")
        #expect(lines[1] == "'=Beta Trust,1,0,1,0")
        #expect(lines[2] == "Alpha University,1,1,0,0")
    }

    @Test("--gaps lists the gaps in the chosen format, countries with no documents among them")
    func gapsUnfiltered() throws {
        let directory = try project()
        let result = try CLIRunner.run(
            ["matrix", "--documents", "documents.json", "--rows", "country", "--gaps", "--format", "md"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("**No documents**: The scan has no documents in Singapore"), "\(result.stdout)")
        #expect(!result.stdout.contains("`no-documents`"), "gap kinds are written for people")
    }

    @Test("with a filter, values it leaves out are not listed as gaps")
    func gaps() throws {
        let directory = try project()
        let result = try CLIRunner.run(
            ["matrix", "--documents", "documents.json", "--rows", "country", "--cols", "competency", "--gaps", "--country", "CA"],
            in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1. Not covered anywhere: No training covers IS-2 "), "\(result.stdout)")
        #expect(!result.stdout.contains("Singapore"), "a country the filter leaves out is not a gap")
        #expect(result.stdout.contains("One provider only: Only Alpha University covers IS-1 Person-centred conversations"))
    }

    @Test("--gaps takes competency columns unless --cols says otherwise, and says which it used")
    func gapsPickCompetencies() throws {
        let directory = try project()
        let result = try CLIRunner.run(
            ["matrix", "--documents", "documents.json", "--rows", "target-group", "--gaps"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("gaps by target group and competency"), "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Gaps by target group and competency, largest first:"), "\(result.stdout)")
        #expect(
            result.stdout.contains("Missing for this group: No training for link workers covers CE-1 "), "\(result.stdout)")
        #expect(!result.stdout.contains("["), "no raw gap kinds: \(result.stdout)")
        let byDomain = try CLIRunner.run(
            ["matrix", "--documents", "documents.json", "--rows", "target-group", "--cols", "domain", "--gaps"], in: directory.url)
        #expect(byDomain.stdout.hasPrefix("Gaps by target group and domain"), "\(byDomain.stdout)")
        #expect(!byDomain.stderr.contains("gaps by target group and competency"))
    }

    @Test("every export carries its provenance; an --output extension that contradicts --format exits 2")
    func provenanceAndExtensions() throws {
        let directory = try project()
        let csv = try CLIRunner.run(
            ["matrix", "--documents", "documents.json", "--format", "csv", "--country", "CA"], in: directory.url)
        #expect(csv.exitCode == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("# Scan: not from a scan\r\n# Framework: "), "\(csv.stdout)")
        #expect(csv.stdout.contains("# Filters: Country: Canada\r\n# Documents counted: 1\r\n# Samples among them: 1\r\n"))
        let table = try CLIRunner.run(["matrix", "--documents", "documents.json", "--gaps"], in: directory.url)
        #expect(table.stdout.contains("\nDocuments counted: 2\n"), "\(table.stdout)")
        for (arguments, message) in [
            (["--output", "x.pdf"], "--output x.pdf names a .pdf file but the format is table; name it x.txt"),
            (["--format", "csv", "--output", "x.xlsx"], "--output x.xlsx names a .xlsx file but the format is csv"),
        ] {
            let refused = try CLIRunner.run(["matrix", "--documents", "documents.json"] + arguments, in: directory.url)
            #expect(refused.exitCode == 2, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("x.pdf").path))
        let kept = try CLIRunner.run(["matrix", "--documents", "documents.json", "--format", "md", "--output", "x.out"], in: directory.url)
        #expect(kept.exitCode == 0, "an extension no format claims is the user's choice")
    }

    @Test("xlsx is written to the file --output names, inferred from its extension")
    func xlsx() throws {
        let directory = try project()
        let result = try CLIRunner.run(
            ["matrix", "--documents", "documents.json", "--output", "coverage.xlsx"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let data = try Data(contentsOf: directory.path("coverage.xlsx"))
        #expect(data.prefix(2) == Data("PK".utf8))
        #expect(result.stderr.contains("wrote coverage.xlsx: matrix (2 documents)"))
    }

    @Test(
        "bad input exits 2 and says what to write instead",
        arguments: [
            (["--rows", "town"], "town"),
            (["--format", "xlsx"], "--format xlsx writes a binary workbook; add --output FILE.xlsx"),
            (["--country", "FR"], "--country: unknown value 'FR'; use CA, GB, IE or SG"),
            (["--region", "Nowhere"], "--region: unknown value 'Nowhere'; use 'ON'"),
            (["--institution", "Alpha"], "--institution: unknown value 'Alpha'; use '=Beta Trust' or 'Alpha University'"),
            (["--documents", "missing.json"], "cannot read missing.json: no such file"),
        ])
    func badInput(arguments: [String], message: String) throws {
        let directory = try project()
        var all = ["matrix"] + arguments
        if !arguments.contains("--documents") { all += ["--documents", "documents.json"] }
        let result = try CLIRunner.run(all, in: directory.url)
        #expect(result.exitCode == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    static let canPrint =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].contains {
            FileManager.default.isExecutableFile(atPath: $0)
        } && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo")

    @Test(
        "the shipped corpus prints to a PDF of fewer than 40 A4 pages, with methods and sources",
        .enabled(if: canPrint, "Chromium or pdfinfo (poppler-utils) is not installed"), .timeLimit(.minutes(3)))
    func pdfReport() throws {
        let directory = try TemporaryDirectory()
        for name in ["Framework.yaml", "Sources.yaml", "Corpus"] {
            try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(name), to: directory.path(name))
        }
        let index = try CLIRunner.run(["index"], in: directory.url)
        #expect(index.exitCode == 0, "\(index.stderr)")
        let refused = try CLIRunner.run(["report", "--output", "x.pdf"], in: directory.url)
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("--output x.pdf names a .pdf file but the format is html"), "\(refused.stderr)")
        let html = try CLIRunner.run(["report", "--output", "r.html"], in: directory.url)
        #expect(html.exitCode == 0, "\(html.stderr)")
        let page = try String(contentsOf: directory.path("r.html"), encoding: .utf8)
        #expect(page.contains("<section id=\"methods\"><h2>Methods and limitations</h2>"))
        #expect(page.contains("<section id=\"sources\"><h2>Sources</h2>"))
        #expect(page.contains("<dt>Framework</dt>"))
        #expect(page.contains("@page{size:A4 landscape"))
        let pdf = try CLIRunner.run(["report", "--format", "pdf", "--output", "r.pdf"], in: directory.url)
        #expect(pdf.exitCode == 0, "\(pdf.stderr)")
        let info = Process()
        info.executableURL = URL(fileURLWithPath: "/usr/bin/pdfinfo")
        info.arguments = [directory.path("r.pdf").path]
        let pipe = Pipe()
        info.standardOutput = pipe
        try info.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        info.waitUntilExit()
        let pages = text.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") }
        let count = try #require(pages, "pdfinfo printed: \(text)")
        #expect(count > 1 && count < 40, "\(count) pages")
        #expect(text.contains("A4"))
    }

    @Test("report writes one self-contained page with the sample banner and escaped titles")
    func report() throws {
        let directory = try project()
        let result = try CLIRunner.run(["report", "--documents", "documents.json", "--output", "out.html"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let html = try String(contentsOf: directory.path("out.html"), encoding: .utf8)
        #expect(html.contains("Built from samples, not captures."))
        #expect(html.contains("Alpha &lt;script&gt;x&lt;/script&gt;"))
        #expect(html.contains("Ask <mark>what matters to you</mark>."))
        // The denominator is the shipped registry, which grows; count its entries rather than pin a number.
        let registry = try String(contentsOf: directory.path("Sources.yaml"), encoding: .utf8)
        let sourceList = registry.components(separatedBy: "\nsources:\n").last ?? registry
        let sourceCount = sourceList.components(separatedBy: "\n  - id: ").count
        #expect(html.contains("<div><dt>Sources with documents</dt><dd>2 of \(sourceCount)</dd></div>"))
    }
}
