import Foundation

/// The parameters of a query string or a form body, decoded as browsers encode forms.
///
/// Forms send a space as `+`; Hummingbird's own query parser leaves `+` as it is, which would turn a search
/// for `social prescribing` into `social+prescribing`. Keys keep their order and may repeat
/// (`country=CA&country=IE`).
struct FormQuery: Sendable {
    private(set) var pairs: [(key: String, value: String)] = []

    /// Every pair in order, as one string: a key for answers kept per request.
    var key: String { pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&") }

    init(_ encoded: String?) {
        guard let encoded, !encoded.isEmpty else { return }
        for part in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((key, value))
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Every non-empty value of `key`: an empty select on a form means "any".
    func all(_ key: String) -> [String] {
        pairs.filter { $0.key == key }.map { $0.value.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The first non-empty value of `key`.
    func first(_ key: String) -> String? { all(key).first }

    /// The query string again, for links that keep the filters of the page they come from.
    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { key, value in
            (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key) + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
    }
}
