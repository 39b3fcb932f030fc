import Foundation
import SPScanFetch
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("robots.txt redirects, followed by the fetcher hop by hop")
struct RobotsRedirectTests {
    @Test("a redirected robots.txt is read at its target and its rules apply to the original site")
    func followed() async throws {
        let server = try FixtureServer()
        server.route("/robots.txt") { _ in FixtureServer.Response(status: 301, headers: [("Location", "/moved/robots.txt")]) }
        server.route("/moved/robots.txt") { _ in
            FixtureServer.Response(
                status: 200, headers: [("Content-Type", "text/plain")], body: Data("User-agent: *\nDisallow: /etag/private\n".utf8))
        }
        let harness = try FetchHarness()
        let blocked = try await harness.fetchOne(testSource("blocked", server.url("etag/private")))
        #expect(blocked.outcome == .blockedByRobots)
        #expect(blocked.error?.contains("Disallow: /etag/private") == true)
        #expect(server.requests.map(\.path) == ["/robots.txt", "/moved/robots.txt"])
    }

    @Test("more than five robots.txt redirects close the site, as a failing robots.txt does")
    func tooMany() async throws {
        let server = try FixtureServer()
        for hop in 0..<7 {
            let from = hop == 0 ? "/robots.txt" : "/hop/\(hop)"
            server.route(from) { _ in FixtureServer.Response(status: 302, headers: [("Location", "/hop/\(hop + 1)")]) }
        }
        let harness = try FetchHarness()
        let result = try await harness.fetchOne(testSource("page", server.url("etag/page")))
        #expect(result.outcome == .blockedByRobots)
        #expect(server.requests.map(\.path) == ["/robots.txt", "/hop/1", "/hop/2", "/hop/3", "/hop/4", "/hop/5"])
    }

    @Test("a robots.txt redirect to another scheme is refused and so are the site's documents")
    func otherScheme() async throws {
        let server = try FixtureServer()
        server.route("/robots.txt") { _ in FixtureServer.Response(status: 302, headers: [("Location", "file:///etc/passwd")]) }
        let harness = try FetchHarness()
        let result = try await harness.fetchOne(testSource("page", server.url("etag/page")))
        #expect(result.outcome == .refused)
        #expect(result.error == FetchError.unsupportedScheme(url: "file:///etc/passwd").errorDescription)
        #expect(server.requests(path: "/etag/page").isEmpty)
    }
}

@Suite("A robots.txt over RFC 9309's 500 KiB")
struct LargeRobotsTests {
    @Test("only the first 500 KiB are parsed, and that is said")
    func truncation() throws {
        #expect(RobotsPolicy.truncationNote(size: RobotsPolicy.parseLimit) == nil)
        #expect(
            RobotsPolicy.truncationNote(size: 600_000)
                == "robots.txt is 600000 bytes; only its first 500 KiB are read (RFC 9309's minimum), rules after that are ignored")
        let padding = String(repeating: "# padding line\n", count: 40_000)
        let policy = RobotsPolicy(parsing: Data(("User-agent: *\nDisallow: /early\n" + padding + "Disallow: /late\n").utf8))
        let site = try #require(URL(string: "https://example.org/early"))
        #expect(!policy.decision(for: site, agent: "spscan").allowed)
        #expect(policy.decision(for: try #require(URL(string: "https://example.org/late")), agent: "spscan").allowed)
    }
}
