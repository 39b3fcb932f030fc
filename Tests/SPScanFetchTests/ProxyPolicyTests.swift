import Foundation
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
