import Foundation
import GRDB
import Logging
import SPScan
import SPScanExtract
import SPScanFetch
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("Scan pipeline")
struct PipelineTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    func project(_ urls: [String: URL], schedules: [String: String] = [:]) throws -> (TemporaryDirectory, ProjectPaths) {
        let directory = try TemporaryDirectory()
        var yaml = "defaults:\n  politeness_delay: 0s\n  retries: 0\n  allow_private: true\nsources:\n"
        for (id, url) in urls.sorted(by: { $0.key < $1.key }) {
            yaml += """
                  - id: \(id)
                    title: \(id)
                    url: \(url.absoluteString)
                    country: IE
                    institution: Test
                    institution_type: university
                    kind: curriculum
                    target_groups: [link-workers]

                """
            if let schedule = schedules[id] { yaml += "    schedule: \(schedule)\n" }
        }
        try directory.write(yaml, to: "Sources.yaml")
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        let paths = ProjectPaths(
            sources: directory.path("Sources.yaml"), framework: directory.path("Framework.yaml"),
            corpus: directory.path("Corpus"), catalog: directory.path("catalog.sqlite"))
        return (directory, paths)
    }

    @Test("the scan reads as named stages")
    func stageNames() {
        #expect(
            Pipeline.scanStages.map(\.name) == [
                "load-registry", "load-framework", "open-corpus", "open-catalog", "choose-due", "fetch", "extract", "tag", "index",
                "summarise", "notify",
            ])
        #expect(
            Pipeline.indexStages.map(\.name) == [
                "load-registry", "load-framework", "open-corpus", "open-catalog", "replay-history", "summarise",
            ])
    }

    @Test("a stage without the input an earlier stage makes fails loudly, naming both stages")
    func missingInput() async throws {
        let server = try FixtureServer()
        let (directory, paths) = try project(["a": server.url("etag/a")])
        defer { withExtendedLifetime(directory) {} }
        // open-corpus left out: the fetch stage has no snapshot store to write into.
        let stages: [ScanStage] = [.loadRegistry, .loadFramework, .openCatalog, .fetch, .extract]
        await #expect(throws: ScanError.missingInput(stage: "fetch", input: "the snapshot store (Corpus/)", madeBy: "open-corpus")) {
            _ = try await Pipeline.scan(paths: paths, options: ScanOptions(), logger: logger, stages: stages)
        }
        #expect(server.requests.isEmpty, "nothing was fetched")
        let message = ScanError.missingInput(stage: "tag", input: "the framework (Framework.yaml)", madeBy: "load-framework")
        #expect(
            message.errorDescription
                == "the tag stage needs the framework (Framework.yaml), which the load-framework stage makes, but load-framework did not run before it; this pipeline is assembled wrong: please report it"
        )
        #expect(!message.isBadInput)
    }

    @Test("a scan fetches the chosen sources and reports outcomes and counts")
    func scan() async throws {
        let server = try FixtureServer()
        let (directory, paths) = try project(["a": server.url("etag/a"), "b": server.url("etag/b")])
        defer { withExtendedLifetime(directory) {} }
        let report = try await Pipeline.scan(paths: paths, options: ScanOptions(only: ["b"]), logger: logger)
        #expect(report.sources.map(\.id) == ["b"])
        #expect(report.sources.first?.outcome == .new)
        #expect(report.count(.new) == 1)
        #expect(!report.hasFailures)
        #expect(!report.offline)
        #expect(server.requests(path: "/etag/a").isEmpty)
    }

    @Test("--due fetches a scheduled source only when its last capture is old enough; unscheduled sources always")
    func dueSources() async throws {
        let server = try FixtureServer()
        let (directory, paths) = try project(
            ["daily": server.url("etag/daily"), "weekly": server.url("etag/weekly"), "always": server.url("etag/always")],
            schedules: ["daily": "daily", "weekly": "weekly"])
        defer { withExtendedLifetime(directory) {} }
        let first = try await Pipeline.scan(paths: paths, options: ScanOptions(due: true), logger: logger)
        #expect(first.sources.map(\.id).sorted() == ["always", "daily", "weekly"], "never captured: all due")

        let again = try await Pipeline.scan(paths: paths, options: ScanOptions(due: true), logger: logger)
        #expect(again.sources.map(\.id) == ["always"])
        #expect(again.notDue.map(\.id).sorted() == ["daily", "weekly"])
        #expect(again.summary.contains("Not due (by their schedule): 2 sources; the next is daily, due "))
        #expect(server.requests(path: "/etag/weekly").count == 1)

        let store = try SnapshotStore(corpus: paths.corpus)
        let registry = try RegistryLoader.load(from: paths.sources, displayPath: "Sources.yaml")
        let captured = try #require(try store.records(sourceID: "weekly").last?.fetchedAt)
        let inTwoDays = try DueSources.split(registry.sources, store: store, now: captured.addingTimeInterval(2 * 86_400))
        #expect(inTwoDays.due.map(\.id).sorted() == ["always", "daily"])
        #expect(inTwoDays.notDue.map(\.dueAt) == [captured.addingTimeInterval(7 * 86_400)])
        // A scheduler that fires a few minutes early still finds the source due.
        let nearlyAWeek = captured.addingTimeInterval(7 * 86_400 - 300)
        #expect(try DueSources.split(registry.sources, store: store, now: nearlyAWeek).notDue.isEmpty)
    }

    @Test("a re-scan answered by 304s writes no document, passage, tag, source or review row again")
    func rescanLeavesRowsAlone() async throws {
        let server = try FixtureServer()
        let page = { (title: String) in
            "<html><head><title>\(title)</title></head><body><main><h1>\(title)</h1><p>Link workers use motivational "
                + "interviewing and safeguarding to support people with community groups and social prescribing.</p>"
                + "</main></body></html>"
        }
        server.setDocument("a", page("Module A"))
        server.setDocument("b", page("Module B"))
        let (directory, paths) = try project(["a": server.url("etag/a"), "b": server.url("etag/b")])
        defer { withExtendedLifetime(directory) {} }
        let decision = ReviewDecision(
            documentID: "a", competency: "IS-5", verdict: .accept, note: nil, reviewer: "test",
            decidedAt: Date(timeIntervalSince1970: 1_764_496_800))
        try ReviewFile.write([decision], to: paths.reviews)
        let first = try await Pipeline.scan(paths: paths, options: ScanOptions(), logger: logger)
        #expect(first.documents.new == 2)

        // Every later write to a table that holds what a scan derives lands in `touched`, by table and kind.
        let queue = try DatabaseQueue(path: paths.catalog.path)
        let watched = [
            "source", "document", "documentTargetGroup", "passage", "tag", "evidence", "review", "setting", "documentVersion",
            "documentEvent", "passageEvent", "tagEvent", "documentOutcome", "unreadableSnapshot",
        ]
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE touched (tableName TEXT NOT NULL, kind TEXT NOT NULL)")
            for table in watched {
                for kind in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(
                        sql: """
                            CREATE TRIGGER watch_\(table)_\(kind) AFTER \(kind) ON \(table)
                            BEGIN INSERT INTO touched VALUES ('\(table)', '\(kind)'); END
                            """)
                }
            }
        }
        let counts = try await queue.read { db in
            (
                passages: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM passage") ?? 0,
                tags: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tag") ?? 0
            )
        }
        #expect(counts.passages > 0)
        #expect(counts.tags > 0)
        try queue.close()

        let again = try await Pipeline.scan(paths: paths, options: ScanOptions(), logger: logger)
        #expect(again.count(.unchanged) == 2)
        #expect(again.documents.processed == 0)
        #expect(again.documents.alreadyIndexed == 2)
        #expect(server.requests(path: "/etag/a").count == 2)

        let reopened = try DatabaseQueue(path: paths.catalog.path)
        let touched = try await reopened.read { db in
            try Row.fetchAll(db, sql: "SELECT tableName, kind, COUNT(*) AS n FROM touched GROUP BY tableName, kind")
                .map { "\($0["tableName"] as String) \($0["kind"] as String) ×\($0["n"] as Int)" }
        }
        #expect(touched == [])
        // The re-scan itself is recorded: its scan row and one fetch outcome per source.
        let scans = try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scan") }
        let outcomes = try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fetchOutcome WHERE scanID = 2") }
        #expect(scans == 2)
        #expect(outcomes == 2)
        try reopened.close()
    }

    @Test("--due counts only captures: a failed fetch or an authored sample leaves a scheduled source due")
    func dueIgnoresFailuresAndSamples() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        let now = Date()
        try store.append(SnapshotRecord(sourceID: "failed", url: "https://e.org/a", fetchedAt: now, outcome: .failed, error: "down"))
        try store.append(SnapshotRecord(sourceID: "sample", url: "https://e.org/b", fetchedAt: now, outcome: .new, origin: .sample))
        let sources = try ["failed", "sample"].map { id in
            Source(
                id: id, url: try #require(URL(string: "https://e.org/\(id)")), title: id, country: .ireland, institution: "T",
                institutionType: .university, kind: .curriculum, targetGroups: [.linkWorkers], schedule: .weekly)
        }
        let split = try DueSources.split(sources, store: store, now: now)
        #expect(split.due.map(\.id) == ["failed", "sample"])
        #expect(split.notDue.isEmpty)
    }

    @Test("a held corpus lock stops a scan before any request")
    func locked() async throws {
        let server = try FixtureServer()
        let (directory, paths) = try project(["a": server.url("etag/a")])
        let lock = try CorpusLock(corpus: paths.corpus)
        await #expect(throws: ScanError.corpusLocked(path: paths.corpus.appendingPathComponent(".lock").path)) {
            _ = try await Pipeline.scan(paths: paths, options: ScanOptions(), logger: logger)
        }
        withExtendedLifetime((directory, lock)) {}
        #expect(server.requests.isEmpty)
    }

    @Test("the JSON report has the documented keys, nulls included")
    func jsonShape() throws {
        let result = SourceFetchResult(sourceID: "x", url: "https://e.org", outcome: .failed, error: "down")
        let report = ScanReport(results: [result], offline: false)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.jsonString().utf8)) as? [String: Any])
        #expect(
            Set(json.keys) == [
                "sources", "counts", "offline", "documents", "document_failures", "known_unreadable", "link_failures", "not_due",
                "notifications",
            ])
        let entry = try #require((json["sources"] as? [[String: Any]])?.first)
        #expect(Set(entry.keys) == ["id", "url", "outcome", "http_status", "snapshot", "error", "documents"])
        #expect(entry["http_status"] is NSNull)
        let counts = try #require(json["counts"] as? [String: Int])
        #expect(Set(counts.keys) == Set(FetchOutcome.allCases.map(\.rawValue)))
        #expect(report.summary == "Scanned 1 source: 1 failed.\n  failed: x: down")
    }

    @Test("links for follow rules come from the extractor, absolute and without fragments")
    func links() throws {
        let base = try #require(URL(string: "https://example.org/course/"))
        let html =
            ##"<html><body><main><p>See the <a HREF="outline.pdf">outline</a>, <a href='/about'>about us</a>, "##
            + ##"<a href="#top">top</a> and <a href="https://x.org/?a=1&amp;b=2">partner</a>.</p></main></body></html>"##
        let scanner = LinkScanner()
        let links = scanner.links(Data(html.utf8), base, "text/html").map(\.absoluteString)
        #expect(links.contains("https://example.org/course/outline.pdf"))
        #expect(links.contains("https://example.org/about"))
        #expect(links.contains("https://x.org/?a=1&b=2"))
        #expect(!links.contains { $0.hasSuffix("#top") })
    }

    @Test(
        "a page read for its links is extracted once: the extract stage takes the same document, only for the same bytes, address and type")
    func followedPageParsedOnce() throws {
        let base = try #require(URL(string: "https://example.org/course/"))
        let html = Data("<html><body><main><h1>Course</h1><p>Motivational interviewing with each person.</p></main></body></html>".utf8)
        let scanner = LinkScanner()
        _ = scanner.links(html, base, "text/html; charset=utf-8")
        let key = ExtractedPages.Key(sha256: SHA256.hex(html), baseURL: base.absoluteString, contentType: "text/html; charset=utf-8")
        let other = ExtractedPages.Key(sha256: SHA256.hex(html), baseURL: base.absoluteString, contentType: "text/plain")
        #expect(scanner.pages.take(other) == nil, "another Content-Type could decode the bytes differently")
        let kept = try #require(scanner.pages.take(key))
        #expect(kept == (try Extractor().extract(html, contentType: "text/html; charset=utf-8", filename: "", baseURL: base)))
        #expect(scanner.pages.take(key) == nil, "each kept page is used once")
        #expect(scanner.pages.reusedCount == 1)

        let tiny = LinkScanner(pages: ExtractedPages(maxTextBytes: 10))
        _ = tiny.links(html, base, "text/html; charset=utf-8")
        #expect(tiny.pages.take(key) == nil, "past its bound the cache keeps nothing; the page is extracted again")
    }
}
