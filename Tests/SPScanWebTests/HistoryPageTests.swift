import Foundation
import Hummingbird
import HummingbirdTesting
import SPScanTestSupport
import Testing

@testable import SPScanWeb

/// The history views through the router, over a project scanned twice by `spscan` from a loopback server.
@Suite struct HistoryPageTests {
    static func page(_ body: String) -> String {
        "<!doctype html><html><head><title>Course</title></head><body><main><h1>Course</h1>\(body)</main></body></html>"
    }

    func scannedTwice() throws -> (TemporaryDirectory, FixtureServer) {
        let server = try FixtureServer()
        let project = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: project.path("Framework.yaml"))
        try project.write(
            """
            defaults:
              politeness_delay: 0s
              retries: 0
              allow_private: true
            sources:
              - id: course
                title: Course <b>one</b>
                url: \(server.url("etag/course").absoluteString)
                country: CA
                institution: Test
                institution_type: network
                kind: training
                target_groups: [link-workers]
            """, to: "Sources.yaml")
        server.setDocument(
            "course", Self.page("<p>Learners practise active listening and ask each person what matters to them.</p>"))
        #expect(try CLIRunner.run(["scan"], in: project.url).exitCode == 0)
        server.setDocument(
            "course",
            Self.page(
                "<p>Learners practise reflective listening and ask each person what matters to them.</p>"
                    + "<p>Learners use motivational interviewing and health coaching to support self-management.</p>"))
        #expect(try CLIRunner.run(["scan"], in: project.url).exitCode == 0)
        return (project, server)
    }

    @Test func oldVersionsTheirDiffTheChartAndTheFeed() async throws {
        let (project, server) = try scannedTwice()
        defer { server.stop() }
        let settings = WebSettings(
            host: "127.0.0.1", port: 0, sources: project.path("Sources.yaml"), framework: project.path("Framework.yaml"),
            catalog: project.path(".spscan/catalog.sqlite"), reviews: project.path("Reviews.yaml"), corpus: project.path("Corpus"))
        try await WebServer.application(settings: settings).test(.router) { client in
            try await client.execute(uri: "/documents/course", method: .get) { response in
                let page = text(response)
                #expect(page.contains("<a href=\"/documents/course/versions/1\">version 1</a>"), "\(page)")
                #expect(page.contains("<a href=\"/documents/course/diff?from=1&amp;to=2\">what changed</a>"))
            }
            try await client.execute(uri: "/documents/course/versions/1", method: .get) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("Version 1 of 2"))
                #expect(page.contains("active listening"))
                #expect(!page.contains("reflective"))
            }
            try await client.execute(uri: "/documents/course/diff?from=1&to=2", method: .get) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("<del>active</del>"), "\(page)")
                #expect(page.contains("<ins>reflective</ins>"))
                #expect(page.contains("<option value=\"1\" selected>"))
            }
            try await client.execute(uri: "/documents/course/versions/7", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/scans", method: .get) { response in
                let page = text(response)
                #expect(page.contains("<svg class=\"coverage-chart\""), "\(page)")
                #expect(page.contains("Competencies covered by country"))
            }
            try await client.execute(uri: "/feed.atom", method: .get) { response in
                #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let feed = text(response)
                #expect(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"))
                #expect(feed.contains("<title>Changed: Course &lt;b&gt;one&lt;/b&gt;</title>"), "\(feed)")
                #expect(feed.contains("/documents/course/diff\"/>"))
                #expect(feed.contains("+ Learners use motivational interviewing"))
            }
        }
        let atom = try CLIRunner.run(["changes", "--format", "atom", "--base-url", "https://scan.example.org"], in: project.url)
        #expect(atom.exitCode == 0, "\(atom.stderr)")
        #expect(atom.stdout.contains("<link href=\"https://scan.example.org/documents/course/diff\"/>"), "\(atom.stdout)")
    }
}
