import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Which resolved addresses a fetch may connect to: public ones only, unless a source allows private ones.
///
/// A registry entry (or a redirect) that points into the local network could make the scanner read an
/// intranet or a cloud metadata service; the check runs on the address after DNS, so a public-looking name
/// cannot smuggle a private address in. IPv6 forms that carry an IPv4 address (mapped, compatible,
/// translated, NAT64, 6to4, Teredo) are judged by the IPv4 address they carry: a gateway or a dual-stack
/// kernel may deliver them to that address, so `[::127.0.0.1]` is loopback in effect.
public enum AddressPolicy {
    /// Whether an IPv4 (4 bytes) or IPv6 (16 bytes) address is loopback, private, link-local, unspecified,
    /// shared (CGNAT), reserved for documentation or benchmarks, or multicast. Unknown lengths count as
    /// private: refuse what we cannot classify.
    public static func isPrivate(_ bytes: [UInt8]) -> Bool {
        switch bytes.count {
        case 4: isPrivateIPv4(bytes)
        case 16: isPrivateIPv6(bytes)
        default: true
        }
    }

    private static func isPrivateIPv4(_ bytes: [UInt8]) -> Bool {
        let (a, b, c) = (bytes[0], bytes[1], bytes[2])
        return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b))
            || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b)) || a >= 224
            // 192.0.0.0/24 protocol assignments, 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24
            // documentation, 198.18.0.0/15 benchmarking: none is a public web server.
            || (a == 192 && b == 0 && (c == 0 || c == 2)) || (a == 198 && (b == 18 || b == 19))
            || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)
    }

    private static func isPrivateIPv6(_ bytes: [UInt8]) -> Bool {
        if let embedded = embeddedIPv4(bytes) {
            // Teredo carries two: the server's address and the client's; refuse if either is private.
            return embedded.contains { isPrivateIPv4($0) }
        }
        if bytes[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0xC0 { return true }  // fec0::/10 site-local (deprecated)
        if bytes[0] == 0xFF { return true }  // multicast
        if bytes[0..<8] == [0x01, 0x00, 0, 0, 0, 0, 0, 0] { return true }  // 100::/64 discard
        if bytes[0..<4] == [0x20, 0x01, 0x0D, 0xB8] { return true }  // 2001:db8::/32 documentation
        // 64:ff9b:1::/48, NAT64 for local use (RFC 8215): its IPv4 half is whatever the site maps it to.
        if bytes[0..<6] == [0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01] { return true }
        return false
    }

    /// The IPv4 addresses an IPv6 address stands for, or nil when it carries none.
    ///
    /// `::a.b.c.d` (compatible, which also covers `::` and `::1`), `::ffff:a.b.c.d` (mapped),
    /// `::ffff:0:a.b.c.d` (translated), `64:ff9b::a.b.c.d` (NAT64, RFC 6052), `2002:AABB:CCDD::/48` (6to4) and
    /// `2001:0::/32` (Teredo: the server's address, and the client's stored inverted in the last 32 bits).
    static func embeddedIPv4(_ bytes: [UInt8]) -> [[UInt8]]? {
        guard bytes.count == 16 else { return nil }
        let last = Array(bytes[12..<16])
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return [last] }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return [last] }
        if bytes[0..<8].allSatisfy({ $0 == 0 }), bytes[8] == 0xFF, bytes[9] == 0xFF, bytes[10] == 0, bytes[11] == 0 {
            return [last]
        }
        if bytes[0..<4] == [0x00, 0x64, 0xFF, 0x9B], bytes[4..<12].allSatisfy({ $0 == 0 }) { return [last] }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return [Array(bytes[2..<6])] }
        if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00] { return [Array(bytes[4..<8]), last.map { $0 ^ 0xFF }] }
        return nil
    }

    /// The bytes of an address literal (`10.0.0.1`, `::1`, `[::1]`), or nil when `text` is not one.
    ///
    /// Only the strict forms: a name such as `0x7f.1` is resolved (and then checked) like any other.
    public static func parse(_ text: String) -> [UInt8]? {
        let literal = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }

    /// Whether a host name stands for a private address by its name alone, without DNS: `localhost` and names
    /// under it (RFC 6761), `.local` (multicast DNS on the local network), `.internal` and `.home.arpa` (private
    /// use), and names that spell out a private IPv4 address for wildcard DNS services (`127.0.0.1.nip.io`,
    /// `app-10-0-0-1.sslip.io`, `7f000001.nip.io`). Through a proxy these would reach the proxy's own network.
    public static func isPrivateName(_ host: String) -> Bool {
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let tld = labels.last else { return false }
        if ["localhost", "local", "internal"].contains(tld) { return true }
        if labels.suffix(2) == ["home", "arpa"] { return true }
        // Four numeric labels in a row: a dotted quad inside the name.
        if labels.count > 4 {
            for start in 0...(labels.count - 4) {
                let octets = labels[start..<(start + 4)].compactMap { UInt8($0) }
                if octets.count == 4, labels[start..<(start + 4)].allSatisfy({ $0.allSatisfy(\.isNumber) }),
                    isPrivateIPv4(octets)
                {
                    return true
                }
            }
        }
        // A dashed quad (`10-0-0-1`, `app-10-0-0-1`) or eight hex digits inside one label.
        for label in labels.dropLast() {
            let parts = label.split(separator: "-").map(String.init)
            if parts.count >= 4 {
                for start in 0...(parts.count - 4) {
                    let octets = parts[start..<(start + 4)].compactMap { UInt8($0) }
                    if octets.count == 4, parts[start..<(start + 4)].allSatisfy({ $0.allSatisfy(\.isNumber) }),
                        isPrivateIPv4(octets)
                    {
                        return true
                    }
                }
            }
            for part in parts where part.count == 8 {
                if let value = UInt32(part, radix: 16) {
                    let octets = [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
                    if isPrivateIPv4(octets), labels.count > 2 { return true }
                }
            }
        }
        return false
    }

    /// Dotted quad or colon-separated hex, for messages.
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[min($0 + 1, bytes.count - 1)]), radix: 16)
        }.joined(separator: ":")
    }
}
