import Foundation
import SPScanTestSupport
import Testing

/// The whole offline pipeline through the CLI: samples into the corpus, scan, tag, index, then a rebuild.
@Suite("spscan scan and index over a corpus")
struct ScanIndexTests {
    static let sources = """
        sources:
          - id: ca-navigator-course
            url: https://college.example.ca/navigator
            title: Community Navigator Course
            country: CA
            region: ON
            institution: Example College
            institution_type: university
            kind: training
            target_groups: [link-workers, students]
          - id: gb-volunteer-guide
            url: https://charity.example.org.uk/volunteers
            title: Volunteer Link Worker Guide
            country: GB
            region: England
            institution: Example Charity
            institution_type: charity
            kind: guide
            target_groups: [volunteers]
        """

    static let coursePage = """
        <!doctype html><html><head><title>Community Navigator Course</title></head><body>
        <nav><a href="/">Home</a> <a href="/courses">Courses</a> <a href="/contact">Contact us</a></nav>
        <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
        <main><h1>Community Navigator Course</h1>
        <h2>Module 1: Person-centred conversations</h2>
        <p>Learners practise active listening, open questions and building rapport, and ask each person what matters to them.</p>
        <h2>Module 2: Motivational interviewing</h2>
        <p>Learners use motivational interviewing and health coaching to support self-management and confidence.</p>
        <h2>Module 3: Safeguarding</h2>
        <p>Recognising abuse and neglect, safeguarding adults at risk, and escalating a crisis to emergency services.</p>
        </main><footer>© Example College. Privacy. Accessibility.</footer></body></html>
        """

    static let volunteerPage = """
        <!doctype html><html><head><title>Volunteer guide</title></head><body>
        <header><a href="/">Example Charity</a></header>
        <main><h1>Volunteer Link Worker Guide</h1>
        <p>How we recruit, train and supervise volunteers and peer supporters who help people find local groups.</p>
        <ul><li>Volunteer recruitment and induction</li><li>Supervision and support for volunteers</li>
        <li>Keeping the directory of local groups and community activities up to date</li></ul>
        </main></body></html>
        """

    func makeProject() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        try directory.write(Self.sources, to: "Sources.yaml")
        try directory.write(Self.coursePage, to: "Samples/ca-navigator-course.html")
        try directory.write(Self.volunteerPage, to: "Samples/gb-volunteer-guide.html")
        let imported = try CLIRunner.run(["corpus", "import-samples", "Samples"], in: directory.url)
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        return directory
    }

    @Test("an offline scan extracts, tags and indexes every snapshot, and says the corpus is made of samples")
    func offlineScan() throws {
        let project = try makeProject()
        let scan = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("Scanned 2 sources: 2 offline."))
        #expect(scan.stdout.contains("Documents: 2 extracted and tagged (2 new"))
        #expect(scan.stdout.contains("2 of 2 documents are authored samples"))
        #expect(scan.stdout.contains("Coverage by country"))
        #expect(scan.stdout.contains("Largest gaps:"))
        #expect(scan.stderr.contains("[7/11] extract"))

        let query = try CLIRunner.run(["query", "IS-4", "--format", "json"], in: project.url)
        #expect(query.exitCode == 0, "\(query.stderr)")
        #expect(query.stdout.contains("ca-navigator-course"))
        #expect(!query.stdout.contains("gb-volunteer-guide"))

        let again = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(again.stdout.contains("0 extracted and tagged"))
        #expect(again.stdout.contains("2 already indexed"))
    }

    @Test("deleting the catalog and running index gives the same matrix and query results")
    func indexRebuildsTheSameResults() throws {
        let project = try makeProject()
        #expect(try CLIRunner.run(["scan", "--offline"], in: project.url).exitCode == 0)
        let matrixBefore = try CLIRunner.run(["matrix", "--format", "json"], in: project.url).stdout
        let queryBefore = try CLIRunner.run(["query", "CE-7", "--format", "json"], in: project.url).stdout
        #expect(!matrixBefore.isEmpty)

        try FileManager.default.removeItem(at: project.path(".spscan"))
        let index = try CLIRunner.run(["index"], in: project.url)
        #expect(index.exitCode == 0, "\(index.stderr)")
        #expect(index.stdout.contains("Indexed 2 sources: 2 documents extracted and tagged"))
        #expect(try CLIRunner.run(["matrix", "--format", "json"], in: project.url).stdout == matrixBefore)
        #expect(try CLIRunner.run(["query", "CE-7", "--format", "json"], in: project.url).stdout == queryBefore)
    }

    @Test("a changed framework re-tags every document on the next scan")
    func frameworkChangeRetags() throws {
        let project = try makeProject()
        #expect(try CLIRunner.run(["scan", "--offline"], in: project.url).exitCode == 0)
        let framework = try String(contentsOf: project.path("Framework.yaml"), encoding: .utf8)
        try (framework + "\n# edited\n").write(to: project.path("Framework.yaml"), atomically: true, encoding: .utf8)
        let again = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(again.stdout.contains("2 extracted and tagged"), "\(again.stdout)")
        #expect(again.stderr.contains("every document is extracted and tagged again"))
    }

    @Test(
        "an unreadable snapshot is reported with its source and URL and the scan exits 1; the next scan of the same bytes lists it as known and exits 0"
    )
    func extractionFailure() throws {
        let project = try makeProject()
        try Data("%PDF-1.7\nnot really a pdf".utf8).write(to: project.path("Samples/gb-volunteer-guide.pdf"))
        try FileManager.default.removeItem(at: project.path("Samples/gb-volunteer-guide.html"))
        try FileManager.default.removeItem(at: project.path("Corpus"))
        #expect(try CLIRunner.run(["corpus", "import-samples", "Samples"], in: project.url).exitCode == 0)
        let scan = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(scan.exitCode == 1)
        #expect(scan.stdout.contains("unreadable: gb-volunteer-guide (https://charity.example.org.uk/volunteers): PDF is damaged"))
        #expect(scan.stdout.contains("1 extracted and tagged"))

        let again = try CLIRunner.run(["scan", "--offline", "--format", "json"], in: project.url)
        #expect(again.exitCode == 0, "\(again.stdout)\(again.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect((report["document_failures"] as? [Any])?.isEmpty == true)
        let known = try #require((report["known_unreadable"] as? [[String: Any]])?.first)
        #expect(known["document_id"] as? String == "gb-volunteer-guide" || known["documentID"] as? String == "gb-volunteer-guide")
        #expect(known["outcome"] as? String == "unreadable")
        let text = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(text.exitCode == 0)
        #expect(text.stdout.contains("unreadable (known): gb-volunteer-guide"))
    }
}
