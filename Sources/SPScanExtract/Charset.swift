import Foundation

/// Finds and decodes the character set of text documents, the way browsers do.
///
/// Order: a byte-order mark, then the HTTP header's `charset`, then a `<meta>` declaration in the first
/// 4 KB, then UTF-8 if the bytes are valid UTF-8, else windows-1252. Labels for Latin-1 and ASCII read as
/// windows-1252, as in browsers: pages that say `iso-8859-1` often hold windows-1252 quotes and dashes.
enum Charset {
    struct Detected: Equatable {
        /// A name libxml2's iconv knows, e.g. `UTF-8`, `windows-1252`.
        var name: String
        /// Bytes of byte-order mark to skip.
        var bomLength: Int
    }

    static func detect(_ data: Data, contentType: String?, lookForMeta: Bool) -> Detected {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { return Detected(name: "UTF-8", bomLength: 3) }
        if data.starts(with: [0xFF, 0xFE]) { return Detected(name: "UTF-16LE", bomLength: 2) }
        if data.starts(with: [0xFE, 0xFF]) { return Detected(name: "UTF-16BE", bomLength: 2) }
        if let contentType, let label = parameter("charset", in: contentType) {
            return Detected(name: normalise(label), bomLength: 0)
        }
        if lookForMeta, let label = metaCharset(in: data.prefix(4096)) {
            return Detected(name: normalise(label), bomLength: 0)
        }
        if String(validating: data, as: UTF8.self) != nil { return Detected(name: "UTF-8", bomLength: 0) }
        return Detected(name: "windows-1252", bomLength: 0)
    }

    /// Maps the labels that browsers read as another charset to that charset.
    static func normalise(_ label: String) -> String {
        let lowered = label.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"'"))).lowercased()
        switch lowered {
        case "utf8", "utf-8", "unicode-1-1-utf-8": return "UTF-8"
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252", "windows-1252",
            "x-cp1252", "iso_8859-1", "cp819", "ibm819":
            return "windows-1252"
        case "utf-16", "utf-16le": return "UTF-16LE"
        case "utf-16be": return "UTF-16BE"
        default: return lowered
        }
    }

    /// Decodes plain text (no markup) in the detected charset; libxml2 decodes HTML itself.
    static func decode(_ data: Data, contentType: String?) throws(ExtractError) -> String {
        let detected = detect(data, contentType: contentType, lookForMeta: false)
        let body = data.dropFirst(detected.bomLength)
        switch detected.name {
        case "UTF-8":
            if let text = String(validating: body, as: UTF8.self) { return text }
            return decodeWindows1252(body)
        case "windows-1252":
            return decodeWindows1252(body)
        case "UTF-16LE":
            guard let text = String(data: body, encoding: .utf16LittleEndian) else { throw .undecodableText(charset: "UTF-16LE") }
            return text
        case "UTF-16BE":
            guard let text = String(data: body, encoding: .utf16BigEndian) else { throw .undecodableText(charset: "UTF-16BE") }
            return text
        default:
            throw .undecodableText(charset: detected.name)
        }
    }

    /// windows-1252: Latin-1 with typographic quotes, dashes and the euro sign in 0x80–0x9F.
    static func decodeWindows1252(_ data: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(data.count)
        for byte in data {
            if byte >= 0x80, byte <= 0x9F, let mapped = Unicode.Scalar(windows1252High[Int(byte - 0x80)]) {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let windows1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// `charset` from `text/html; charset="ISO-8859-1"`.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            let value = pieces[1].trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"'")))
            if !value.isEmpty { return value }
        }
        return nil
    }

    /// The charset a `<meta charset>` or `<meta http-equiv content="…; charset=…">` declares.
    static func metaCharset(in prefix: Data) -> String? {
        let head = String(decoding: prefix, as: UTF8.self).lowercased()
        var searchStart = head.startIndex
        while let meta = head.range(of: "<meta", range: searchStart..<head.endIndex) {
            let tagEnd = head.range(of: ">", range: meta.upperBound..<head.endIndex)?.lowerBound ?? head.endIndex
            let tag = head[meta.upperBound..<tagEnd]
            if let charset = tag.range(of: "charset") {
                var value = tag[charset.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" })
                value = value.prefix(while: { !"\"'; />".contains($0) })
                if !value.isEmpty { return String(value) }
            }
            searchStart = tagEnd
        }
        return nil
    }
}
