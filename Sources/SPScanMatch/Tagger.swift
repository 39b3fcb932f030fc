import Foundation
import SPScanModel

/// How hard each part of the evidence counts. The defaults were set by reasoning about the framework's
/// meaning and checked on the development passages (Eval/); see docs/match.md for what each one does.
public struct ScoringWeights: Hashable, Sendable {
    /// A term of two or more words is rarer by chance than one word, so it counts this much more.
    public var phraseBonus = 1.5
    /// A term in a heading (or in a paragraph's short first sentence, which is usually its title) states the
    /// topic rather than passing by it.
    public var headingBoost = 1.6
    /// Learning outcomes, duties and topic lists are where a document says what it covers.
    public var listItemBoost = 1.25
    /// A passage under a heading such as "Learning outcomes" or "Duties".
    public var outcomeHeadingBoost = 1.2
    /// BM25-style saturation: the n-th repetition of a term adds less and less (n(k+1)/(n+k)).
    public var saturation = 1.2
    /// Raw evidence `r` becomes a confidence `1 - exp(-r / passageScale)`.
    public var passageScale = 2.5
    /// A document's second-best passage counts this fraction, its third this squared, and so on.
    public var documentDecay = 0.5
    /// How many words before a term a negation reaches, and how many after for "… is covered separately".
    public var negationReachBefore = 5
    public var negationReachAfter = 8
    /// How many words after "this course is for" (an audience cue) the audience it names may run.
    public var audienceReach = 12
    /// A passage with this many distinct logistics words (fee, venue, registration…) is about practicalities;
    /// its matches are multiplied by `logisticsDamping`.
    public var logisticsCueCount = 3
    public var logisticsDamping = 0.4
    /// The first sentence of a paragraph counts as its title when it has at most this many words.
    public var leadSentenceMaxWords = 16

    public init() {}
}

/// How words are spread over a whole corpus, so that a term found in nearly every document counts less.
///
/// Keys are language-qualified stem sequences (`Tagger.termKeys(in:)`); build one with
/// `CorpusStatistics(documents:tagger:)` or by adding documents as the pipeline sees them.
public struct CorpusStatistics: Hashable, Sendable, Codable {
    public var documentCount: Int
    public var documentFrequencies: [String: Int]

    public init(documentCount: Int = 0, documentFrequencies: [String: Int] = [:]) {
        self.documentCount = documentCount
        self.documentFrequencies = documentFrequencies
    }

    public init(documents: [ExtractedDocument], tagger: Tagger) {
        self.init()
        for document in documents { add(termKeys: tagger.termKeys(in: document)) }
    }

    /// Counts one more document with the vocabulary terms it contains.
    public mutating func add(termKeys: Set<String>) {
        documentCount += 1
        for key in termKeys { documentFrequencies[key, default: 0] += 1 }
    }

    /// How much a term keeps of its weight: 1 when it is in at most a tenth of the documents, falling to
    /// one half for a term in every document. Small corpora (under ten documents) say too little to judge.
    func specificity(of key: String) -> Double {
        guard documentCount >= 10, let frequency = documentFrequencies[key], frequency > 0 else { return 1 }
        let inverse = log(Double(documentCount) / Double(frequency))
        return 0.5 + 0.5 * min(1, inverse / log(10))
    }
}

/// Options of a `Tagger`; the defaults suit a whole corpus.
public struct TaggerOptions: Hashable, Sendable {
    /// The minimum confidence for a tag when a competency sets no `threshold` of its own. 0.6 sits between
    /// what one weight-2 phrase scores alone (0.70: it alone justifies the tag, as Framework.yaml promises)
    /// and one weight-1.5 phrase alone (0.59: it needs support from another term or a heading).
    public var defaultThreshold = 0.6
    /// A competency scoring at least this fraction of its threshold is reported as a near miss.
    public var nearMissFraction = 0.5
    /// The most passages kept as evidence for one tag.
    public var maxEvidence = 3
    /// Document frequencies of the corpus; without them every term keeps its full weight.
    public var statistics: CorpusStatistics?
    public var weights = ScoringWeights()
    /// What was learned from labelled passages (`Framework.learned.json`); without it the vocabulary decides alone.
    public var model: LearnedModel?

    public init(
        defaultThreshold: Double = 0.6, nearMissFraction: Double = 0.5, maxEvidence: Int = 3,
        statistics: CorpusStatistics? = nil, weights: ScoringWeights = ScoringWeights(), model: LearnedModel? = nil
    ) {
        self.defaultThreshold = defaultThreshold
        self.nearMissFraction = nearMissFraction
        self.maxEvidence = maxEvidence
        self.statistics = statistics
        self.weights = weights
        self.model = model
    }
}

/// Whether a document was matched against the vocabulary at all.
public enum TaggingOutcome: String, Hashable, Sendable, Codable {
    /// The vocabulary of the document's language was matched (the tags may still be none).
    case matched
    /// The document is in a language the framework has no terms in: not matched, so no tags. Matching it with
    /// another language's terms would tag Spanish with French words.
    case otherLanguage = "other_language"
}

/// The tags of one document (or one passage), best first.
public struct TaggingResult: Hashable, Sendable, Codable {
    public var language: Language
    /// Above threshold, best first.
    public var tags: [Tag]
    /// Below threshold but not far: what `--explain` shows, so that a user can see why a tag is missing.
    public var nearMisses: [Tag]
    /// Mentions that matched but did not count: negated ("does not cover safeguarding") or cancelled by an
    /// `exclude` term.
    public var discounted: [DiscountedMention]
    public var outcome: TaggingOutcome
    /// Why the document was not matched, for a person ("in Spanish; the framework has no Spanish vocabulary").
    public var reason: String?
    /// Whether the document belongs to the framework's field, with the passages that show it.
    public var scope: ScopeJudgement
    /// The tags a document judged out of scope would carry if it were in scope. A competency is the link worker's
    /// practice, so a page outside the field (a phone's apps, a company's budget) cannot teach it, whatever its
    /// words: its tags are withheld, not claimed. The catalog keeps them (`catalogTags`), so that a person who
    /// judges the document in scope after all sees them count.
    public var withheld: [Tag]

    /// Every tag with evidence, claimed or withheld: what the catalog stores. Coverage counts a document's tags only
    /// while it is in scope, so withheld tags count only once a person overrides the judgement.
    public var catalogTags: [Tag] { tags + withheld }

    public init(
        language: Language, tags: [Tag], nearMisses: [Tag], discounted: [DiscountedMention] = [],
        outcome: TaggingOutcome = .matched, reason: String? = nil, scope: ScopeJudgement = .unjudged, withheld: [Tag] = []
    ) {
        self.scope = scope
        self.withheld = withheld
        self.language = language
        self.tags = tags
        self.nearMisses = nearMisses
        self.discounted = discounted
        self.outcome = outcome
        self.reason = reason
    }

    /// The result for a document in a language the framework has no terms in.
    public static func otherLanguage(_ language: Language, framework: Framework) -> TaggingResult {
        let reason = OtherLanguage.reason(language, framework: framework)
        return TaggingResult(
            language: language, tags: [], nearMisses: [], outcome: .otherLanguage, reason: reason,
            scope: framework.scope == nil
                ? .unjudged : ScopeJudgement(inScope: true, reason: "not judged: \(reason); it is counted as in scope"))
    }
}

/// The words for a document the framework cannot read.
public enum OtherLanguage {
    /// "in Spanish; the framework has no Spanish vocabulary (it has English and French)".
    public static func reason(_ language: Language, framework: Framework) -> String {
        let known = framework.vocabularyLanguages.map(\.name)
        let has =
            switch known.count {
            case 0: "it has no terms yet"
            case 1: "it has \(known[0])"
            default: "it has " + known.dropLast().joined(separator: ", ") + " and " + (known.last ?? "")
            }
        return "in \(language.name); the framework has no \(language.name) vocabulary (\(has))"
    }
}

/// A vocabulary term found in the text that the tagger set aside, and why.
public struct DiscountedMention: Hashable, Sendable, Codable {
    public enum Reason: String, Hashable, Sendable, Codable {
        case negated
        case excluded
        /// One term found on many unrelated pages, alone: not evidence of a competency.
        case generic
        /// A term naming who the document is for ("this course is for volunteers"): its audience, not its content.
        case audience
    }

    public var competency: String
    public var term: String
    /// Offsets in the document's text.
    public var start: Int
    public var end: Int
    public var reason: Reason
    /// The negation cue or `exclude` term responsible.
    public var cause: String
}

/// Tags passages and documents against a framework's competencies, with evidence.
///
/// Building a tagger compiles the vocabulary once (stems, one automaton per language); tagging scans each
/// passage once, whatever the number of terms. A `Tagger` is an immutable value: share it across tasks.
public struct Tagger: Sendable {
    public let framework: Framework
    public private(set) var options: TaggerOptions
    let lexicon: Lexicon
    let model: CompiledModel?

    public init(framework: Framework, options: TaggerOptions = .init()) throws(MatchError) {
        self.framework = framework
        self.options = options
        self.lexicon = try Lexicon(framework: framework)
        self.model = options.model.map {
            CompiledModel(model: $0, competencies: framework.competencies, defaultThreshold: options.defaultThreshold)
        }
    }

    /// The framework at `url` with its learned model beside it (`Framework.learned.json`) when there is one.
    public init(framework: Framework, frameworkURL url: URL, options: TaggerOptions = .init()) throws(MatchError) {
        var options = options
        options.model = try LearnedModel.load(besideFramework: url)
        try self.init(framework: framework, options: options)
    }

    /// Whether a learned model takes part in the decisions.
    public var hasModel: Bool { model != nil }

    /// The same tagger weighing terms by a corpus's document frequencies, without compiling the vocabulary
    /// again: the pipeline builds the statistics in a first pass (`termKeys(in:)`) and tags in a second.
    public func with(statistics: CorpusStatistics?) -> Tagger {
        var copy = self
        copy.options.statistics = statistics
        return copy
    }

    /// Tags a whole document: each competency's score combines its best passages.
    public func tag(_ document: ExtractedDocument) -> TaggingResult {
        tag(passages: document.passages, language: document.language)
    }

    /// Tags one passage on its own (the unit the evaluation set is labelled at), as a piece of a document in the
    /// field: a passage alone cannot show what its document is about, so its tags are never withheld for scope
    /// (the result still carries the passage's scope judgement).
    public func tag(passage: Passage) -> TaggingResult {
        var scanner = PassageScanner(lexicon: lexicon, options: options, model: model)
        return tag(passages: [passage], language: passage.language, scanner: &scanner, withholdsOutOfScope: false)
    }

    /// Tags a list of passages as one document.
    public func tag(passages: [Passage], language: Language) -> TaggingResult {
        var scanner = PassageScanner(lexicon: lexicon, options: options, model: model)
        return tag(passages: passages, language: language, scanner: &scanner)
    }

    /// A session for tagging many documents in a row on one thread, keeping its stem cache between them.
    public func session() -> TaggingSession {
        TaggingSession(tagger: self)
    }

    func tag(passages: [Passage], language: Language, scanner: inout PassageScanner, withholdsOutOfScope: Bool = true)
        -> TaggingResult
    {
        guard let documentLanguage = lexicon.matchingLanguage(for: language) else {
            return .otherLanguage(language, framework: framework)
        }
        var perCompetency: [[Evidence]] = Array(repeating: [], count: lexicon.competencies.count)
        var discounted: [DiscountedMention] = []
        var scopeMentions: [PassageScanner.ScopeMentions] = []
        for var passage in passages {
            // Text too short to tell (a heading, a table cell) is read in the document's language; a passage in
            // a language the framework has no terms in finds nothing.
            if passage.language == .undetermined { passage.language = documentLanguage }
            let scored = scanner.score(passage)
            for (competency, evidence) in scored.evidence { perCompetency[competency].append(evidence) }
            discounted += scored.discounted
            if let scope = scored.scope { scopeMentions.append(scope) }
        }
        var tags: [Tag] = []
        var nearMisses: [Tag] = []
        for (index, competency) in lexicon.competencies.enumerated() where !perCompetency[index].isEmpty {
            let evidence = perCompetency[index].sorted { $0.score > $1.score }
            var remaining = 1.0
            var factor = 1.0
            for item in evidence {
                remaining *= 1 - item.score * factor
                factor *= options.weights.documentDecay
                if factor < 0.001 { break }
            }
            let score = (1 - remaining).rounded(toPlaces: 4)
            let tag = Tag(
                competency: competency.id, domain: competency.domain, score: score,
                evidence: Array(evidence.prefix(options.maxEvidence)))
            // With a model, one passage must reach the model's threshold on its own: many faint passages of a
            // long page do not add up to a tag.
            let threshold =
                model?.bias[index] != nil ? (model?.thresholds[index] ?? 0.5) : (competency.threshold ?? options.defaultThreshold)
            let decisive = model?.bias[index] != nil ? (evidence.first?.score ?? 0) : score
            if decisive >= threshold {
                tags.append(tag)
            } else if score >= threshold * options.nearMissFraction {
                nearMisses.append(tag)
            }
        }
        let order: (Tag, Tag) -> Bool = { $0.score != $1.score ? $0.score > $1.score : $0.competency < $1.competency }
        let sorted = tags.sorted(by: order)
        let scope = ScopeJudge.judge(scopeMentions, tags: sorted, scope: lexicon.scope, weights: options.weights)
        // A document outside the field claims no competency (see `TaggingResult.withheld`).
        let withholds = withholdsOutOfScope && lexicon.scope != nil && !scope.inScope
        return TaggingResult(
            language: language, tags: withholds ? [] : sorted, nearMisses: nearMisses.sorted(by: order), discounted: discounted,
            scope: scope, withheld: withholds ? sorted : [])
    }

    /// The vocabulary terms a document contains, as keys for `CorpusStatistics`.
    public func termKeys(in document: ExtractedDocument) -> Set<String> {
        var scanner = PassageScanner(lexicon: lexicon, options: options)
        var keys = Set<String>()
        for var passage in document.passages {
            if passage.language == .undetermined, let fallback = lexicon.matchingLanguage(for: document.language) {
                passage.language = fallback
            }
            guard let lexicon = lexicon.languages[passage.language] else { continue }
            for match in scanner.matches(in: passage) {
                let pattern = lexicon.patterns[match.pattern]
                if case .term = pattern.role { keys.insert(pattern.statisticsKey(passage.language)) }
            }
        }
        return keys
    }

    /// Every compiled term per competency, as the matcher sees it: what `spscan framework terms` prints.
    public func compiledTerms() -> [CompiledTermList] {
        lexicon.competencies.enumerated().map { index, competency in
            var terms: [CompiledTerm] = []
            var exclusions: [CompiledTerm] = []
            for language in Language.vocabularyCases {
                for pattern in lexicon.languages[language]?.patterns ?? [] {
                    switch pattern.role {
                    case .term(let owner) where owner == index:
                        terms.append(
                            CompiledTerm(
                                language: language, term: pattern.surface, stems: pattern.keys, weight: pattern.weight,
                                sharedWith: Int((1 / pattern.sharing).rounded()) - 1))
                    case .exclusion(let owner) where owner == index:
                        exclusions.append(
                            CompiledTerm(language: language, term: pattern.surface, stems: pattern.keys, weight: 0, sharedWith: 0))
                    default:
                        continue
                    }
                }
            }
            return CompiledTermList(
                competency: competency.id, domain: competency.domain, terms: terms, exclusions: exclusions)
        }
    }
}

/// Tags documents one after another, keeping the word → stem cache between them, so that a scan of many
/// documents stems each distinct word once. It holds Snowball handles, which are not thread-safe: use one
/// session per task (a `Tagger` itself can be shared freely).
public final class TaggingSession {
    public let tagger: Tagger
    private var scanner: PassageScanner

    init(tagger: Tagger) {
        self.tagger = tagger
        scanner = PassageScanner(lexicon: tagger.lexicon, options: tagger.options, model: tagger.model)
    }

    public func tag(_ document: ExtractedDocument) -> TaggingResult {
        tagger.tag(passages: document.passages, language: document.language, scanner: &scanner)
    }
}

/// One competency's compiled vocabulary.
public struct CompiledTermList: Hashable, Sendable, Codable {
    public var competency: String
    public var domain: String
    public var terms: [CompiledTerm]
    /// The `exclude` entries, compiled the same way; their weight is 0.
    public var exclusions: [CompiledTerm]
}

/// One vocabulary entry as the matcher sees it.
public struct CompiledTerm: Hashable, Sendable, Codable {
    public var language: Language
    /// As written in Framework.yaml.
    public var term: String
    /// The normalised stems the automaton matches, in order.
    public var stems: [String]
    public var weight: Double
    /// How many other competencies list the same stems (the weight is shared among them).
    public var sharedWith: Int
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
