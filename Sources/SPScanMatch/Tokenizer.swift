/// Splits text into word tokens with their offsets, in one pass over the UTF-8 bytes.
///
/// Offsets count Unicode scalars, as the model's passage offsets do. ASCII words are lower-cased on the fly;
/// other words are lower-cased and NFKC-normalised later, once per distinct word (see `TokenNormalizer`).
/// A hyphen between letters joins them (`person-centred` is the one token `personcentred`; the lexicon
/// compiles hyphenated terms both joined and split, so `person centred` also matches). Apostrophes and dashes
/// separate words, so `d'action` is `action`; one-letter tokens (elided articles, possessive `s`, list letters) are dropped because they carry
/// no meaning for matching and would only break phrases. French inclusive endings (`intervenant·e·s`) are
/// folded into the word before the middle dot.
struct Tokenizer {
    /// One word of the text: its raw lower-cased spelling and where it stands.
    struct Token {
        /// Lower-cased for ASCII letters; other letters are still as written.
        var raw: String
        var isASCII: Bool
        /// Offsets in Unicode scalars, relative to the start of the scanned text.
        var start: Int
        var end: Int
        /// Increments at `; : . ! ?`, so that a negation does not reach into the next clause.
        var clause: Int
        /// Increments at `. ! ?` only: the first sentence of a paragraph is often its title.
        var sentence: Int
    }

    /// Calls `body` for each token of `text` in order.
    static func scan(_ text: String, _ body: (Token) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            scan(bytes, body)
        }
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Token) -> Void) {
        var word: [UInt8] = []
        word.reserveCapacity(64)
        var wordIsASCII = true
        var wordStart = 0
        var skippingSuffix = false
        var clause = 0
        var sentence = 0
        var scalarIndex = 0
        var index = 0
        let count = bytes.count

        func flush(at end: Int) {
            defer {
                word.removeAll(keepingCapacity: true)
                wordIsASCII = true
                skippingSuffix = false
            }
            guard word.count > 1 || !wordIsASCII else { return }
            if word.count == 2, word[0] == UInt8(ascii: "q"), word[1] == UInt8(ascii: "u") { return }
            let raw = word.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
            body(Token(raw: raw, isASCII: wordIsASCII, start: wordStart, end: end, clause: clause, sentence: sentence))
        }

        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if word.isEmpty { wordStart = scalarIndex }
                    if !skippingSuffix { word.append(byte) }
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if word.isEmpty { wordStart = scalarIndex }
                    if !skippingSuffix { word.append(byte | 0x20) }
                case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"):
                    if !word.isEmpty { flush(at: scalarIndex) }
                    // A full stop between digits (0.8 FTE) or inside an abbreviation (e.g.) is not a sentence end.
                    let next = index + 1 < count ? bytes[index + 1] : UInt8(ascii: " ")
                    if next == UInt8(ascii: " ") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\t")
                        || next == UInt8(ascii: "\r") || next == UInt8(ascii: "\"") || next == UInt8(ascii: ")")
                    {
                        clause += 1
                        sentence += 1
                    }
                case UInt8(ascii: "-") where !word.isEmpty && index + 1 < count && isASCIILetter(bytes[index + 1]):
                    break
                case UInt8(ascii: ";"), UInt8(ascii: ":"):
                    if !word.isEmpty { flush(at: scalarIndex) }
                    clause += 1
                case UInt8(ascii: "\n"):
                    if !word.isEmpty { flush(at: scalarIndex) }
                    // A blank line ends a block even without punctuation (headings, list items).
                    if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\n") {
                        clause += 1
                        sentence += 1
                    }
                default:
                    if !word.isEmpty { flush(at: scalarIndex) }
                }
                index += 1
                scalarIndex += 1
                continue
            }
            let length =
                byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            let scalar = decodeScalar(bytes, at: index, length: length)
            switch scalar {
            case "\u{00B7}"?, "\u{2027}"?, "\u{22C5}"?:
                // Inclusive writing: `intervenant·e·s` keeps `intervenant`.
                skippingSuffix = !word.isEmpty
            case "\u{2010}"?,
                "\u{2011}"? where !word.isEmpty:
                break
            case "\u{2026}"?:
                if !word.isEmpty { flush(at: scalarIndex) }
                clause += 1
            default:
                if let scalar, isWordScalar(scalar) {
                    if word.isEmpty { wordStart = scalarIndex }
                    if !skippingSuffix {
                        for offset in 0..<min(length, count - index) { word.append(bytes[index + offset]) }
                        wordIsASCII = false
                    }
                } else if !word.isEmpty {
                    flush(at: scalarIndex)
                }
            }
            index += length
            scalarIndex += 1
        }
        if !word.isEmpty { flush(at: scalarIndex) }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> Unicode.Scalar? {
        guard index + length <= bytes.count, length > 1 else { return nil }
        var value = UInt32(bytes[index]) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            value = (value << 6) | (UInt32(bytes[index + offset]) & 0x3F)
        }
        return Unicode.Scalar(value)
    }

    /// Letters, digits and combining marks make words; everything else (punctuation, dashes, typographic
    /// apostrophes, symbols, spaces) separates them.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
