import Foundation
import SPScanModel

/// What a compiled pattern stands for.
enum PatternRole: Hashable, Sendable {
    /// Vocabulary of a competency (index into `Lexicon.competencies`).
    case term(Int)
    /// An `exclude` entry: its presence in a passage cancels that competency's matches there.
    case exclusion(Int)
    /// A word that negates a term standing a few words after it in the same clause ("does not cover …").
    case negationBefore
    /// A phrase that negates a term standing just before it ("… is covered separately").
    case negationAfter
    /// A word that ends a negation's reach ("but", "however", "mais").
    case scopeBreak
    /// A phrase that looks negative but is not ("not only", "non seulement").
    case negationCancel
    /// A stock phrase of course documents that contains a framework word without its meaning ("learning
    /// outcomes" is not outcome measurement): it counts for nothing and hides the terms inside it.
    case neutral
    /// Practical details of a course (fees, venue, registration): a passage full of them is about logistics,
    /// and the words of the framework it mentions in passing ("community of practice gathering") count less.
    case logistics
    /// A term of the framework's field (`scope:`), evidence that the document belongs to it; it tags nothing.
    case scope
    /// Words that say who a document is for ("this course is for", "aimed at", "open to"): the people named after
    /// them are its audience, which is not its content (codebook rule 3), so terms there count for nothing.
    case audience
    /// Words after which an audience clause turns to content ("who", "to"): "for volunteers who want to learn
    /// active listening" names an audience, then a topic.
    case audienceEnd
}

/// One pattern as the matcher sees it: a sequence of normalised stems.
struct CompiledPattern: Hashable, Sendable {
    var role: PatternRole
    /// The vocabulary entry as written in Framework.yaml (or the built-in cue).
    var surface: String
    /// Normalised stems, one per token.
    var keys: [String]
    var weight: Double
    /// 1 for a term only one competency uses; 1/n for a term n competencies share.
    var sharing: Double = 1

    var length: Int { keys.count }
    /// Identifies the term across documents, for document frequencies.
    func statisticsKey(_ language: Language) -> String { language.rawValue + ":" + keys.joined(separator: " ") }
}

/// All patterns of one language, compiled into one automaton.
struct LanguageLexicon: Sendable {
    var language: Language
    var symbols: [String: Int32]
    var patterns: [CompiledPattern]
    var automaton: TokenAutomaton

    init(language: Language, patterns: [CompiledPattern]) {
        var symbols: [String: Int32] = [:]
        var sequences: [[Int32]] = []
        for pattern in patterns {
            sequences.append(
                pattern.keys.map { key in
                    if let known = symbols[key] { return known }
                    let symbol = Int32(symbols.count)
                    symbols[key] = symbol
                    return symbol
                })
        }
        self.language = language
        self.symbols = symbols
        self.patterns = patterns
        self.automaton = TokenAutomaton(patterns: sequences, alphabetSize: symbols.count)
    }
}

/// The framework's vocabulary compiled for matching: one `LanguageLexicon` per language.
struct Lexicon: Sendable {
    var competencies: [Competency]
    var languages: [Language: LanguageLexicon]
    /// The framework's vocabulary languages, in `Language` order.
    var vocabularyLanguages: [Language]
    /// The framework's `scope:` settings; nil when it has none (every document is then in scope).
    var scope: ScopeVocabulary?

    /// The language whose terms text in `language` is matched with (see `Framework.matchingLanguage(for:)`).
    func matchingLanguage(for language: Language) -> Language? {
        guard language == .undetermined else { return languages[language] == nil ? nil : language }
        return vocabularyLanguages.first
    }

    init(framework: Framework) throws(MatchError) {
        let entries = VocabularyBudget.entryCount(framework)
        guard entries <= VocabularyBudget.maximumEntries else {
            throw .vocabularyTooLarge(
                entries: entries, estimatedMegabytes: VocabularyBudget.estimatedBytes(framework) >> 20,
                maximumEntries: VocabularyBudget.maximumEntries)
        }
        competencies = framework.competencies
        vocabularyLanguages = framework.vocabularyLanguages
        scope = framework.scope
        var languages: [Language: LanguageLexicon] = [:]
        // Only the languages the framework has terms in: a document in another is not tagged (see `Tagger`).
        for language in framework.vocabularyLanguages {
            let normalizer = try TokenNormalizer(language: language)
            var patterns: [CompiledPattern] = []
            for (index, competency) in competencies.enumerated() {
                var seen = Set<[String]>()
                for term in competency.terms[language] ?? [] {
                    let forms = Self.compile(term.text, normalizer: normalizer)
                    guard !forms.isEmpty else {
                        throw .emptyTerm(competency: competency.id, language: language.rawValue, term: term.text)
                    }
                    for keys in forms where seen.insert(keys).inserted {
                        patterns.append(CompiledPattern(role: .term(index), surface: term.text, keys: keys, weight: term.weight))
                    }
                }
                for term in competency.exclusions[language] ?? [] {
                    for keys in Self.compile(term.text, normalizer: normalizer) {
                        patterns.append(CompiledPattern(role: .exclusion(index), surface: term.text, keys: keys, weight: 0))
                    }
                }
            }
            Self.shareWeights(&patterns)
            for term in framework.scope?.terms[language] ?? [] {
                for keys in Self.compile(term.text, normalizer: normalizer) {
                    patterns.append(CompiledPattern(role: .scope, surface: term.text, keys: keys, weight: term.weight))
                }
            }
            for (role, cues) in NegationCues.cues(for: language) {
                for cue in cues {
                    for keys in Self.compile(cue, normalizer: normalizer) {
                        patterns.append(CompiledPattern(role: role, surface: cue, keys: keys, weight: 0))
                    }
                }
            }
            languages[language] = LanguageLexicon(language: language, patterns: patterns)
        }
        self.languages = languages
    }

    /// The stem sequences a vocabulary entry matches: as written, with hyphens as spaces (so that
    /// `person-centred` also finds `person centred`), and without accents (so that `evaluation` finds
    /// `évaluation`).
    static func compile(_ text: String, normalizer: TokenNormalizer) -> [[String]] {
        var variants = [text]
        if text.contains("-") { variants.append(text.replacingOccurrences(of: "-", with: " ")) }
        let plain = text.folding(options: [.diacriticInsensitive], locale: nil)
        if plain != text { variants += [plain, plain.replacingOccurrences(of: "-", with: " ")] }
        var forms: [[String]] = []
        for variant in variants {
            var keys: [String] = []
            Tokenizer.scan(variant) { token in
                if !normalizer.isSkipped(raw: token.raw, isASCII: token.isASCII) { keys.append(normalizer.key(for: token)) }
            }
            if !keys.isEmpty, !forms.contains(keys) { forms.append(keys) }
        }
        return forms
    }

    /// A term several competencies list says little about any one of them: its weight is divided among them.
    private static func shareWeights(_ patterns: inout [CompiledPattern]) {
        var owners: [[String]: Set<Int>] = [:]
        for pattern in patterns {
            if case .term(let competency) = pattern.role { owners[pattern.keys, default: []].insert(competency) }
        }
        for index in patterns.indices {
            let count = owners[patterns[index].keys]?.count ?? 1
            patterns[index].sharing = 1 / Double(max(count, 1))
        }
    }
}

/// The built-in words that negate a mention, per language. They are part of the method, not of the
/// framework: the framework's own `exclude` lists handle topic-specific false friends.
enum NegationCues {
    static func cues(for language: Language) -> [(PatternRole, [String])] {
        switch language {
        case .english:
            [
                (
                    .negationBefore,
                    [
                        "not", "no", "never", "without", "neither", "nor", "cannot", "doesn't", "don't", "isn't", "aren't",
                        "didn't", "won't", "excluding", "except", "outside the scope of", "beyond the scope of",
                    ]
                ),
                (
                    .negationAfter,
                    [
                        "is not covered", "are not covered", "not covered", "not included", "not part of", "covered separately",
                        "addressed separately", "dealt with separately", "taught separately", "covered elsewhere",
                        "addressed elsewhere", "out of scope", "outside the scope",
                    ]
                ),
                (.scopeBreak, ["but", "however", "although", "though", "whereas", "yet", "instead"]),
                (
                    .audience,
                    [
                        "is for", "are for", "is aimed at", "are aimed at", "aimed at", "open to", "designed for",
                        "intended for", "suitable for", "who should attend", "who can attend", "free for", "for anyone",
                        "course is for", "target audience", "who is it for",
                    ]
                ),
                (.audienceEnd, ["who", "whom", "which", "that", "to", "wanting", "wishing", "so that", "in order to"]),
                (.negationCancel, ["not only", "not just", "not limited to", "no matter", "no wrong door", "nor only"]),
                (
                    .neutral,
                    [
                        "learning outcomes", "learning objectives", "course outcomes", "intended outcomes", "course evaluation",
                        "evaluation form", "session evaluation", "this document", "online course", "online courses",
                    ]
                ),
                (
                    .logistics,
                    [
                        "internet access", "zoom", "microsoft teams", "webcam", "login details",
                        "fee", "fees", "tuition", "registration", "booking", "cancellation", "cancellations", "refund",
                        "payment", "invoice", "invoicing", "venue", "parking", "car park", "refreshments", "lunch",
                        "early-bird", "discount", "purchase order", "railway station", "bus routes",
                    ]
                ),
            ]
        case .french:
            [
                (.negationBefore, ["ne", "pas", "sans", "aucun", "aucune", "jamais", "ni", "sauf", "hors", "excluant"]),
                (
                    .negationAfter,
                    [
                        "n'est pas abordé", "ne sont pas abordés", "pas couvert", "pas couverte", "traité séparément",
                        "traitée séparément", "abordé séparément", "abordée séparément", "abordés ailleurs", "traité ailleurs",
                    ]
                ),
                (.scopeBreak, ["mais", "cependant", "toutefois", "pourtant", "bien que", "tandis que"]),
                (
                    .audience,
                    [
                        "s'adresse à", "s'adresse aux", "s'adressent à", "destiné à", "destinée à", "destinés à", "destinées à",
                        "ouvert à", "ouverte à", "public cible", "clientèle visée", "pour qui",
                    ]
                ),
                (.audienceEnd, ["qui", "afin de", "pour", "souhaitant", "voulant"]),
                (.negationCancel, ["non seulement", "pas seulement", "pas uniquement", "ne se limite pas"]),
                (
                    .neutral,
                    [
                        "résultats d'apprentissage", "objectifs d'apprentissage", "évaluation de la formation",
                        "formulaire d'évaluation", "formation en ligne", "cours en ligne",
                    ]
                ),
                (
                    .logistics,
                    [
                        "frais", "droits de scolarité", "inscription", "tarif", "annulation", "remboursement", "paiement",
                        "facture", "stationnement", "repas", "rabais", "lieu de la formation", "date limite",
                    ]
                ),
            ]
        // A framework may give terms in these; their negation cues are not written yet, so a negated mention
        // there still counts (docs/match.md says so).
        case .spanish, .german, .portuguese, .italian, .dutch, .undetermined:
            []
        }
    }
}

/// The one-word negation cues of `NegationCues`, as the learned model's features read them: a negated stem is
/// its own feature, so "does not cover safeguarding" teaches the model nothing about safeguarding.
struct ModelCues: Sendable {
    var negations: Set<String>
    var breaks: Set<String>
    var cancels: Set<String>

    static func cues(for language: Language) -> ModelCues {
        switch language {
        case .english: english
        case .french: french
        default: none
        }
    }

    private static let english = ModelCues(language: .english, cancels: ["only", "just", "limited", "matter"])
    private static let french = ModelCues(language: .french, cancels: ["seulement", "uniquement", "limite"])
    private static let none = ModelCues(language: .undetermined, cancels: [])

    /// Words as the tokenizer sees them: apostrophes split words, so "doesn't" reads as "doesn".
    private init(language: Language, cancels: Set<String>) {
        var negations = Set<String>()
        var breaks = Set<String>()
        for (role, cues) in NegationCues.cues(for: language) {
            for cue in cues where !cue.contains(" ") {
                let word = cue.split(separator: "'").first.map(String.init) ?? cue
                if role == .negationBefore { negations.insert(word) }
                if role == .scopeBreak { breaks.insert(word) }
            }
        }
        self.negations = negations
        self.breaks = breaks
        self.cancels = cancels
    }
}
