import SPScanModel

/// Tells English from French text, including passages of about 30 words.
///
/// A short passage holds a dozen function words, and English and French share almost none of them, so
/// counting stop words from each list decides most passages; letters with French diacritics (é, è, ç, à…)
/// and elided articles (`l'`, `d'`, `qu'`) break ties, which matters for headings and table cells. This needs
/// no model file and runs at tens of MB/s; a third language would need its own list here.
public enum LanguageDetector {
    /// The language of `text`, English when there is no evidence either way.
    public static func detect(_ text: String) -> Language {
        detect(text, otherwise: .english)
    }

    /// The language of `text`, or `fallback` when the text carries no evidence (e.g. a number or a name).
    public static func detect(_ text: String, otherwise fallback: Language) -> Language {
        let scores = score(text)
        if scores.french > scores.english { return .french }
        if scores.english > scores.french { return .english }
        return fallback
    }

    /// Evidence for each language: stop words count 1, diacritics and elisions 0.5.
    ///
    /// Runs on UTF-8 bytes, with each word of up to 8 bytes packed into an integer for the set lookups: it
    /// reads every passage of every document, and per-scalar String work made it the slowest step of a scan.
    static func score(_ text: String) -> (english: Double, french: Double) {
        var copy = text
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(score) ?? (0, 0)
    }

    private static func score(_ bytes: UnsafeBufferPointer<UInt8>) -> (english: Double, french: Double) {
        var scorer = Scorer()
        var index = 0
        while index < bytes.count {
            var byte = bytes[index]
            if byte < 0x80 {
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    scorer.key = scorer.key << 8 | UInt64(byte)
                    scorer.length += 1
                } else if byte == 0x27 {
                    scorer.elision()
                } else {
                    scorer.finishWord()
                }
                index += 1
                continue
            }
            if byte == 0xC3 || byte == 0xC5, index + 1 < bytes.count {
                // Latin-1 letters (lower-cased: À–Þ map to à–þ) and œ.
                var second = bytes[index + 1]
                if byte == 0xC3, second >= 0x80, second <= 0x9E, second != 0x97 { second += 0x20 }
                if byte == 0xC5, second == 0x92 { second = 0x93 }
                if (byte == 0xC3 && frenchLetterBytes.contains(second)) || (byte == 0xC5 && second == 0x93) {
                    scorer.french += 0.5
                }
                scorer.key = (scorer.key << 16) | UInt64(byte) << 8 | UInt64(second)
                scorer.length += 2
                index += 2
                continue
            }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80 {
                // General punctuation: the typographic apostrophe elides, the rest separates words.
                if bytes[index + 2] == 0x99 { scorer.elision() } else { scorer.finishWord() }
                index += 3
                continue
            }
            // Other scripts and symbols: part of a word, never a stop word (the key no longer fits).
            scorer.length += 9
            index += 1
        }
        scorer.finishWord()
        return (scorer.english, scorer.french)
    }

    /// The running state of `score`: the current word packed into an integer, and the evidence so far.
    private struct Scorer {
        var english = 0.0
        var french = 0.0
        var key: UInt64 = 0
        var length = 0

        mutating func finishWord() {
            if length > 0, length <= 8 {
                if englishStopWords.contains(key) { english += 1 }
                if frenchStopWords.contains(key) { french += 1 }
            }
            key = 0
            length = 0
        }

        mutating func elision() {
            if length > 0, length <= 8, frenchElisions.contains(key) { french += 0.5 }
            finishWord()
        }
    }

    /// A set of packed words with open addressing and a multiplicative hash: looked up for every word of
    /// every passage, where `Set`'s seeded SipHash cost more than the rest of the scoring.
    struct WordTable: Sendable {
        private var slots: [UInt64]
        private let shift: UInt64

        init(_ keys: [UInt64]) {
            var bits: UInt64 = 4
            while (1 << bits) < keys.count * 4 { bits += 1 }
            shift = 64 - bits
            slots = Array(repeating: 0, count: 1 << Int(bits))
            for key in keys where !contains(key) {
                var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
                slots[slot] = key
            }
        }

        func contains(_ key: UInt64) -> Bool {
            var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let found = slots[slot]
                if found == key { return key != 0 }
                if found == 0 { return false }
                slot = (slot + 1) & (slots.count - 1)
            }
        }
    }

    /// Second UTF-8 bytes after 0xC3 of é è ê à â ç ù û î ô ë ï.
    private static let frenchLetterBytes: Set<UInt8> = [0xA9, 0xA8, 0xAA, 0xA0, 0xA2, 0xA7, 0xB9, 0xBB, 0xAE, 0xB4, 0xAB, 0xAF]

    /// A word of up to 8 UTF-8 bytes as one integer, the form `score` looks words up in.
    private static func packed(_ words: [String]) -> WordTable {
        WordTable(
            words.compactMap { word in
                let bytes = Array(word.utf8)
                guard bytes.count <= 8 else { return nil }
                return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            })
    }

    private static let frenchElisions = packed(["l", "d", "qu", "j", "n", "s", "c", "m", "jusqu", "lorsqu"])

    /// Frequent English function words that are not also French words.
    private static let englishStopWords = packed([
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "was", "be", "by", "this", "are",
        "or", "from", "at", "which", "but", "have", "has", "had", "not", "they", "their", "will", "would", "can",
        "an", "were", "been", "who", "what", "when", "where", "how", "all", "there", "we", "you", "your", "our",
        "into", "about", "more", "other", "these", "those", "such", "should", "may", "also", "each", "than",
        "them", "its", "do", "does", "through", "between", "within", "across", "using", "being", "any",
        "if", "so", "up", "out", "over", "under", "after", "before", "while", "able", "he", "she", "his",
        "her", "people", "work", "working", "skills", "help", "training",
    ])

    /// Frequent French function words that are not also English words.
    private static let frenchStopWords = packed([
        "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "dans", "pour", "qui", "que", "par",
        "sur", "au", "aux", "avec", "ce", "cette", "ces", "il", "elle", "ils", "elles", "nous", "vous", "leur",
        "leurs", "sont", "être", "avoir", "ont", "mais", "ou", "où", "plus", "pas", "ne", "se", "sa", "ses",
        "son", "dont", "comme", "aussi", "entre", "lors", "afin", "chez", "sans", "sous", "vers", "tout",
        "tous", "toutes", "peut", "doit", "faire", "été", "selon", "ainsi", "notamment", "auprès", "fait",
        "santé", "soutien", "travail", "auprès",
    ])
}
