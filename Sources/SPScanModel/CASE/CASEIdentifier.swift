import Foundation

/// CASE identifiers: lower-case UUIDs. Those spscan has to invent (a framework without `uuid:` keys, the
/// French twin of an item, an association) are name-based UUIDs (RFC 9562 version 5), so that the same
/// framework always gets the same identifiers and a second export is byte-identical to the first.
public enum CASEIdentifier {
    /// RFC 9562's URL namespace; spscan's own namespace is the version 5 UUID of "spscan" under it, so that it
    /// never changes.
    static let namespace: [UInt8] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
    ]

    /// A version 5 UUID for `name` under spscan's namespace, or under another identifier when given.
    public static func derived(_ name: String, under parent: String? = nil) -> String {
        let base = parent.flatMap(bytes(of:)) ?? derivedBytes(Array("spscan".utf8), namespace: namespace)
        return format(derivedBytes(Array(name.utf8), namespace: base))
    }

    /// Whether the text is a UUID written as CASE wants it: 8-4-4-4-12 lower-case hexadecimal digits.
    public static func isUUID(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil
    }

    /// Whether the text is an ISO 8601 date-time, with or without fractional seconds.
    public static func isDateTime(_ text: String) -> Bool {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        return plain.date(from: text) != nil || fractional.date(from: text) != nil
    }

    static func bytes(of uuid: String) -> [UInt8]? {
        let hex = Array(uuid.lowercased().filter { $0 != "-" }.utf8)
        guard hex.count == 32 else { return nil }
        var result: [UInt8] = []
        var index = 0
        while index < 32 {
            guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            result.append(byte)
            index += 2
        }
        return result
    }

    static func derivedBytes(_ name: [UInt8], namespace: [UInt8]) -> [UInt8] {
        var digest = Array(SHA1.hash(namespace + name).prefix(16))
        digest[6] = (digest[6] & 0x0f) | 0x50
        digest[8] = (digest[8] & 0x3f) | 0x80
        return digest
    }

    static func format(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            let start = hex.index(hex.startIndex, offsetBy: range.lowerBound)
            let end = hex.index(hex.startIndex, offsetBy: range.upperBound)
            return String(hex[start..<end])
        }
        return parts.joined(separator: "-")
    }
}

/// SHA-1 as RFC 3174 defines it, only for name-based UUIDs (RFC 9562 requires SHA-1 for version 5); never
/// for anything that needs a secure hash.
enum SHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = UInt64(message.count) * 8
        for shift in stride(from: 56, through: 0, by: -8) { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for i in 0..<16 {
                let b = chunk + i * 4
                w[i] = UInt32(padded[b]) << 24 | UInt32(padded[b + 1]) << 16 | UInt32(padded[b + 2]) << 8 | UInt32(padded[b + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h[0] = h[0] &+ a
            h[1] = h[1] &+ b
            h[2] = h[2] &+ c
            h[3] = h[3] &+ d
            h[4] = h[4] &+ e
        }
        return h.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    }
}
