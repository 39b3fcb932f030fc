import Foundation
import SPScanTestSupport
import Testing

@Suite("spscan extract")
struct ExtractCommandTests {
    private let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/SPScanExtractTests/Fixtures")

    private func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test("--format text prints the main text, blocks separated by blank lines")
    func textFormat() throws {
        let result = try CLIRunner.run(["extract", fixture("course-page.html")])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Social Prescribing Link Worker Certificate\n\nThis part-time certificate"))
        #expect(result.stdout.contains("\n\nCourse outline\n\n"))
        #expect(!result.stdout.contains("cookies"))
    }

    @Test("--format json prints one object per input and line, with the documented keys")
    func jsonLines() throws {
        let result = try CLIRunner.run(
            ["extract", "--format", "json", fixture("french-page.html"), fixture("handbook-two-columns.pdf")])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["kind"] as? String } == ["html", "pdf"])
        #expect(objects.map { $0["language"] as? String } == ["fr", "en"])
        let passages = try #require(objects[1]["passages"] as? [[String: Any]])
        let first = try #require(passages.first)
        #expect(Set(first.keys).isSuperset(of: ["text", "heading", "page", "start", "end", "language"]))
        #expect(first["page"] as? Int == 1)
        let htmlPassage = try #require((objects[0]["passages"] as? [[String: Any]])?.first)
        #expect(htmlPassage["page"] is NSNull)
    }

    @Test("a document that fails is reported by name, the others still print, and the exit code is 1")
    func partialFailure() throws {
        let result = try CLIRunner.run(["extract", fixture("corrupt.pdf"), fixture("windows-1252.html")])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("a short course"))
        #expect(result.stderr.contains("corrupt.pdf: error: PDF is damaged or not a PDF"))
    }

    @Test("a URL is fetched through the fetcher over real HTTP and extracted; a refused one exits 1 with the reason")
    func urlThroughFetcher() throws {
        let server = try FixtureServer()
        server.route("/course") { _ in
            .html(
                "<html><head><title>Navigator course</title></head><body><nav><a href='/'>Home</a></nav>"
                    + "<main><h1>Navigator course</h1><p>Learners practise active listening and warm referrals.</p></main></body></html>")
        }
        let fetched = try CLIRunner.run(["extract", "--allow-private", "--format", "json", server.url("course").absoluteString])
        #expect(fetched.exitCode == 0, "\(fetched.stderr)")
        #expect(fetched.stdout.contains("Learners practise active listening and warm referrals."))
        #expect(fetched.stdout.contains("\"title\":\"Navigator course\""))
        #expect(!fetched.stdout.contains("Home"))

        let refused = try CLIRunner.run(["extract", server.url("course").absoluteString])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("refused"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
    }

    @Test("a missing file is bad input (exit 2) and nothing is printed")
    func missingFile() throws {
        let result = try CLIRunner.run(["extract", fixture("course-page.html"), "no-such-file.pdf"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("no-such-file.pdf: no such readable file"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a folder is bad input, with the way to give its files")
    func folder() throws {
        let result = try CLIRunner.run(["extract", fixtures.path])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("is a folder; give the files in it instead"))
    }

    @Test("`-` reads standard input")
    func standardInput() throws {
        let result = try CLIRunner.run(["extract", "-"], stdin: Data("# Title\n\nSome text.\n".utf8))
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "Title\n\nSome text.\n")
    }
}

@Suite("spscan extract: PDF limits")
struct ExtractPDFLimitTests {
    @Test("a pdftotext that hangs is stopped at the time limit, and the error says how to raise it")
    func hangingPDFToolIsStopped() throws {
        let directory = try TemporaryDirectory()
        let tools = directory.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        let fake = tools.appendingPathComponent("pdftotext")
        // `exec` keeps one process, so that stopping it leaves nothing behind.
        try "#!/bin/sh\nexec sleep 30\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let pdf = CLIRunner.packageRoot.appendingPathComponent("Tests/SPScanExtractTests/Fixtures/handbook-two-columns.pdf")
        let path = tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try CLIRunner.run(["extract", "--pdf-timeout", "1", pdf.path], environment: ["PATH": path])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("PDF took longer than 1 s to read and was stopped"))
        #expect(result.stderr.contains("--pdf-timeout"))
    }
}

@Suite("spscan extract: outcomes and clean stops")
struct ExtractOutcomeTests {
    private func fixture(_ name: String) -> String {
        CLIRunner.packageRoot.appendingPathComponent("Tests/SPScanExtractTests/Fixtures").appendingPathComponent(name).path
    }

    @Test("an empty document exits 1 with the reason; --format json names the outcome of each input")
    func emptyAndUnreadable() throws {
        let text = try CLIRunner.run(["extract", fixture("blank.pdf")])
        #expect(text.exitCode == 1)
        #expect(text.stderr.contains("blank.pdf: error: document holds no text: its 2 pages are blank"))

        let json = try CLIRunner.run([
            "extract", "--format", "json", fixture("blank.pdf"), fixture("encrypted.pdf"), fixture("course-page.html"),
        ])
        #expect(json.exitCode == 1)
        let objects = try json.stdout.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["outcome"] as? String } == ["empty", "unreadable", "text"])
        #expect((objects[0]["reason"] as? String)?.contains("blank") == true)
        #expect((objects[1]["reason"] as? String)?.contains("encrypted") == true)
        #expect(objects[2]["reason"] is NSNull)
    }

    @Test("pdftotext dies with spscan when spscan is killed, and its temporary folder is swept at the next start")
    func childDiesWithParent() throws {
        let directory = try TemporaryDirectory()
        let tools = directory.url.appendingPathComponent("bin")
        let temporary = directory.url.appendingPathComponent("tmp")
        for folder in [tools, temporary] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let pidFile = directory.url.appendingPathComponent("child.pid")
        let fake = tools.appendingPathComponent("pdftotext")
        try "#!/bin/sh\necho $$ > '\(pidFile.path)'\nexec sleep 60\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let process = Process()
        process.executableURL = try CLIRunner.executable
        process.arguments = ["extract", fixture("handbook-two-columns.pdf")]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = tools.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["TMPDIR"] = temporary.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var child: pid_t = 0
        for _ in 0..<300 where child == 0 {
            usleep(100_000)
            child =
                (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                ?? 0
        }
        try #require(child > 0, "the fake pdftotext never started")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        var alive = true
        for _ in 0..<100 where alive {
            usleep(100_000)
            alive = kill(child, 0) == 0
        }
        #expect(!alive, "pdftotext outlived spscan")
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("spscan-pdf-") }
        #expect(left.count == 1, "SIGKILL runs no cleanup, so the folder stays until the next start")

        var again = ProcessInfo.processInfo.environment
        again["TMPDIR"] = temporary.path
        let next = try CLIRunner.run(["extract", fixture("handbook-two-columns.pdf")], environment: again)
        #expect(next.exitCode == 0, "\(next.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0.hasPrefix("spscan-pdf-") }.isEmpty)
    }
}
