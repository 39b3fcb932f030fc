import Foundation
import Testing

@testable import SPScanFetch

@Suite("The address guard")
struct AddressGuardRuleTests {
    func isPrivate(_ literal: String) throws -> Bool {
        AddressPolicy.isPrivate(try #require(AddressPolicy.parse(literal), "\(literal) is an address literal"))
    }

    @Test(
        "private, loopback, link-local, shared and reserved IPv4 ranges are refused",
        arguments: [
            "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.0.8", "192.0.2.1", "198.18.0.1",
            "198.51.100.7", "203.0.113.9",
        ])
    func privateIPv4(_ literal: String) throws {
        #expect(try isPrivate(literal))
    }

    @Test("public IPv4 and IPv6 addresses pass", arguments: ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "2a00:1450::1"])
    func publicAddresses(_ literal: String) throws {
        #expect(try !isPrivate(literal))
    }

    @Test(
        "IPv6 forms that carry a private IPv4 address are checked as that address",
        arguments: [
            "::1", "::", "[::1]", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "[::127.0.0.1]", "::ffff:0:127.0.0.1",
            "2002:7f00:1::1", "2002:0a00:0001::", "64:ff9b::7f00:1", "64:ff9b::10.0.0.1", "64:ff9b:1::1",
            // Teredo: server 65.54.227.120, client 127.0.0.1 stored inverted (80ff:fffe).
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "100::1", "2001:db8::1",
        ])
    func embeddedIPv4(_ literal: String) throws {
        #expect(try isPrivate(literal))
    }

    @Test("IPv6 forms that carry a public IPv4 address pass")
    func embeddedPublic() throws {
        #expect(try !isPrivate("::ffff:8.8.8.8"))
        #expect(try !isPrivate("2002:0808:0808::1"))
        #expect(try !isPrivate("64:ff9b::808:808"))
        // Teredo with server 65.54.227.120 and client 8.8.8.8 (inverted: f7f7:f7f7).
        #expect(try !isPrivate("2001:0:4136:e378:8000:63bf:f7f7:f7f7"))
        #expect(
            AddressPolicy.embeddedIPv4(try #require(AddressPolicy.parse("2001:0:4136:e378:8000:63bf:f7f7:f7f7"))) == [
                [65, 54, 227, 120], [8, 8, 8, 8],
            ])
    }

    @Test("only strict literals parse; names are left to DNS")
    func parsing() {
        #expect(AddressPolicy.parse("10.0.0.1") == [10, 0, 0, 1])
        #expect(AddressPolicy.parse("0x7f.1") == nil)
        #expect(AddressPolicy.parse("example.org") == nil)
        #expect(AddressPolicy.parse("[::1]")?.count == 16)
    }

    @Test(
        "names that stand for this machine or a private network are known without DNS",
        arguments: [
            "localhost", "localhost.", "LOCALHOST", "app.localhost", "printer.local", "db.internal", "nas.home.arpa",
            "127.0.0.1.nip.io", "a.10.0.0.1.nip.io", "10-0-0-1.sslip.io", "app-192-168-1-1.sslip.io", "7f000001.nip.io",
        ])
    func privateNames(_ host: String) {
        #expect(AddressPolicy.isPrivateName(host))
    }

    @Test(
        "ordinary names, and names spelling a public address, are not private by name",
        arguments: [
            "example.org", "www.england.nhs.uk", "8.8.8.8.nip.io", "1-2-3-4.example", "localhost.example.org", "cafebabe.example.org",
        ])
    func publicNames(_ host: String) {
        #expect(!AddressPolicy.isPrivateName(host))
    }

    @Test("through a proxy, targets are judged by literal, by name, then by local DNS")
    func proxiedTargets() {
        #expect(ProxyPolicy.privateTarget(of: "[::127.0.0.1]") == .address("0:0:0:0:0:0:7f00:1"))
        #expect(ProxyPolicy.privateTarget(of: "2002:7f00:1::1") == .address("2002:7f00:1:0:0:0:0:1"))
        #expect(ProxyPolicy.privateTarget(of: "localhost.") == .name("localhost."))
        #expect(ProxyPolicy.privateTarget(of: "127.0.0.1.nip.io") == .name("127.0.0.1.nip.io"))
        #expect(ProxyPolicy.privateTarget(of: "8.8.8.8") == nil)
        #expect(ProxyPolicy.privateTarget(of: "no-such-host.invalid") == nil)
    }
}
