import Foundation

/// Which resolved addresses a fetch may connect to: public ones only, unless a source allows private ones.
///
/// A registry entry (or a redirect) that points into the local network could make the scanner read an
/// intranet or a cloud metadata service; the check runs on the address after DNS, so a public-looking name
/// cannot smuggle a private address in.
public enum AddressPolicy {
    /// Whether an IPv4 (4 bytes) or IPv6 (16 bytes) address is loopback, private, link-local, unspecified,
    /// shared (CGNAT) or multicast. Unknown lengths count as private: refuse what we cannot classify.
    public static func isPrivate(_ bytes: [UInt8]) -> Bool {
        switch bytes.count {
        case 4:
            let (a, b) = (bytes[0], bytes[1])
            return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b))
                || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b)) || a >= 224
        case 16:
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return isPrivate(Array(bytes[12..<16]))  // IPv4-mapped
            }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
            if bytes[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
            if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
            return bytes[0] == 0xFF  // multicast
        default:
            return true
        }
    }

    /// Dotted quad or colon-separated hex, for messages.
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[min($0 + 1, bytes.count - 1)]), radix: 16)
        }.joined(separator: ":")
    }
}
