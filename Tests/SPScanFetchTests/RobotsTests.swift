import Foundation
import SPScanFetch
import Testing

@Suite("robots.txt by RFC 9309")
struct RobotsTests {
    func decide(_ robots: String, _ path: String, agent: String = "spscan/0.1 (+https://example.org)") throws
        -> RobotsPolicy.Decision
    {
        let url = try #require(URL(string: "https://example.org" + path))
        return RobotsPolicy(parsing: Data(robots.utf8)).decision(for: url, agent: agent)
    }

    @Test("the longest matching rule wins, whichever comes first")
    func longestMatch() throws {
        let robots = "User-agent: *\nDisallow: /\nAllow: /training\nDisallow: /training/private\n"
        #expect(try decide(robots, "/about") == .init(allowed: false, rule: "Disallow: /"))
        #expect(try decide(robots, "/training/course") == .init(allowed: true, rule: "Allow: /training"))
        #expect(try decide(robots, "/training/private/x") == .init(allowed: false, rule: "Disallow: /training/private"))
    }

    @Test("Allow wins a tie of equal length")
    func allowWinsTie() throws {
        let robots = "User-agent: *\nDisallow: /folder\nAllow: /folder\n"
        #expect(try decide(robots, "/folder/page") == .init(allowed: true, rule: "Allow: /folder"))
    }

    @Test("* matches any run of characters and a final $ anchors the end")
    func wildcards() throws {
        let robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /a*c\n"
        #expect(try decide(robots, "/docs/curriculum.pdf") == .init(allowed: false, rule: "Disallow: /*.pdf$"))
        #expect(try decide(robots, "/docs/curriculum.pdf?download=1").allowed)
        #expect(try decide(robots, "/abbbc/x") == .init(allowed: false, rule: "Disallow: /a*c"))
        #expect(try decide(robots, "/ab").allowed)
    }

    @Test("percent-encoding is normalised on both sides; %2A and %24 are literal * and $")
    func percentEncoding() throws {
        #expect(try !decide("User-agent: *\nDisallow: /foo/bar/%62%61%7A\n", "/foo/bar/baz").allowed)
        #expect(try !decide("User-agent: *\nDisallow: /foo/bar/ツ\n", "/foo/bar/%E3%83%84").allowed)
        #expect(try !decide("User-agent: *\nDisallow: /foo/bar/%e3%83%84\n", "/foo/bar/%E3%83%84").allowed)
        #expect(try !decide("User-agent: *\nDisallow: /path/file-with-a-%2A.html\n", "/path/file-with-a-*.html").allowed)
        #expect(try decide("User-agent: *\nDisallow: /path/file-with-a-%2A.html\n", "/path/file-with-a-b.html").allowed)
        #expect(try !decide("User-agent: *\nDisallow: /path/foo-%24\n", "/path/foo-$").allowed)
    }

    @Test("the query is part of the matched path")
    func query() throws {
        #expect(try !decide("User-agent: *\nDisallow: /search?q=\n", "/search?q=link").allowed)
        #expect(try decide("User-agent: *\nDisallow: /search?q=\n", "/search").allowed)
    }

    @Test("the group naming our product token applies, case-insensitively, instead of *")
    func agentGroups() throws {
        let robots = """
            User-agent: *
            Disallow: /

            User-agent: SPScan
            User-agent: other-bot
            Disallow: /private

            user-agent: spscan
            allow: /private/open
            """
        #expect(try decide(robots, "/public").allowed)
        #expect(try !decide(robots, "/private/x").allowed)
        #expect(try decide(robots, "/private/open/x") == .init(allowed: true, rule: "Allow: /private/open"))
        #expect(try !decide(robots, "/public", agent: "somebot/2.0").allowed)
    }

    @Test("no matching group, an empty Disallow and /robots.txt itself all allow")
    func allowedByDefault() throws {
        #expect(try decide("User-agent: otherbot\nDisallow: /\n", "/x") == .init(allowed: true, rule: nil))
        #expect(try decide("User-agent: *\nDisallow:\n", "/x") == .init(allowed: true, rule: nil))
        #expect(try decide("User-agent: *\nDisallow: /\n", "/robots.txt").allowed)
    }

    @Test("comments, blank lines, unknown keys and CRLF are tolerated")
    func lenientParsing() throws {
        let robots = "# hello\r\nUser-agent: * # all\r\nSitemap: https://example.org/s.xml\r\nnonsense\r\nDisallow: /x # no\r\n"
        #expect(try decide(robots, "/x/y") == .init(allowed: false, rule: "Disallow: /x"))
    }

    @Test("Crawl-delay of the applicable group is read")
    func crawlDelay() {
        let policy = RobotsPolicy(parsing: Data("User-agent: *\nCrawl-delay: 2.5\nUser-agent: spscan\nCrawl-delay: 4\n".utf8))
        #expect(policy.crawlDelay(agent: "spscan/0.1") == 4)
        #expect(policy.crawlDelay(agent: "other") == 2.5)
    }

    @Test("only the first 500 KiB are parsed")
    func parseLimit() throws {
        let padding = String(repeating: "# padding\n", count: RobotsPolicy.parseLimit / 10 + 1)
        let robots = "User-agent: *\n" + padding + "Disallow: /late\n"
        #expect(try decide(robots, "/late").allowed)
    }

    @Test("4xx allows everything; 5xx or unreachable disallows everything")
    func statusBases() throws {
        let url = try #require(URL(string: "https://example.org/x"))
        #expect(RobotsPolicy.allowAll.decision(for: url, agent: "spscan").allowed)
        #expect(!RobotsPolicy.disallowAll.decision(for: url, agent: "spscan").allowed)
    }
}
