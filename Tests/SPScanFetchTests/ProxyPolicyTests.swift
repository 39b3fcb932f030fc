import Foundation
import SPScanModel
import Testing

@testable import SPScanFetch

@Suite("Proxies from the environment")
struct ProxyPolicyTests {
    func url(_ text: String) throws -> URL { try #require(URL(string: text)) }

    @Test("the scheme's proxy variable applies, http_proxy in lower case only, all_proxy as fallback")
    func variables() throws {
        #expect(ProxyPolicy(environment: ["http_proxy": "http://p:3128"]).proxy(for: try url("http://a.org/")) == "http://p:3128")
        #expect(ProxyPolicy(environment: ["HTTP_PROXY": "http://p:3128"]).proxy(for: try url("http://a.org/")) == nil)
        #expect(ProxyPolicy(environment: ["HTTPS_PROXY": "http://p:1"]).proxy(for: try url("https://a.org/")) == "http://p:1")
        #expect(ProxyPolicy(environment: ["all_proxy": "http://p:2"]).proxy(for: try url("https://a.org/")) == "http://p:2")
        #expect(ProxyPolicy(environment: [:]).proxy(for: try url("https://a.org/")) == nil)
    }

    @Test("no_proxy bypasses hosts and domain suffixes, or everything with *")
    func noProxy() throws {
        let policy = ProxyPolicy(environment: ["https_proxy": "http://p:1", "no_proxy": "localhost, .gov.uk,example.org"])
        #expect(policy.proxy(for: try url("https://www.nhs.gov.uk/x")) == nil)
        #expect(policy.proxy(for: try url("https://example.org/x")) == nil)
        #expect(policy.proxy(for: try url("https://sub.example.org/x")) == nil)
        #expect(policy.proxy(for: try url("https://notexample.org/x")) == "http://p:1")
        #expect(ProxyPolicy(environment: ["https_proxy": "http://p:1", "NO_PROXY": "*"]).proxy(for: try url("https://a.org")) == nil)
    }

    @Test("a proxied target is checked by its own address: literals and local names")
    func targetAddress() {
        #expect(ProxyPolicy.privateAddress(of: "127.0.0.7") == "127.0.0.7")
        #expect(ProxyPolicy.privateAddress(of: "10.1.2.3") == "10.1.2.3")
        #expect(ProxyPolicy.privateAddress(of: "localhost") != nil)
        #expect(ProxyPolicy.privateAddress(of: "8.8.8.8") == nil)
        #expect(ProxyPolicy.privateAddress(of: "no-such-host.invalid") == nil)
    }
}

@Suite("Retry-After")
struct RetryAfterTests {
    @Test("Retry-After is read as seconds or as an HTTP date; garbage is ignored")
    func parsing() throws {
        #expect(FetchEngine.retryAfter("120") == 120)
        #expect(FetchEngine.retryAfter(" 0 ") == 0)
        #expect(FetchEngine.retryAfter("soon") == nil)
        #expect(FetchEngine.retryAfter(nil) == nil)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let inAMinute = formatter.string(from: Date().addingTimeInterval(60))
        let seconds = try #require(FetchEngine.retryAfter(inAMinute))
        #expect((55...61).contains(seconds))
        #expect(FetchEngine.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == 0)
    }

    @Test("follow rules: same site by registrable domain, document types by extension")
    func followAdmission() throws {
        let page = try #require(URL(string: "https://www.england.nhs.uk/training/"))
        let rules = FollowRules(depth: 1, types: [.pdf, .html])
        func admits(_ text: String) throws -> Bool {
            FetchEngine.admits(try #require(URL(string: text)), rules: rules, from: page)
        }
        #expect(try admits("https://www.england.nhs.uk/wp-content/curriculum.pdf"))
        #expect(try admits("https://england.nhs.uk/about"))
        #expect(try !admits("https://www.nhs.uk/other"))
        #expect(try !admits("https://www.england.nhs.uk/form.docx"))
        #expect(try !admits("https://www.england.nhs.uk/archive.zip"))
        #expect(try !admits("mailto:someone@england.nhs.uk"))
        #expect(FetchEngine.site("www.gov.sg") == "www.gov.sg")
        #expect(FetchEngine.site("www.healthhub.gov.sg") == "healthhub.gov.sg")
        #expect(FetchEngine.site("www.hse.ie") == "hse.ie")
    }
}
