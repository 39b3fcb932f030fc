import Foundation
import Logging
import SPScan
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
        let links = LinkScanner.links(Data(html.utf8), base).map(\.absoluteString)
        #expect(links.contains("https://example.org/course/outline.pdf"))
        #expect(links.contains("https://example.org/about"))
        #expect(links.contains("https://x.org/?a=1&b=2"))
        #expect(!links.contains { $0.hasSuffix("#top") })
    }
}
