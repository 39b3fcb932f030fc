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
        var position: Position

        var isASCII: Bool { position.isASCII }
        var start: Int { position.start }
        var end: Int { position.end }
        var clause: Int { position.clause }
        var sentence: Int { position.sentence }
    }

    /// Where a word stands; its bytes are `Tokenizer.wordBytes` until the next call.
    struct Position {
        var isASCII: Bool
        /// Offsets in Unicode scalars, relative to the start of the scanned text.
        var start: Int
        var end: Int
        /// Increments at `; : . ! ?`, so that a negation does not reach into the next clause.
        var clause: Int
        /// Increments at `. ! ?` only: the first sentence of a paragraph is often its title.
        var sentence: Int
        /// Increments wherever a clause does and also at commas, brackets, dashes, bullets and line ends: a
        /// phrase of the vocabulary (or a stem pair of the model) is only matched inside one phrase segment, so
        /// that "systems, navigation and life support" does not read as "systems navigation".
        var phrase: Int
    }

    private let bytes: [UInt8]
    private var index = 0
    private var scalarIndex = 0
    private var clause = 0
    private var sentence = 0
    private var phrase = 0
    private var word: [UInt8] = []
    /// The bytes of the word `nextPosition()` last returned: lower-cased ASCII, other letters as written.
    private(set) var wordBytes: [UInt8] = []
    private var wordIsASCII = true
    private var wordStart = 0
    private var skippingSuffix = false

    /// An iterator rather than a callback, so that the matcher's loop keeps its state in locals (a closure
    /// would box them and pay an exclusivity check on every access).
    init(_ text: String) {
        bytes = Array(text.utf8)
        word.reserveCapacity(64)
    }

    /// Calls `body` for each token of `text` in order.
    static func scan(_ text: String, _ body: (Token) -> Void) {
        var tokenizer = Tokenizer(text)
        while let token = tokenizer.next() { body(token) }
    }

    /// The next word with its spelling as a string, or nil at the end of the text.
    mutating func next() -> Token? {
        guard let position = nextPosition() else { return nil }
        return Token(raw: wordBytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }, position: position)
    }

    /// The next word's position, its bytes left in `wordBytes`; no string is made, so that the matcher's
    /// cache can look the word up by its bytes.
    mutating func nextPosition() -> Position? {
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            var emitted: Position?
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if word.isEmpty { wordStart = scalarIndex }
                    // Most text is runs of lower-case letters: take the whole run in one append.
                    var runEnd = index + 1
                    while runEnd < count, Self.isLowerOrDigit(bytes[runEnd]) { runEnd += 1 }
                    if !skippingSuffix { word.append(contentsOf: bytes[index..<runEnd]) }
                    scalarIndex += runEnd - index
                    index = runEnd
                    continue
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if word.isEmpty { wordStart = scalarIndex }
                    if !skippingSuffix { word.append(byte | 0x20) }
                case UInt8(ascii: "-") where !word.isEmpty && index + 1 < count && Self.isASCIILetter(bytes[index + 1]):
                    break
                case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"):
                    emitted = takeWord()
                    // A full stop between digits (0.8 FTE) or inside an abbreviation (e.g.) is not a sentence end.
                    let next = index + 1 < count ? bytes[index + 1] : UInt8(ascii: " ")
                    if next == UInt8(ascii: " ") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\t")
                        || next == UInt8(ascii: "\r") || next == UInt8(ascii: "\"") || next == UInt8(ascii: ")")
                    {
                        clause += 1
                        phrase += 1
                        sentence += 1
                    }
                case UInt8(ascii: ";"), UInt8(ascii: ":"):
                    emitted = takeWord()
                    clause += 1
                    phrase += 1
                case UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "-"):
                    emitted = takeWord()
                    phrase += 1
                case UInt8(ascii: "\n"):
                    emitted = takeWord()
                    phrase += 1
                    // A blank line ends a block even without punctuation (headings, list items).
                    if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\n") {
                        clause += 1
                        phrase += 1
                        sentence += 1
                    }
                default:
                    emitted = takeWord()
                }
                index += 1
                scalarIndex += 1
            } else {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                let scalar = decodeScalar(at: index, length: length)
                switch scalar {
                case "\u{00B7}"?, "\u{2027}"?, "\u{22C5}"?:
                    // Inclusive writing: `intervenant·e·s` keeps `intervenant`.
                    skippingSuffix = !word.isEmpty
                case "\u{2010}"?,
                    "\u{2011}"? where !word.isEmpty:
                    break
                case "\u{2013}"?, "\u{2014}"?, "\u{2022}"?:
                    emitted = takeWord()
                    phrase += 1
                case "\u{2026}"?:
                    emitted = takeWord()
                    clause += 1
                    phrase += 1
                default:
                    if let scalar, Self.isWordScalar(scalar) {
                        if word.isEmpty { wordStart = scalarIndex }
                        if !skippingSuffix {
                            for offset in 0..<min(length, count - index) { word.append(bytes[index + offset]) }
                            wordIsASCII = false
                        }
                    } else {
                        emitted = takeWord()
                    }
                }
                index += length
                scalarIndex += 1
            }
            if let emitted { return emitted }
        }
        return takeWord()
    }

    /// The word collected so far as a token (nil when empty or too short to mean anything); starts a new one.
    private mutating func takeWord() -> Position? {
        guard !word.isEmpty else { return nil }
        let isASCII = wordIsASCII
        defer {
            word.removeAll(keepingCapacity: true)
            wordIsASCII = true
            skippingSuffix = false
        }
        guard word.count > 1 || !isASCII else { return nil }
        if word.count == 2, word[0] == UInt8(ascii: "q"), word[1] == UInt8(ascii: "u") { return nil }
        // Swap buffers rather than copy: the finished word stays readable, the next one reuses the old capacity.
        swap(&word, &wordBytes)
        return Position(isASCII: isASCII, start: wordStart, end: scalarIndex, clause: clause, sentence: sentence, phrase: phrase)
    }

    @inline(__always)
    private static func isLowerOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private func decodeScalar(at index: Int, length: Int) -> Unicode.Scalar? {
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
