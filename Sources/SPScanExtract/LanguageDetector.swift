import SPScanModel

/// Tells which of seven European languages (en, fr, es, de, pt, it, nl) a text is in, or says it cannot tell.
///
/// Each language has a profile of its most frequent function words and the accented letters it writes,
/// written for spscan (no model file). A passage of thirty words holds a dozen function words, enough to
/// decide; a word shared by several profiles (`de` is French, Spanish, Portuguese and Dutch) is split between
/// them, so the words only one language uses decide. Elided articles (`l'`, `qu'`, `dell'`) count for the
/// languages that elide. A text is given a language only when its evidence is both enough (1.5 words' worth)
/// and clearly ahead of the next language's (by a quarter, and by at least one word); otherwise it is `und`:
/// a heading of two nouns, a price list or a number says nothing about its language, and guessing English
/// there would send a Spanish heading to the English vocabulary.
///
/// Runs on UTF-8 bytes, with each word of up to 8 bytes packed into an integer for one table look-up per
/// word: it reads every passage of every document, and per-scalar String work made it the slowest step of a
/// scan.
public enum LanguageDetector {
    /// The languages the profiles cover, in the order of their evidence slots.
    public static let detectable: [Language] = [.english, .french, .spanish, .german, .portuguese, .italian, .dutch]

    /// The language of `text`, or `und` when the text carries too little evidence to tell.
    public static func detect(_ text: String) -> Language {
        score(text).language ?? .undetermined
    }

    /// The language of `text`, or `fallback` when the text carries too little evidence (e.g. a number or a name).
    public static func detect(_ text: String, otherwise fallback: Language) -> Language {
        score(text).language ?? fallback
    }

    /// The evidence for each language in `text`; add the scores of a document's passages to judge the whole.
    public static func score(_ text: String) -> LanguageEvidence {
        var copy = text
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(score) ?? LanguageEvidence()
    }

    private static func score(_ bytes: UnsafeBufferPointer<UInt8>) -> LanguageEvidence {
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
                let mask = byte == 0xC3 ? latinLetterMasks[Int(second & 0x3F)] : (second == 0x93 ? bit(.french) : 0)
                if mask != 0 { scorer.evidence.add(mask, weight: letterWeight) }
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
            // Other scripts and symbols: part of a word, never a function word (the key no longer fits).
            scorer.length += 9
            index += 1
        }
        scorer.finishWord()
        return scorer.evidence
    }

    /// An accented letter is weaker evidence than a word: a French name in an English sentence has several.
    static let letterWeight = 0.3
    static let elisionWeight = 0.5

    /// The running state of `score`: the current word packed into an integer, and the evidence so far.
    private struct Scorer {
        var evidence = LanguageEvidence()
        var key: UInt64 = 0
        var length = 0

        mutating func finishWord() {
            if length > 0, length <= 8 {
                let mask = functionWords.mask(of: key)
                if mask != 0 { evidence.add(mask, weight: 1) }
            }
            key = 0
            length = 0
        }

        mutating func elision() {
            if length > 0, length <= 8 {
                let mask = elisions.mask(of: key)
                if mask != 0 { evidence.add(mask, weight: elisionWeight) }
            }
            key = 0
            length = 0
        }
    }

    /// Packed words with the languages (a bit mask) whose profile lists each: open addressing with a
    /// multiplicative hash, looked up for every word of every passage, where `Dictionary`'s seeded SipHash cost
    /// more than the rest of the scoring.
    struct WordTable: Sendable {
        private var slots: [UInt64]
        private var masks: [UInt8]
        private let shift: UInt64

        init(_ entries: [(key: UInt64, mask: UInt8)]) {
            var bits: UInt64 = 4
            while (1 << bits) < entries.count * 4 { bits += 1 }
            shift = 64 - bits
            slots = Array(repeating: 0, count: 1 << Int(bits))
            masks = Array(repeating: 0, count: 1 << Int(bits))
            for entry in entries where entry.key != 0 {
                var slot = Int((entry.key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while slots[slot] != 0 && slots[slot] != entry.key { slot = (slot + 1) & (slots.count - 1) }
                slots[slot] = entry.key
                masks[slot] |= entry.mask
            }
        }

        func mask(of key: UInt64) -> UInt8 {
            var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while true {
                let found = slots[slot]
                if found == key { return key == 0 ? 0 : masks[slot] }
                if found == 0 { return 0 }
                slot = (slot + 1) & (slots.count - 1)
            }
        }
    }

    static func bit(_ language: Language) -> UInt8 {
        guard let index = detectable.firstIndex(of: language) else { return 0 }
        return 1 << UInt8(index)
    }

    /// A word of up to 8 UTF-8 bytes as one integer, the form `score` looks words up in.
    private static func packed(_ word: String) -> UInt64? {
        let bytes = Array(word.utf8)
        guard bytes.count <= 8 else { return nil }
        return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private static func table(_ profiles: [Language: String]) -> WordTable {
        var entries: [(key: UInt64, mask: UInt8)] = []
        for (language, words) in profiles {
            for word in words.split(separator: " ") {
                if let key = packed(String(word)) { entries.append((key, bit(language))) }
            }
        }
        return WordTable(entries)
    }

    /// For each second byte after 0xC3 (its low six bits), the languages that write that letter.
    private static let latinLetterMasks: [UInt8] = {
        var masks = Array(repeating: UInt8(0), count: 64)
        let letters: [(Character, [Language])] = [
            ("à", [.french, .italian, .portuguese]), ("á", [.spanish, .portuguese]), ("â", [.french, .portuguese]),
            ("ã", [.portuguese]), ("ä", [.german]), ("ç", [.french, .portuguese]), ("è", [.french, .italian]),
            ("é", [.french, .spanish, .portuguese, .italian]), ("ê", [.french, .portuguese]), ("ë", [.french, .dutch]),
            ("ì", [.italian]), ("í", [.spanish, .portuguese, .italian]), ("î", [.french]), ("ï", [.french, .dutch]),
            ("ñ", [.spanish]), ("ò", [.italian]), ("ó", [.spanish, .portuguese, .italian]), ("ô", [.french, .portuguese]),
            ("õ", [.portuguese]), ("ö", [.german]), ("ù", [.french, .italian]), ("ú", [.spanish, .portuguese]),
            ("û", [.french]), ("ü", [.german]), ("ß", [.german]),
        ]
        for (letter, languages) in letters {
            let bytes = Array(String(letter).utf8)
            masks[Int(bytes[1] & 0x3F)] = languages.reduce(0) { $0 | bit($1) }
        }
        return masks
    }()

    /// Words before an apostrophe that are elided articles or pronouns (`l'`, `qu'`, `dell'`).
    private static let elisions = table([
        .french: "l d qu j n s c m jusqu lorsqu",
        .italian: "l d dell nell all dall sull un quest",
    ])

    /// The most frequent function words of each language (and a few words every text on our subject uses).
    /// A word may be in several lists; its evidence is then shared.
    private static let functionWords = table([
        .english: """
        the of and to in is that for it with as was be by this are or from at which but have has had not they their \
        will would can an were been who what when where how all there we you your our into about more other these \
        those such should may also each than them its do does through between within across using being any if so \
        up out over under after before while able he she his her people work working skills help training
        """,
        .french: """
        le la les de des du et est un une dans pour qui que par sur au aux avec ce cette ces il elle ils elles nous \
        vous leur leurs sont être avoir ont mais ou où plus pas ne se sa ses son dont comme aussi entre lors afin \
        chez sans sous vers tout tous toutes peut doit faire été selon ainsi auprès fait santé soutien travail
        """,
        .spanish: """
        el la los las de del y en que un una unos es por con para no se su sus al lo como más pero le les ya este \
        esta estos estas ese esa son entre sobre también muy hay sin cuando donde desde todo todos nos está están \
        ser tiene puede hasta porque ha han fue sido otros otras cada según salud atención personas trabajo apoyo
        """,
        .portuguese: """
        os as de do da dos das em no na nos nas um uma que é para com por pelo pela não se ao aos mais como mas seu \
        sua seus suas ou ser está são entre sobre também muito há sem quando onde desde todo todos isso este esta \
        essa pode foi tem têm pessoas saúde trabalho ainda já até apoio
        """,
        .german: """
        der die das und in den von zu mit ist im dem nicht ein eine einer eines einem als auch es an werden aus er \
        sie hat dass daß sind wird bei oder auf für um noch wie nach über so zum zur kann nur vom sich durch wir \
        ihre ihr sein wenn aber mehr unter zwischen sowie diese dieser wurde können menschen soziale sozialen
        """,
        .italian: """
        il lo la gli le di del della dei degli delle è un una uno che per con non in da dal dalla al alla nel \
        nella su sul sulla si come più ma anche sono tra fra questo questa questi essere ha hanno se tutti loro \
        suo sua dove quando può salute lavoro persone molto ogni stato
        """,
        .dutch: """
        de het een en van in is dat op te voor met zijn niet aan er om ook als bij of door maar uit naar dan nog \
        wordt worden kan wel deze die dit wat hun ze zich over tot onder hebben heeft werd meer geen alle waar wij \
        we jullie zorg werk mensen gezondheid welzijn
        """,
    ])
}

/// How much a text looks like each detectable language: function words count 1 (split between the languages
/// that share a word), accented letters 0.3 and elisions 0.5.
public struct LanguageEvidence: Hashable, Sendable {
    /// Indexed like `LanguageDetector.detectable`.
    public private(set) var scores: [Double] = Array(repeating: 0, count: LanguageDetector.detectable.count)

    public init() {}

    mutating func add(_ mask: UInt8, weight: Double) {
        let share = weight / Double(mask.nonzeroBitCount)
        var remaining = mask
        while remaining != 0 {
            let index = remaining.trailingZeroBitCount
            scores[index] += share
            remaining &= remaining - 1
        }
    }

    /// The evidence of both texts, as if they were one.
    public static func + (left: LanguageEvidence, right: LanguageEvidence) -> LanguageEvidence {
        var sum = left
        for index in sum.scores.indices { sum.scores[index] += right.scores[index] }
        return sum
    }

    public func score(_ language: Language) -> Double {
        LanguageDetector.detectable.firstIndex(of: language).map { scores[$0] } ?? 0
    }

    /// The language the evidence points to, or nil when it is too thin (under 1.5) or another language is close
    /// (within a quarter, or within one word).
    public var language: Language? {
        var best = 0
        for index in scores.indices where scores[index] > scores[best] { best = index }
        let runnerUp = scores.indices.filter { $0 != best }.map { scores[$0] }.max() ?? 0
        let top = scores[best]
        guard top >= 1.5, top >= 1.25 * runnerUp, top - runnerUp >= 1 else { return nil }
        return LanguageDetector.detectable[best]
    }
}
