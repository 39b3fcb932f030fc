import Foundation
import SPScanTestSupport
import Testing

@Suite("The address guard through a proxy from the environment")
struct AddressGuardTests {
    /// A project whose sources go through `proxy`, each on its own `respect_robots` setting.
    func project(_ sources: [(id: String, url: String, robots: Bool)]) throws -> TemporaryDirectory {
        let project = try TemporaryDirectory()
        var yaml = "defaults:\n  politeness_delay: 0s\n  retries: 0\nsources:\n"
        for source in sources {
            yaml += """
                  - id: \(source.id)
                    title: \(source.id)
                    url: \(source.url)
                    country: GB
                    institution: Test
                    institution_type: charity
                    kind: guide
                    target_groups: [link-workers]
                    crawl:
                      respect_robots: \(source.robots)

                """
        }
        try project.write(yaml, to: "Sources.yaml")
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: project.path("Framework.yaml"))
        return project
    }

    @Test("a robots.txt that redirects to a loopback address is refused before the request, and so is the document")
    func robotsRedirect() throws {
        let proxy = try FixtureServer()
        let inside = "http://127.0.0.1:\(proxy.port)/internal/robots.txt"
        proxy.route("/robots.txt") { _ in FixtureServer.Response(status: 302, headers: [("Location", inside)]) }
        proxy.route("/internal/robots.txt") { _ in .html("User-agent: *\nAllow: /\n") }
        let project = try project([("redirected", "http://robots.example.invalid/etag/doc", true)])
        let result = try CLIRunner.run(
            ["scan", "--format", "json"], in: project.url, environment: ["http_proxy": proxy.baseURL.absoluteString, "no_proxy": ""])
        let sources = try reportedSources(result.stdout)
        #expect(sources["redirected"]?["outcome"] as? String == "refused", "\(result.stderr)")
        #expect((sources["redirected"]?["error"] as? String)?.contains("127.0.0.1") == true)
        #expect(proxy.requests.map(\.path) == ["/robots.txt"], "neither the internal robots.txt nor the document was asked for")
        #expect(result.exitCode == 1)
    }

    @Test("names and IPv6 forms standing for loopback are refused through the proxy without a request")
    func localNames() throws {
        let proxy = try FixtureServer()
        let project = try project([
            ("dotted", "http://localhost./etag/a", false), ("nip", "http://127.0.0.1.nip.io/etag/b", false),
            ("compatible", "http://[::127.0.0.1]/etag/c", false), ("sixtofour", "http://[2002:7f00:1::1]/etag/d", false),
            ("nat64", "http://[64:ff9b::7f00:1]/etag/e", false),
        ])
        let result = try CLIRunner.run(
            ["scan", "--format", "json"], in: project.url, environment: ["http_proxy": proxy.baseURL.absoluteString, "no_proxy": ""])
        let sources = try reportedSources(result.stdout)
        for id in ["dotted", "nip", "compatible", "sixtofour", "nat64"] {
            #expect(sources[id]?["outcome"] as? String == "refused", "\(id): \(result.stderr)")
        }
        #expect(proxy.requests.isEmpty)
        #expect(result.exitCode == 1)
    }
}
