import Foundation
import SPScanTestSupport
import Testing

/// A project folder whose Sources.yaml points at fixture servers, with test-sized crawl defaults.
func scanProject(_ sources: [(id: String, url: URL)], defaults: String = "") throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    var yaml = """
        defaults:
          politeness_delay: 0s
          retries: 0
          allow_private: true
          timeout: 20s
        \(defaults)
        sources:

        """
    for source in sources {
        yaml += """
              - id: \(source.id)
                title: Test source \(source.id)
                url: \(source.url.absoluteString)
                country: CA
                institution: Test
                institution_type: network
                kind: training
                target_groups: [link-workers]

            """
    }
    try directory.write(yaml, to: "Sources.yaml")
    try FileManager.default.copyItem(
        at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
    return directory
}

/// The JSON report's sources by id.
func reportedSources(_ stdout: String) throws -> [String: [String: Any]] {
    let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
    let sources = try #require(object?["sources"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: sources.compactMap { entry in (entry["id"] as? String).map { ($0, entry) } })
}

/// Starts `spscan` without waiting for it.
func launch(_ arguments: [String], in directory: URL) throws -> Process {
    let process = Process()
    process.executableURL = try CLIRunner.executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Polls until `condition` holds, for at most `seconds`.
func waitUntil(_ seconds: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

@Suite("spscan scan, robots and corpus over loopback")
struct ScanCommandTests {
    @Test("scan --format json reports each source's outcome, status, snapshot and error, and exits 1 on a failure")
    func jsonReport() throws {
        let server = try FixtureServer()
        let project = try scanProject([
            ("fine", server.url("etag/fine")), ("missing", server.url("status/404")), ("broken", server.url("status/500")),
        ])
        let first = try CLIRunner.run(["scan", "--format", "json"], in: project.url)
        #expect(first.exitCode == 1, "\(first.stderr)")
        let sources = try reportedSources(first.stdout)
        #expect(sources["fine"]?["outcome"] as? String == "new")
        #expect(sources["fine"]?["http_status"] as? Int == 200)
        #expect((sources["fine"]?["snapshot"] as? String)?.count == 64)
        #expect(sources["fine"]?["error"] is NSNull)
        #expect(sources["missing"]?["outcome"] as? String == "gone")
        #expect(sources["broken"]?["outcome"] as? String == "failed")
        #expect(
            sources["broken"]?["error"] as? String
                == "\(server.url("status/500").absoluteString): the server answered HTTP 500; check the URL in a browser")
        let counts = try #require(
            (try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])?["counts"] as? [String: Int])
        #expect(counts["new"] == 1 && counts["gone"] == 1 && counts["failed"] == 1 && counts["unchanged"] == 0)
        #expect(first.stderr.contains("[6/11] fetch"))
        #expect(first.stderr.contains("fine: new (HTTP 200)"))

        let second = try CLIRunner.run(["scan", "--only", "fine"], in: project.url)
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("Scanned 1 source: 1 unchanged.\nDocuments: 0 extracted and tagged"))
    }

    @Test("a page whose links are followed is parsed once: the extract stage reuses what reading its links extracted")
    func followedPageParsedOnce() throws {
        let server = try FixtureServer()
        server.setDocument(
            "hub",
            """
            <html><body><main><h1>Link worker course</h1><p>Motivational interviewing with each person.</p>
            <p><a href="/etag/module-1">Module 1</a> <a href="/etag/module-2">Module 2</a></p></main></body></html>
            """)
        let project = try scanProject([("hub", server.url("etag/hub"))])
        let yaml = try String(contentsOf: project.path("Sources.yaml"), encoding: .utf8)
        try project.write(yaml + "    follow:\n      depth: 1\n", to: "Sources.yaml")
        let scan = try CLIRunner.run(["scan", "--format", "json"], in: project.url)
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        #expect(try reportedSources(scan.stdout)["hub"]?["documents"] as? Int == 3, "\(scan.stdout)")
        #expect(scan.stderr.contains("extract: 1 page read for its links reused, not parsed again"), "\(scan.stderr)")
    }

    @Test("an unknown --only id is bad input (exit 2) and names the known ids")
    func unknownOnly() throws {
        let server = try FixtureServer()
        let project = try scanProject([("fine", server.url("etag/fine"))])
        let result = try CLIRunner.run(["scan", "--only", "nope"], in: project.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("error: unknown source id 'nope' for --only; use ids from Sources.yaml (fine)"))
        #expect(server.requests.isEmpty)
    }

    @Test("a second scan while one runs refuses with a clear message (exit 2)")
    func secondScanRefused() throws {
        let server = try FixtureServer()
        let project = try scanProject([("slow", server.url("slow/3"))])
        let first = try launch(["scan"], in: project.url)
        defer { first.waitUntilExit() }
        #expect(waitUntil { !server.requests(path: "/slow/3").isEmpty })
        let second = try CLIRunner.run(["scan"], in: project.url)
        #expect(second.exitCode == 2)
        #expect(second.stderr.contains("another scan is using the corpus"))
    }

    @Test("a scan killed mid-run leaves no partial file, and the next scan completes the work")
    func killedScanResumes() throws {
        let server = try FixtureServer()
        let ids = (1...6).map { "doc-\($0)" }
        let project = try scanProject(ids.map { ($0, server.url("slow/0.4/\($0)")) }, defaults: "  concurrency: 1")
        let scan = try launch(["scan"], in: project.url)
        #expect(waitUntil { server.requests.filter { $0.path.hasPrefix("/slow/") }.count >= 3 })
        kill(scan.processIdentifier, SIGKILL)
        scan.waitUntilExit()

        let corpus = project.path("Corpus")
        let files = FileManager.default.enumerator(atPath: corpus.path)?.allObjects as? [String] ?? []
        #expect(!files.contains { $0.contains(".tmp-") })
        let logged = files.filter { $0.hasPrefix("log/") }
        #expect(!logged.isEmpty && logged.count < ids.count, "some but not all sources were done: \(logged)")

        let rerun = try CLIRunner.run(["scan", "--format", "json"], in: project.url)
        #expect(rerun.exitCode == 0, "\(rerun.stderr)")
        let sources = try reportedSources(rerun.stdout)
        #expect(Set(sources.keys) == Set(ids))
        #expect(sources.values.allSatisfy { ["new", "unchanged"].contains($0["outcome"] as? String) })
        #expect(sources.values.filter { $0["outcome"] as? String == "unchanged" }.count == logged.count)
    }

    @Test("offline: a source without a snapshot fails; an imported sample stands in and the summary says so")
    func offlineWithSamples() throws {
        let project = try scanProject([("fine", try #require(URL(string: "https://example.org/fine")))])
        let bare = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(bare.exitCode == 1)
        #expect(bare.stdout.contains("failed: fine: offline and no snapshot of fine yet"))

        try project.write("<html><body>Sample</body></html>", to: "Samples/fine.html")
        try project.write("stray", to: "Samples/unknown.html")
        let imported = try CLIRunner.run(["corpus", "import-samples", "Samples"], in: project.url)
        #expect(imported.exitCode == 0)
        #expect(imported.stdout.hasPrefix("imported fine.html → fine ("))
        #expect(imported.stderr.contains("warning: skipped unknown.html: no source with id 'unknown' in Sources.yaml"))
        let again = try CLIRunner.run(["corpus", "import-samples", "Samples"], in: project.url)
        #expect(again.stdout.contains("0 samples imported, 1 already present, 1 skipped."))

        let offline = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(offline.exitCode == 0)
        #expect(
            offline.stdout.hasPrefix(
                "Offline: no source was fetched; the last snapshot of each source was used.\nScanned 1 source: 1 offline.\n"))
        #expect(offline.stdout.contains("1 of 1 documents are authored samples"))
    }

    @Test("robots says allowed or disallowed with the deciding rule, exit 0 either way")
    func robotsCommand() throws {
        let directory = try TemporaryDirectory()
        try directory.write("User-agent: *\nDisallow: /private\nAllow: /private/open\n", to: "robots.txt")
        let blocked = try CLIRunner.run(
            ["robots", "--robots", "robots.txt", "--agent", "spscan", "https://example.org/private/x"], in: directory.url)
        #expect(blocked.exitCode == 0)
        #expect(blocked.stdout == "disallowed by \"Disallow: /private\"\n")
        let json = try CLIRunner.run(
            ["robots", "--robots", "robots.txt", "--agent", "spscan", "https://example.org/private/open", "--format", "json"],
            in: directory.url)
        #expect(json.stdout == "{\"allowed\":true,\"rule\":\"Allow: /private/open\"}\n")
        let none = try CLIRunner.run(["robots", "--robots", "robots.txt", "https://example.org/", "--format", "json"], in: directory.url)
        #expect(none.stdout == "{\"allowed\":true,\"rule\":null}\n")
        let missing = try CLIRunner.run(["robots", "--robots", "nope.txt", "https://example.org/"], in: directory.url)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr == "error: cannot read nope.txt: no such file; check the path\n")
    }
}

@Suite("spscan scan through a proxy from the environment")
struct ProxiedScanTests {
    @Test("through a proxy, a private target is refused and a public name is fetched via the proxy")
    func proxied() throws {
        let proxy = try FixtureServer()
        let project = try TemporaryDirectory()
        var yaml = "defaults:\n  politeness_delay: 0s\n  retries: 0\n  respect_robots: false\nsources:\n"
        for (id, url) in [("private", "http://127.0.0.7/etag/secret"), ("public", "http://docs.example.invalid/etag/open")] {
            yaml += """
                  - id: \(id)
                    title: \(id)
                    url: \(url)
                    country: GB
                    institution: Test
                    institution_type: charity
                    kind: guide
                    target_groups: [link-workers]

                """
        }
        try project.write(yaml, to: "Sources.yaml")
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: project.path("Framework.yaml"))
        let result = try CLIRunner.run(
            ["scan", "--format", "json"], in: project.url,
            environment: ["http_proxy": proxy.baseURL.absoluteString, "no_proxy": ""])
        let sources = try reportedSources(result.stdout)
        #expect(sources["private"]?["outcome"] as? String == "refused")
        #expect(sources["public"]?["outcome"] as? String == "new", "\(result.stderr)")
        #expect(proxy.requests.map(\.headers["x-proxied-for"]) == ["docs.example.invalid"])
        #expect(result.exitCode == 1, "a refused source is work not done: \(result.stderr)")
    }
}
