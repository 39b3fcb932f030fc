import Foundation
import SPScanFetch
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("Fetcher over a loopback HTTP server")
struct FetcherTests {
    @Test("a 200 is stored as a new snapshot, logged with status, type, size and hash")
    func firstFetch() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let result = try await harness.fetchOne(testSource("page", server.url("etag/page")))
        #expect(result.outcome == .new)
        #expect(result.httpStatus == 200)
        let record = try #require(try harness.store.records(sourceID: "page").last)
        #expect(record.contentType == "text/html; charset=utf-8")
        #expect(record.etag != nil)
        let sha = try #require(record.sha256)
        #expect(result.snapshot == sha)
        #expect(String(decoding: try harness.store.data(sha256: sha), as: UTF8.self) == "<html><body>page</body></html>")
        #expect(record.size == 30)
    }

    @Test("a second fetch sends If-None-Match, gets 304 and stores nothing new")
    func etagNotModified() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let source = testSource("page", server.url("etag/page"))
        _ = try await harness.fetchOne(source)
        let again = try await harness.fetchOne(source)
        #expect(again.outcome == .unchanged)
        #expect(again.httpStatus == 304)
        let requests = server.requests(path: "/etag/page")
        #expect(requests.count == 2)
        let etag = try #require(try harness.store.records(sourceID: "page").first?.etag)
        #expect(requests[0].headers["if-none-match"] == nil)
        #expect(requests[1].headers["if-none-match"] == etag)
        let records = try harness.store.records(sourceID: "page")
        #expect(records.map(\.outcome) == [.new, .unchanged])
        #expect(records[0].sha256 == records[1].sha256)
    }

    @Test("a second fetch sends If-Modified-Since and a 304 counts as unchanged")
    func lastModifiedNotModified() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let source = testSource("page", server.url("last-modified/page"))
        _ = try await harness.fetchOne(source)
        let again = try await harness.fetchOne(source)
        #expect(again.outcome == .unchanged)
        #expect(server.requests(path: "/last-modified/page").last?.headers["if-modified-since"] == "Tue, 03 Nov 2026 10:00:00 GMT")
    }

    @Test("changed bytes make a changed snapshot; the old one is kept")
    func changedContent() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let source = testSource("page", server.url("etag/page"))
        let first = try await harness.fetchOne(source)
        server.setDocument("page", "<html><body>version two</body></html>")
        let second = try await harness.fetchOne(source)
        #expect(second.outcome == .changed)
        let old = try #require(first.snapshot)
        #expect(second.snapshot != old)
        #expect(harness.store.contains(sha256: old))
    }

    @Test("a 200 with the same bytes as the last snapshot is unchanged")
    func sameBytesUnchanged() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let source = testSource("plain", server.url("redirect/0"))
        _ = try await harness.fetchOne(source)
        let again = try await harness.fetchOne(source)
        #expect(again.outcome == .unchanged)
        #expect(again.httpStatus == 200)
    }

    @Test("redirects are followed and the final URL is logged")
    func redirects() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let result = try await harness.fetchOne(testSource("moved", server.url("redirect/3")))
        #expect(result.outcome == .new)
        let record = try #require(result.records.first)
        #expect(record.url == server.url("redirect/3").absoluteString)
        #expect(record.finalURL == server.url("redirect/0").absoluteString)
    }

    @Test("more redirects than the limit fail and say so")
    func tooManyRedirects() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let url = server.url("redirect/5")
        let result = try await harness.fetchOne(testSource("far", url) { $0.maxRedirects = 2 })
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.tooManyRedirects(url: url.absoluteString, limit: 2).errorDescription)
    }

    @Test("a redirect loop is detected before the redirect limit")
    func redirectLoop() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let url = server.url("redirect-loop/a")
        let result = try await harness.fetchOne(testSource("loop", url))
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.redirectLoop(url: url.absoluteString, target: url.absoluteString).errorDescription)
        #expect(server.requests.filter { $0.path.hasPrefix("/redirect-loop") }.count == 2)
    }

    @Test("404 and 410 mark the source gone and keep its earlier snapshot", arguments: [404, 410])
    func gone(status: Int) async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let path = "/doc"
        server.route(path) { _ in .html("<html>doc</html>") }
        let source = testSource("doc", server.url("doc"))
        let first = try await harness.fetchOne(source)
        server.route(path) { _ in .html("gone", status: status) }
        let second = try await harness.fetchOne(source)
        #expect(second.outcome == .gone)
        #expect(second.httpStatus == status)
        #expect(second.snapshot == first.snapshot)
        #expect(try harness.store.current(sourceID: "doc").map(\.sha256) == [first.snapshot])
    }

    @Test("429 with Retry-After waits and retries")
    func retryAfter() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let result = try await harness.fetchOne(testSource("busy", server.url("retry-after/1")))
        #expect(result.outcome == .new)
        let requests = server.requests(path: "/retry-after/1")
        #expect(requests.count == 2)
        #expect(requests[1].receivedAt.timeIntervalSince(requests[0].receivedAt) >= 0.9)
    }

    @Test("a Retry-After beyond the cap fails at once with the reason")
    func retryAfterTooLong() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let url = server.url("retry-after/600")
        let result = try await harness.fetchOne(testSource("busy", url))
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.retryAfterTooLong(url: url.absoluteString, status: 429, seconds: 600, cap: 5).errorDescription)
    }

    @Test("503 then 200 is retried to success")
    func flaky() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let result = try await harness.fetchOne(testSource("flaky", server.url("flaky/2")))
        #expect(result.outcome == .new)
        #expect(server.requests(path: "/flaky/2").count == 3)
    }

    @Test("a server failing past the retries fails the source")
    func persistent503() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let url = server.url("status/503")
        let result = try await harness.fetchOne(testSource("down", url) { $0.retries = 1 })
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.httpStatus(url: url.absoluteString, status: 503).errorDescription)
        #expect(server.requests(path: "/status/503").count == 2)
    }

    @Test("a trickling server is cut off by the low-speed limit, and retried as a timeout is")
    func trickle() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let url = server.url("trickle")
        let result = try await harness.fetchOne(testSource("slow", url) { $0.retries = 1 })
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.tooSlow(url: url.absoluteString, bytesPerSecond: 100, seconds: 2).errorDescription)
        #expect(server.requests(path: "/trickle").count == 2)
    }

    @Test("oversized response headers are reported as such, not as a failure to connect", arguments: [1, 400])
    func oversizedHeaders(count: Int) async throws {
        let server = try FixtureServer()
        let size = count == 1 ? 200_000 : 1_000
        server.route("/headers") { _ in
            .html("<html><body>x</body></html>", headers: (0..<count).map { ("X-Filler-\($0)", String(repeating: "a", count: size)) })
        }
        let harness = try FetchHarness()
        let url = server.url("headers")
        let result = try await harness.fetchOne(testSource("headers", url))
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.headersTooLarge(url: url.absoluteString).errorDescription)
        #expect(server.requests(path: "/headers").count == 1, "not retried: the server will send the same headers again")
    }

    @Test("a body over the size limit is stopped, announced or not", arguments: ["big/3000000", "big-unannounced/3000000"])
    func oversize(path: String) async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let url = server.url(path)
        let result = try await harness.fetchOne(testSource("big", url))
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.bodyTooLarge(url: url.absoluteString, limit: 1_000_000).errorDescription)
        #expect(try harness.store.current(sourceID: "big").isEmpty)
    }

    @Test("a gzip bomb is stopped by the decoded-size limit")
    func gzipBomb() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let url = server.url("gzip-bomb")
        let result = try await harness.fetchOne(testSource("bomb", url))
        #expect(result.outcome == .failed)
        #expect(result.error == FetchError.decodedTooLarge(url: url.absoluteString, limit: 2_000_000).errorDescription)
    }

    @Test("a loopback address is refused unless the source or the run allows it")
    func privateAddressRefused() async throws {
        let server = try FixtureServer()
        let refusing = try FetchHarness()
        let url = server.url("etag/page")
        let refused = try await refusing.fetchOne(testSource("local", url) { $0.allowPrivate = false })
        #expect(refused.outcome == .refused)
        #expect(refused.error == FetchError.privateAddress(url: url.absoluteString, address: "127.0.0.1").errorDescription)
        #expect(server.requests.isEmpty)
        let allowing = try FetchHarness(allowPrivate: true)
        let allowed = try await allowing.fetchOne(testSource("local", url) { $0.allowPrivate = false })
        #expect(allowed.outcome == .new)
    }

    @Test("a redirect to a scheme other than http or https is refused on the hop")
    func redirectSchemeRefused() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        server.route("/ftp") { _ in FixtureServer.Response(status: 302, headers: [("Location", "ftp://example.org/x")]) }
        let result = try await harness.fetchOne(testSource("hop", server.url("ftp")))
        #expect(result.outcome == .refused)
        #expect(result.error == FetchError.unsupportedScheme(url: "ftp://example.org/x").errorDescription)
    }

    @Test("only http and https URLs are fetched")
    func schemeRefused() async throws {
        let harness = try FetchHarness()
        let url = try #require(URL(string: "file:///etc/passwd"))
        let result = try await harness.fetchOne(testSource("file", url))
        #expect(result.outcome == .refused)
        #expect(result.error == FetchError.unsupportedScheme(url: "file:///etc/passwd").errorDescription)
    }

    @Test("robots.txt disallow blocks a URL, names the rule, and is fetched once per host")
    func robotsDisallow() async throws {
        let server = try FixtureServer()
        server.robots = "User-agent: *\nDisallow: /etag/private\nAllow: /etag/\n"
        let harness = try FetchHarness()
        let results = await harness.fetch(
            testSource("open", server.url("etag/open")), testSource("closed", server.url("etag/private")))
        #expect(results.map(\.outcome) == [.new, .blockedByRobots])
        #expect(
            results[1].error
                == FetchError.blockedByRobots(url: server.url("etag/private").absoluteString, rule: "Disallow: /etag/private")
                .errorDescription)
        #expect(server.requests(path: "/robots.txt").count == 1)
        #expect(server.requests(path: "/etag/private").isEmpty)
    }

    @Test("robots.txt answering 5xx disallows the whole site; 4xx allows it")
    func robotsStatus() async throws {
        let broken = try FixtureServer()
        broken.route("/robots.txt") { _ in .html("oops", status: 503) }
        let missing = try FixtureServer(address: "127.0.0.2")
        let harness = try FetchHarness()
        let results = await harness.fetch(
            testSource("broken", broken.url("etag/a")), testSource("missing", missing.url("etag/b")))
        #expect(results.map(\.outcome) == [.blockedByRobots, .new])
    }

    @Test("Crawl-delay and the politeness delay space requests to one host; other hosts are not held up")
    func politeness() async throws {
        let slow = try FixtureServer()
        slow.robots = "User-agent: *\nCrawl-delay: 0.4\n"
        let other = try FixtureServer(address: "127.0.0.3")
        let harness = try FetchHarness()
        let sources =
            (1...3).map { testSource("slow-\($0)", slow.url("etag/\($0)")) } + [
                testSource("other-1", other.url("etag/x")), testSource("other-2", other.url("etag/y")),
            ]
        let results = await harness.fetcher.fetch(sources, offline: false)
        #expect(results.allSatisfy { $0.outcome == .new })
        let times = slow.requests.filter { $0.path.hasPrefix("/etag/") }.map(\.receivedAt)
        #expect(times.count == 3)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later.timeIntervalSince(earlier) >= 0.35, "requests to one host must be Crawl-delay apart")
        }
        let otherTimes = other.requests.filter { $0.path.hasPrefix("/etag/") }.map(\.receivedAt)
        #expect(otherTimes.count == 2)
        if let lastOther = otherTimes.max(), let lastSlow = times.max() {
            #expect(lastOther < lastSlow, "the other host finishes while the slow host waits")
        }
    }

    @Test("follow rules collect linked documents of the source's site as documents of the source")
    func followLinks() async throws {
        let server = try FixtureServer()
        let elsewhere = try FixtureServer(address: "127.0.0.4")
        server.setDocument(
            "hub",
            """
            <html><body><a href="/etag/course.pdf">Curriculum</a> <a href="/etag/skip.zip">zip</a>
            <a href="/etag/other#part">other</a> <a href="\(elsewhere.url("etag/away").absoluteString)">away</a>
            <a href="/etag/excluded">no</a></body></html>
            """)
        let harness = try FetchHarness(linkExtractor: hrefLinks)
        let rules = FollowRules(depth: 1, exclude: ["*excluded*"], sameSite: true)
        let result = try await harness.fetchOne(testSource("hub", server.url("etag/hub"), follow: rules))
        let followed = result.records.filter { $0.depth == 1 }.map(\.url).sorted()
        #expect(followed == [server.url("etag/course.pdf").absoluteString, server.url("etag/other").absoluteString])
        #expect(elsewhere.requests.isEmpty)
        let ids = result.records.map(\.documentID)
        #expect(ids.first == "hub")
        #expect(ids.dropFirst().allSatisfy { $0.hasPrefix("hub~") && $0.count == 12 })
        #expect(try harness.store.current(sourceID: "hub").count == 3)
    }

    @Test("offline, the last snapshot of each source stands in, and a source without one fails")
    func offline() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let known = testSource("known", server.url("etag/known"))
        let first = try await harness.fetchOne(known)
        let results = await harness.fetcher.fetch([known, testSource("unknown", server.url("etag/unknown"))], offline: true)
        #expect(results.map(\.outcome) == [.offline, .failed])
        #expect(results[0].snapshot == first.snapshot)
        #expect(results[1].error == FetchError.offlineWithoutSnapshot(sourceID: "unknown").errorDescription)
        #expect(server.requests(path: "/etag/known").count == 1)
    }

    @Test("with no server reachable at all, the scan falls back to the last snapshots")
    func networkDown() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let source = testSource("known", server.url("etag/known")) { $0.retries = 0 }
        let first = try await harness.fetchOne(source)
        server.stop()
        let result = try await harness.fetchOne(source)
        #expect(result.outcome == .offline)
        #expect(result.snapshot == first.snapshot)
        #expect(result.error?.hasPrefix("offline: using the snapshot of") == true)
    }

    @Test("when no source's host name resolves, nothing is requested or logged and the last snapshots stand in")
    func noHostResolves() async throws {
        let server = try FixtureServer()
        let harness = try FetchHarness()
        let first = try await harness.fetchOne(testSource("known", server.url("etag/known")))
        let recorded = try harness.store.records(sourceID: "known").count
        // RFC 6761 reserves .invalid: no resolver answers for it, as none answers for anything offline.
        let unresolvable = try #require(URL(string: "https://course.spscan-test.invalid/outline"))
        let results = await harness.fetcher.fetch(
            [testSource("known", unresolvable), testSource("never-fetched", unresolvable)], offline: false)
        #expect(results.map(\.outcome) == [.offline, .failed])
        #expect(results[0].snapshot == first.snapshot)
        #expect(results[0].error?.contains("no host name could be resolved") == true)
        #expect(results[1].error == FetchError.offlineWithoutSnapshot(sourceID: "never-fetched").errorDescription)
        #expect(try harness.store.records(sourceID: "known").count == recorded)
        #expect(try harness.store.records(sourceID: "never-fetched").isEmpty)
    }
}
