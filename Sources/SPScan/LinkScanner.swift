import Foundation

/// The absolute `href` targets of an HTML page, for follow rules.
///
/// A stand-in until the pipeline takes links from the Extract stage (`ExtractedDocument.links`, parsed by
/// libxml2): it reads `href="…"` and `href='…'` attributes only, which is enough for the landing pages the
/// registry follows, and keeps Fetch free of any HTML knowledge.
public enum LinkScanner {
    public static let links: @Sendable (Data, URL) -> [URL] = { data, base in
        let bytes = Array(data.prefix(5_000_000))
        var links: [URL] = []
        let needle = Array("href=".utf8)
        var index = 0
        while index + needle.count < bytes.count {
            guard matchesIgnoringCase(bytes, at: index, needle) else {
                index += 1
                continue
            }
            index += needle.count
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { continue }
            let quote = bytes[index]
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != quote { end += 1 }
            let raw = String(decoding: bytes[start..<end], as: UTF8.self)
                .replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespaces)
            if !raw.isEmpty, !raw.hasPrefix("#"), let url = URL(string: raw, relativeTo: base)?.absoluteURL {
                links.append(url)
            }
            index = end
        }
        return links
    }

    private static func matchesIgnoringCase(_ bytes: [UInt8], at index: Int, _ needle: [UInt8]) -> Bool {
        for (offset, expected) in needle.enumerated() where bytes[index + offset] | 0x20 != expected | 0x20 {
            return false
        }
        return true
    }
}
