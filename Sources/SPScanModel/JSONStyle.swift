import Foundation

/// The one JSON style of every command and API answer: snake_case keys, keys in a fixed (sorted) order, ISO 8601
/// dates, slashes unescaped. Every `--format json` and every `/api/` answer goes through `JSONStyle.encoder`, so
/// that a script reads the same shape from both and the same input always gives the same bytes. The shapes are
/// documented once, in docs/json.md.
///
/// Property names are converted, not spelt out per type: `documentID` becomes `document_id`, `httpStatus`
/// `http_status`. Only keys that look like a Swift property (a lowercase letter first, letters and digits only)
/// are converted; a dictionary key that is data, such as a competency id `IS-5` or an outcome
/// `blocked-by-robots`, is written as it is.
public enum JSONStyle {
    /// The shared encoder; `pretty` is false for JSON Lines (one object per line).
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .custom { path in SnakeKey(snakeCase(path.last?.stringValue ?? "")) }
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// A decoder for what `encoder` wrote, which also reads the camelCase keys older files used.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in SnakeKey(camelCase(path.last?.stringValue ?? "")) }
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Pretty JSON text, without a final newline (for `print`).
    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// Pretty JSON bytes ending with a newline, as a file or an HTTP body should.
    public static func data(_ value: some Encodable) throws -> Data {
        var data = try encoder().encode(value)
        data.append(0x0A)
        return data
    }

    /// One line of JSON (JSON Lines), without a final newline.
    public static func line(_ value: some Encodable) throws -> String {
        String(decoding: try encoder(pretty: false).encode(value), as: UTF8.self)
    }

    /// `documentID` → `document_id`, `snapshotSHA256` → `snapshot_sha256`, `httpStatus` → `http_status`; a key
    /// that is not a property name (`IS-5`, `blocked-by-robots`, `already_snake`) is left as it is.
    public static func snakeCase(_ key: String) -> String {
        let scalars = Array(key.unicodeScalars)
        guard let first = scalars.first, first.properties.isLowercase, first.isASCII,
            scalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }),
            scalars.contains(where: { $0.properties.isUppercase })
        else { return key }
        var words: [String] = []
        var index = 0
        func isUpper(_ i: Int) -> Bool { i < scalars.count && scalars[i].properties.isUppercase }
        func isLower(_ i: Int) -> Bool { i < scalars.count && scalars[i].properties.isLowercase }
        func isDigit(_ i: Int) -> Bool { i < scalars.count && ("0"..."9").contains(scalars[i]) }
        while index < scalars.count {
            var end = index + 1
            if isUpper(index) && isUpper(end) {
                // A run of capitals is one word (`ID`, `URL`, `SHA`), except its last capital when a lowercase
                // word follows (`URLPath`); a plural `s` stays with it (`sourceIDs`).
                while isUpper(end) { end += 1 }
                if isLower(end) {
                    if scalars[end] == "s" && !isLower(end + 1) { end += 1 } else { end -= 1 }
                }
            } else {
                while isLower(end) { end += 1 }
            }
            while isDigit(end) { end += 1 }
            words.append(String(String.UnicodeScalarView(scalars[index..<end])).lowercased())
            index = end
        }
        return words.joined(separator: "_")
    }

    /// The property name a snake_case key stands for: `document_id` → `documentID`. Acronyms the model's
    /// property names use are written in capitals, as Swift names spell them.
    public static func camelCase(_ key: String) -> String {
        guard key.contains("_"), let first = key.first, first.isLowercase else { return key }
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        var out = String(words[0])
        for word in words.dropFirst() {
            let lower = word.lowercased()
            if let acronym = acronyms[lower] {
                out += acronym
            } else {
                out += lower.prefix(1).uppercased() + lower.dropFirst()
            }
        }
        return out
    }

    /// The acronyms in property names (`documentID`, `finalURL`, `snapshotSHA256`).
    static let acronyms = [
        "id": "ID", "ids": "IDs", "url": "URL", "urls": "URLs", "sha256": "SHA256", "html": "HTML", "pdf": "PDF", "csv": "CSV",
        "json": "JSON", "http": "HTTP",
    ]

    fileprivate struct SnakeKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension Encodable {
    /// The value in the one JSON style (see `JSONStyle`): what every `--format json` prints.
    public func jsonString() throws -> String { try JSONStyle.string(self) }
}
