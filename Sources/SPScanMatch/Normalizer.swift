import Foundation
import SPScanModel

/// Turns a raw word into the key the lexicon is written in: NFKC, case-folded, one spelling for British,
/// Canadian and American variants, stemmed with Snowball, and without accents.
///
/// Accents are removed after stemming, because the French stemmer needs them to find suffixes; a word written
/// without its accents (`EVALUATION` in a heading) is matched through a second, accent-free form of every
/// French term (see `Lexicon`).
final class TokenNormalizer {
    let language: Language
    private let stemmer: SnowballStemmer

    init(language: Language) throws(MatchError) {
        self.language = language
        self.stemmer = try SnowballStemmer(language: language)
    }

    /// The lexicon key of a raw token.
    func key(for token: Tokenizer.Token) -> String {
        key(raw: token.raw, isASCII: token.isASCII)
    }

    func key(raw: String, isASCII: Bool) -> String {
        var word = isASCII ? raw : Self.fold(raw)
        if language == .english { word = SpellingVariants.canonical(word) }
        let stem = stemmer.stem(word)
        let key = isASCII ? stem : Self.removingDiacritics(stem)
        guard language == .english, let form = SenseForms.form(of: word) else { return key }
        return key + form
    }

    /// Whether a word is a determiner or possessive the matcher reads past, in the text and in the terms alike,
    /// so that "review their progress" meets "review progress" and "évaluation de besoins" meets
    /// "évaluation des besoins". Only words that never carry a competency's meaning are listed.
    func isSkipped(raw: String, isASCII: Bool) -> Bool {
        let word = isASCII ? raw : Self.fold(raw)
        switch language {
        case .english: return Self.englishSkipped.contains(word)
        case .french: return Self.frenchSkipped.contains(word)
        case .spanish, .german, .portuguese, .italian, .dutch, .undetermined: return false
        }
    }

    private static let englishSkipped: Set<String> = ["the", "an", "their", "his", "her", "its", "your", "our", "my"]
    private static let frenchSkipped: Set<String> = [
        "le", "la", "les", "un", "une", "des", "du", "de", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre",
        "vos",
    ]

    /// NFKC and full Unicode lower-casing: ligatures, full-width letters and capitals with accents.
    static func fold(_ word: String) -> String {
        word.precomposedStringWithCompatibilityMapping.lowercased()
    }

    static func removingDiacritics(_ word: String) -> String {
        guard word.utf8.contains(where: { $0 >= 0x80 }) else { return word }
        return word.folding(options: [.diacriticInsensitive], locale: nil)
    }
}

/// One spelling for words that English writes several ways, so that `organization`, `organisation` and
/// `organizations` meet. British/Canadian forms are the canonical ones because Framework.yaml uses them.
enum SpellingVariants {
    /// Whole words whose variants no suffix rule covers.
    static let words: [String: String] = [
        "program": "programme", "programs": "programmes",
        "center": "centre", "centers": "centres",
        "counseling": "counselling", "counselor": "counsellor", "counselors": "counsellors",
        "judgment": "judgement", "judgments": "judgements", "judgmental": "judgemental",
        "nonjudgmental": "nonjudgemental",
        "behavior": "behaviour", "behaviors": "behaviours", "behavioral": "behavioural",
        "neighbor": "neighbour", "neighbors": "neighbours", "neighborhood": "neighbourhood",
        "neighborhoods": "neighbourhoods",
        "labor": "labour", "favor": "favour", "honor": "honour", "color": "colour",
        "aging": "ageing", "enroll": "enrol", "enrollment": "enrolment", "fulfill": "fulfil",
        "modeling": "modelling", "traveling": "travelling", "labeling": "labelling",
        "signaling": "signalling", "counselled": "counselled", "counseled": "counselled",
        "pediatric": "paediatric", "anemia": "anaemia", "esthetic": "aesthetic",
        "defense": "defence", "offense": "offence", "license": "licence",
        "catalog": "catalogue", "dialog": "dialogue",
        "waitlist": "waitinglist", "waitlists": "waitinglists", "healthcare": "health",
    ]

    /// `-ize`, `-ization`, `-yze` become `-ise`, `-isation`, `-yse`; `-our`/`-or` and `-re`/`-er` need the word
    /// list because the suffix alone is ambiguous (`actor`, `never`).
    static func canonical(_ word: String) -> String {
        if let known = words[word] { return known }
        guard word.utf8.count > 5 else { return word }
        for (american, british) in suffixes where word.hasSuffix(american) {
            return String(word.dropLast(american.count)) + british
        }
        return word
    }

    private static let suffixes: [(String, String)] = [
        ("izations", "isations"), ("ization", "isation"), ("izing", "ising"), ("izers", "isers"), ("izer", "iser"),
        ("izes", "ises"), ("ized", "ised"), ("ize", "ise"),
        ("yzing", "ysing"), ("yzed", "ysed"), ("yzes", "yses"), ("yze", "yse"),
    ]
}

/// Stemming joins words that carry different senses: `services designated` meets `service design`, `commission`
/// meets `commissioning`, `safeguards` meets `safeguarding`, `fund` meets `funding`, `measurable` meets
/// `measuring`. The stem alone is kept for plain forms and plurals; a word with a derivational or verbal ending
/// (-ing, -ed, -ion, -able) keeps that ending in its key, so it only meets words with the same ending. Terms and
/// text go through the same key, so `safeguarding` still finds "Safeguarding" and `care plans` "care plan", but
/// `service design` no longer finds "services designated". English only: French endings carry no such
/// collisions in the vocabulary.
enum SenseForms {
    static func form(of word: String) -> String? {
        let bytes = word.utf8
        guard bytes.count > 4 else { return nil }
        var trimmed = Substring(word)
        if trimmed.hasSuffix("s"), !trimmed.hasSuffix("ss") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix("ing"), trimmed.count > 5 { return "~ing" }
        if trimmed.hasSuffix("ed"), trimmed.count > 4, !trimmed.hasSuffix("eed") { return "~ed" }
        if trimmed.hasSuffix("ion"), trimmed.count > 5 { return "~ion" }
        if trimmed.hasSuffix("able") || trimmed.hasSuffix("ible"), trimmed.count > 6 { return "~able" }
        return nil
    }
}
