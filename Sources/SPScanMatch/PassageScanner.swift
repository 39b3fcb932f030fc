import Foundation
import SPScanModel

/// Scans passages for one tagging call: tokenises, normalises (with a cache of word → symbol), walks the
/// automaton once, then scores each competency from the matches.
///
/// It owns Snowball handles, which are not thread-safe, so each tagging call makes its own scanner.
struct PassageScanner {
    struct Match: Hashable {
        var pattern: Int
        var first: Int
        var last: Int
    }

    /// Everything a passage contributes to the document's tags.
    struct Scored {
        var evidence: [(Int, Evidence)] = []
        var discounted: [DiscountedMention] = []
        /// The field's terms found in the passage (never in a heading), for the document's scope judgement.
        var scope: ScopeMentions?
    }

    /// The scope terms of one passage: the passage as evidence, and each mention's term and weight.
    struct ScopeMentions {
        var evidence: Evidence
        var mentions: [(term: String, weight: Double)]
    }

    /// What a word is for the lexicon (its symbol) and for the learned model (its stem code, or a cue).
    struct WordCodes {
        var symbol: Int32
        var stem: Int32
    }

    let lexicon: Lexicon
    let options: TaggerOptions
    let model: CompiledModel?
    private var normalizers: [Language: TokenNormalizer] = [:]
    private var symbolCache: [Language: WordCache<WordCodes>] = [:]
    /// Where each word of the passage last scanned stands (one array, so one append per word).
    private(set) var positions: [Tokenizer.Position] = []
    /// The stem code of each word in `positions` (see `StemCode`).
    private(set) var stemCodes: [Int32] = []
    /// Set while fitting a model: every new stem gets a code (`stemNames` holds them), not only the model's.
    var learnsStems = false
    private(set) var learnedStemCodes: [Language: [String: Int32]] = [:]

    /// The cached symbol of a word the matcher reads past (see `TokenNormalizer.isSkipped`).
    private static let skipped: Int32 = -2

    init(lexicon: Lexicon, options: TaggerOptions, model: CompiledModel? = nil) {
        self.lexicon = lexicon
        self.options = options
        self.model = model
    }

    /// The stem code of a word: a model stem (>= 0), or one of these.
    enum StemCode {
        /// A stem the model has no feature for.
        static let unknown: Int32 = -1
        /// A word that negates what follows in its clause ("not", "without", "sans").
        static let negation: Int32 = -3
        /// A word that ends a negation's reach ("but", "mais").
        static let scopeBreak: Int32 = -4
        /// A word that turns a negation before it into none ("not only", "pas seulement").
        static let cancel: Int32 = -5
    }

    /// Every pattern occurrence in the passage, in text order; token positions are kept for scoring.
    mutating func matches(in passage: Passage) -> [Match] {
        // Both cleared before anything can return: a passage in a language without terms must not leave the previous
        // passage's stem codes behind (the model's features read the two arrays side by side).
        positions.removeAll(keepingCapacity: true)
        stemCodes.removeAll(keepingCapacity: true)
        guard let language = lexicon.languages[passage.language], let normalizer = normalizer(for: passage.language)
        else { return [] }
        var cache = symbolCache.removeValue(forKey: passage.language) ?? WordCache<WordCodes>()
        var found: [Match] = []
        var state: Int32 = 0
        let automaton = language.automaton
        let tracksStems = model != nil || learnsStems
        var tokenizer = Tokenizer(passage.text)
        while let token = tokenizer.nextPosition() {
            let codes: WordCodes
            let hash = WordCache<WordCodes>.hash(tokenizer.wordBytes)
            if let known = cache.value(for: tokenizer.wordBytes, hash: hash) {
                codes = known
            } else {
                let raw = tokenizer.wordBytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
                if normalizer.isSkipped(raw: raw, isASCII: token.isASCII) {
                    codes = WordCodes(symbol: Self.skipped, stem: StemCode.unknown)
                } else {
                    let key = normalizer.key(raw: raw, isASCII: token.isASCII)
                    let stem = tracksStems ? stemCode(raw: raw, isASCII: token.isASCII, key: key, passage.language) : StemCode.unknown
                    codes = WordCodes(symbol: language.symbols[key] ?? -1, stem: stem)
                }
                cache.insert(tokenizer.wordBytes, hash: hash, value: codes)
            }
            let symbol = codes.symbol
            // Determiners are read past: not a token for phrases, negation reach or evidence.
            if symbol == Self.skipped { continue }
            let index = positions.count
            positions.append(token)
            if tracksStems { stemCodes.append(codes.stem) }
            state = automaton.step(state, symbol)
            if symbol >= 0 {
                let positions = self.positions
                automaton.forEachMatch(at: state) { pattern in
                    let length = language.patterns[Int(pattern)].length
                    // A phrase never spans a comma, a bracket, a dash or a line end.
                    guard length == 1 || positions[index - length + 1].phrase == positions[index].phrase else { return }
                    found.append(Match(pattern: Int(pattern), first: index - length + 1, last: index))
                }
            }
        }
        symbolCache[passage.language] = cache
        return found
    }

    /// The model's code for a word, or a negation cue's code; while learning, a new code for a new stem.
    private mutating func stemCode(raw: String, isASCII: Bool, key: String, _ language: Language) -> Int32 {
        let word = isASCII ? raw : TokenNormalizer.fold(raw)
        let cues = ModelCues.cues(for: language)
        if cues.negations.contains(word) { return StemCode.negation }
        if cues.breaks.contains(word) { return StemCode.scopeBreak }
        if cues.cancels.contains(word) { return StemCode.cancel }
        if word.unicodeScalars.allSatisfy({ $0.properties.numericType != nil }) { return StemCode.unknown }
        if learnsStems {
            if let known = learnedStemCodes[language]?[key] { return known }
            let next = Int32(learnedStemCodes[language]?.count ?? 0)
            learnedStemCodes[language, default: [:]][key] = next
            return next
        }
        return model?.languages[language]?.stemCodes[key] ?? StemCode.unknown
    }

    /// Calls `body` with each feature occurrence of the passage last scanned: its kind, its stem codes (the
    /// second is -1 for one stem) and the word range it covers. A stem under a negation (a cue earlier in the
    /// same clause, within reach, with no "but" between) is a negated feature and joins no pair; a pair is two
    /// words side by side in one clause, so that no pair crosses punctuation.
    func forEachFeature(_ body: (LearnedModel.Feature.Kind, Int32, Int32, Int, Int) -> Void) {
        let reach = options.weights.negationReachBefore
        var negationAt = -1
        for index in stemCodes.indices {
            let code = stemCodes[index]
            switch code {
            case StemCode.negation:
                let cancelled = index + 1 < stemCodes.count && stemCodes[index + 1] == StemCode.cancel
                if !cancelled { negationAt = index }
                continue
            case StemCode.scopeBreak:
                negationAt = -1
                continue
            default:
                break
            }
            guard code >= 0 else { continue }
            let negated =
                negationAt >= 0 && index - negationAt <= reach && positions[negationAt].clause == positions[index].clause
            if negated {
                body(.negated, code, -1, index, index)
                continue
            }
            body(.stem, code, -1, index, index)
            let previous = index - 1
            if previous >= 0, stemCodes[previous] >= 0, positions[previous].phrase == positions[index].phrase,
                !(negationAt >= 0 && previous - negationAt <= reach && positions[negationAt].clause == positions[previous].clause)
            {
                body(.pair, stemCodes[previous], code, previous, index)
            }
        }
    }

    private mutating func normalizer(for language: Language) -> TokenNormalizer? {
        if let existing = normalizers[language] { return existing }
        // The lexicon already opened this stemmer once, so failing here would mean libstemmer changed under us.
        guard let created = try? TokenNormalizer(language: language) else { return nil }
        normalizers[language] = created
        return created
    }

    /// The evidence the passage gives each competency, and the mentions set aside.
    ///
    /// A heading alone carries no tag: it names a topic, and only the text under it can show that the topic is
    /// taught or required (a page titled "YouFit Gyms" is not about fitness for work). With a learned model, the
    /// model decides from the passage's features and the vocabulary's scores; without one, the vocabulary does.
    mutating func score(_ passage: Passage) -> Scored {
        let lexical = vocabularyScore(passage)
        if passage.role == .heading { return Scored(evidence: [], discounted: lexical.discounted, scope: lexical.scope) }
        guard let model else { return lexical }
        return modelScore(passage, lexical: lexical, model: model)
    }

    /// The model's evidence for each competency: its probability from the passage's features, with the features
    /// that carried it as spans a person can read.
    private func modelScore(_ passage: Passage, lexical: Scored, model: CompiledModel) -> Scored {
        var result = Scored(evidence: [], discounted: lexical.discounted, scope: lexical.scope)
        let tables = model.languages[passage.language] ?? CompiledModel.LanguageTables()
        let count = lexicon.competencies.count
        var vocabulary = [Double](repeating: 0, count: count)
        var lexicalSpans: [Int: [Span]] = [:]
        for (competency, evidence) in lexical.evidence {
            vocabulary[competency] = evidence.score
            lexicalSpans[competency] = evidence.spans
        }
        var found: [Int32: (first: Int, last: Int)] = [:]
        forEachFeature { kind, first, second, start, end in
            let feature: Int32
            switch kind {
            case .stem: feature = Int(first) < tables.stemFeature.count ? tables.stemFeature[Int(first)] : -1
            case .negated: feature = Int(first) < tables.negatedFeature.count ? tables.negatedFeature[Int(first)] : -1
            case .pair: feature = tables.pairFeature[CompiledModel.pairKey(first, second)] ?? -1
            }
            if feature >= 0, found[feature] == nil { found[feature] = (start, end) }
        }
        let value = LearnedFeatures.value(wordCount: positions.count)
        var logits = [Double](repeating: 0, count: count)
        for competency in 0..<count {
            guard let bias = model.bias[competency] else { continue }
            logits[competency] = bias + model.vocabularyWeights[competency].reduce(0) { $0 + $1.1 * vocabulary[$1.0] }
        }
        for feature in found.keys {
            for (competency, weight) in model.featureWeights[Int(feature)] { logits[competency] += weight * value }
        }
        // The passage's scalars, for the surface form of a carried feature: copied only for a passage that has one
        // (copying every passage's scalars was 6 % of `spscan tag` on a large text).
        var scalars: [Unicode.Scalar]?
        // Competencies the model does not know keep the vocabulary's evidence.
        for (competency, evidence) in lexical.evidence where model.bias[competency] == nil {
            result.evidence.append((competency, evidence))
        }
        for competency in 0..<count where model.bias[competency] != nil {
            let probability = 1 / (1 + exp(-logits[competency]))
            let threshold = model.thresholds[competency]
            guard probability >= threshold * options.nearMissFraction else { continue }
            // The features that carried the score, strongest first: what a person reads as the evidence.
            var carried: [(feature: Int32, contribution: Double)] = []
            for (feature, _) in found {
                guard let weight = model.featureWeights[Int(feature)].first(where: { $0.0 == competency })?.1, weight > 0
                else { continue }
                carried.append((feature, weight * value))
            }
            carried.sort { $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.feature < $1.feature }
            let total = carried.reduce(0) { $0 + $1.contribution }
            let significant = carried.filter { $0.contribution >= 0.2 * total }
            let vocabularyPart = model.vocabularyWeights[competency].reduce(0) { $0 + max(0, $1.1 * vocabulary[$1.0]) }
            // One generic feature alone ("budget", "platform") is never evidence of a competency.
            if probability >= threshold, vocabularyPart < 0.5, significant.count == 1,
                model.featureGeneric[Int(significant[0].feature)], let range = found[significant[0].feature]
            {
                result.discounted.append(
                    DiscountedMention(
                        competency: lexicon.competencies[competency].id, term: model.featureNames[Int(significant[0].feature)],
                        start: passage.start + positions[range.first].start, end: passage.start + positions[range.last].end,
                        reason: .generic, cause: "found on many unrelated pages"))
                continue
            }
            var spans = lexicalSpans[competency] ?? []
            var terms = spans.map(\.term)
            for item in carried.prefix(6) {
                guard let range = found[item.feature] else { continue }
                let start = positions[range.first].start
                let end = positions[range.last].end
                guard !spans.contains(where: { $0.start <= start && end <= $0.end }) else { continue }
                let text = scalars ?? Array(passage.text.unicodeScalars)
                scalars = text
                let surface = String(String.UnicodeScalarView(text[start..<end])).lowercased()
                spans.append(Span(start: start, end: end, term: surface))
                terms.append(surface)
            }
            spans.sort { $0.start != $1.start ? $0.start < $1.start : $0.end < $1.end }
            var seenTerms = Set<String>()
            let evidence = Evidence(
                text: passage.text, start: passage.start, end: passage.end, heading: passage.heading, page: passage.page,
                terms: terms.filter { seenTerms.insert($0).inserted }, spans: spans, score: probability.rounded(toPlaces: 4))
            result.evidence.append((competency, evidence))
        }
        return result
    }

    /// The vocabulary's evidence for each competency (the whole method when there is no learned model).
    private mutating func vocabularyScore(_ passage: Passage) -> Scored {
        let found = matches(in: passage)
        guard !found.isEmpty, let language = lexicon.languages[passage.language] else { return Scored() }
        let weights = options.weights
        var negationsBefore: [Match] = []
        var negationsAfter: [Match] = []
        var breaks: [Match] = []
        var cancels: [Match] = []
        var logistics = Set<String>()
        var exclusions: [Int: String] = [:]
        var terms: [(match: Match, competency: Int)] = []
        var scopeMatches: [Match] = []
        var audiences: [Match] = []
        var audienceEnds: [Match] = []
        for match in found {
            switch language.patterns[match.pattern].role {
            case .term(let competency): terms.append((match, competency))
            case .neutral: terms.append((match, -1))
            case .exclusion(let competency): exclusions[competency] = exclusions[competency] ?? language.patterns[match.pattern].surface
            case .negationBefore: negationsBefore.append(match)
            case .negationAfter: negationsAfter.append(match)
            case .scopeBreak: breaks.append(match)
            case .negationCancel: cancels.append(match)
            case .logistics: logistics.insert(language.patterns[match.pattern].surface)
            case .scope: scopeMatches.append(match)
            case .audience: audiences.append(match)
            case .audienceEnd: audienceEnds.append(match)
            }
        }
        // A heading names a topic; only the body shows what a document is about.
        if passage.role == .heading { scopeMatches = [] }
        guard !terms.isEmpty || !scopeMatches.isEmpty else { return Scored() }
        // A negation word inside a term is part of the term ("sans jugement", "without judgement"): it negates
        // neither the term nor the words after it. Terms are few per passage; cues inside them fewer still.
        let termSpans = terms.map { $0.match.first...$0.match.last }
        let isCancelled = { (cue: Match) in
            cancels.contains { $0.first <= cue.first && cue.last <= $0.last }
                || termSpans.contains { $0.contains(cue.first) && $0.contains(cue.last) }
        }
        negationsBefore.removeAll(where: isCancelled)
        negationsAfter.removeAll(where: isCancelled)
        var result = Scored()
        result.scope = scopeMentions(scopeMatches, passage, before: negationsBefore, after: negationsAfter, breaks: breaks, in: language)
        guard !terms.isEmpty else { return result }

        // A shorter term inside a longer one is read as part of the longer one: "mental health" inside "mental
        // health first aid" is the same evidence, not more, and "assessment" inside "risk assessment" is not
        // evidence of another competency's "assessment".
        // Matches arrive in order of their last token, and a pattern is at most a few tokens long, so only
        // the matches ending within that reach can contain a given one: linear, even on a huge passage.
        let allTerms = terms
        let longest = allTerms.map { $0.match.last - $0.match.first }.max() ?? 0
        var contained = Set<Int>()
        for (index, candidate) in allTerms.enumerated() {
            var other = index
            while other > 0, allTerms[other - 1].match.last == candidate.match.last { other -= 1 }
            while other < allTerms.count, allTerms[other].match.last <= candidate.match.last + longest {
                let outer = allTerms[other].match
                if outer.first <= candidate.match.first && candidate.match.last <= outer.last
                    && (outer.last - outer.first) > (candidate.match.last - candidate.match.first)
                {
                    contained.insert(index)
                    break
                }
                other += 1
            }
        }
        terms = allTerms.enumerated().filter { !contained.contains($0.offset) && $0.element.competency >= 0 }.map(\.element)

        let leadWords = positions.prefix { $0.sentence == 0 }.count
        let hasLead = passage.role == .paragraph && leadWords < positions.count && leadWords <= weights.leadSentenceMaxWords
        var baseBoost = 1.0
        if passage.role == .listItem { baseBoost *= weights.listItemBoost }
        if Self.isOutcomeHeading(passage.heading) { baseBoost *= weights.outcomeHeadingBoost }
        if logistics.count >= weights.logisticsCueCount { baseBoost *= weights.logisticsDamping }

        var byCompetency: [Int: [Match]] = [:]
        for (match, competency) in terms {
            if let cue = negation(of: match, before: negationsBefore, after: negationsAfter, breaks: breaks, in: language) {
                result.discounted.append(discount(match, competency, passage, .negated, cue, language))
            } else if let cue = audience(of: match, cues: audiences, ends: audienceEnds, in: language) {
                result.discounted.append(discount(match, competency, passage, .audience, cue, language))
            } else if let exclusion = exclusions[competency] {
                result.discounted.append(discount(match, competency, passage, .excluded, exclusion, language))
            } else {
                byCompetency[competency, default: []].append(match)
            }
        }

        for (competency, matches) in byCompetency {
            // Generic words alone ("funding", "platform"; or "apps", "software" and "platform" together on a page about
            // a phone) are not evidence of a competency: they support a specific term, never stand for one. How generic a
            // term is was measured on real unrelated pages (`LearnedModel.termGenericity`).
            if let generic = model?.genericTerms,
                matches.allSatisfy({ generic.contains(language.patterns[$0.pattern].statisticsKey(passage.language)) })
            {
                for match in matches {
                    result.discounted.append(discount(match, competency, passage, .generic, "found on many unrelated pages", language))
                }
                continue
            }
            var groups: [String: (count: Int, boost: Double, pattern: CompiledPattern)] = [:]
            for match in matches {
                let pattern = language.patterns[match.pattern]
                var boost = baseBoost
                if passage.role == .heading || (hasLead && positions[match.first].sentence == 0) { boost *= weights.headingBoost }
                let previous = groups[pattern.surface]
                groups[pattern.surface] = ((previous?.count ?? 0) + 1, max(previous?.boost ?? 0, boost), pattern)
            }
            var contributions: [(String, Double)] = []
            for (surface, group) in groups {
                let count = Double(group.count)
                let saturated = count * (weights.saturation + 1) / (count + weights.saturation)
                let specificity = options.statistics?.specificity(of: group.pattern.statisticsKey(passage.language)) ?? 1
                let phrase = group.pattern.length > 1 ? weights.phraseBonus : 1
                let value = group.pattern.weight * group.pattern.sharing * specificity * phrase * group.boost * saturated
                contributions.append((surface, value))
            }
            contributions.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            let raw = contributions.reduce(0) { $0 + $1.1 }
            let score = 1 - exp(-raw / weights.passageScale)
            let spans = matches.sorted { $0.first < $1.first }.map { match in
                Span(start: positions[match.first].start, end: positions[match.last].end, term: language.patterns[match.pattern].surface)
            }
            let evidence = Evidence(
                text: passage.text, start: passage.start, end: passage.end, heading: passage.heading, page: passage.page,
                terms: contributions.map(\.0), spans: spans, score: score.rounded(toPlaces: 4))
            result.evidence.append((competency, evidence))
        }
        return result
    }

    /// The field's terms in a passage that are not negated, each counted once inside a longer one ("link
    /// worker" inside "social prescribing link worker").
    private func scopeMentions(
        _ matches: [Match], _ passage: Passage, before: [Match], after: [Match], breaks: [Match], in language: LanguageLexicon
    ) -> ScopeMentions? {
        let unnegated = matches.filter { match in
            !matches.contains { other in
                other != match && other.first <= match.first && match.last <= other.last
                    && (other.last - other.first) > (match.last - match.first)
            } && negation(of: match, before: before, after: after, breaks: breaks, in: language) == nil
        }
        // Variants of one term that stem alike ("agent de liaison", "agents de liaison") match the same words: one
        // mention, counted once, with the heaviest variant's weight.
        var kept: [Match] = []
        for match in unnegated {
            if let same = kept.firstIndex(where: { $0.first == match.first && $0.last == match.last }) {
                if language.patterns[match.pattern].weight > language.patterns[kept[same].pattern].weight { kept[same] = match }
            } else {
                kept.append(match)
            }
        }
        guard !kept.isEmpty else { return nil }
        let mentions = kept.map { (term: language.patterns[$0.pattern].surface, weight: language.patterns[$0.pattern].weight) }
        let spans = kept.map {
            Span(start: positions[$0.first].start, end: positions[$0.last].end, term: language.patterns[$0.pattern].surface)
        }
        var seen = Set<String>()
        let evidence = Evidence(
            text: passage.text, start: passage.start, end: passage.end, heading: passage.heading, page: passage.page,
            terms: mentions.map(\.term).filter { seen.insert($0).inserted }, spans: spans,
            score: mentions.reduce(0) { $0 + $1.weight }.rounded(toPlaces: 4))
        return ScopeMentions(evidence: evidence, mentions: mentions)
    }

    /// The cue that negates a term occurrence, if any: a negation word shortly before it in the same clause
    /// with no "but" in between, or a "… is covered separately" shortly after.
    private func negation(
        of match: Match, before: [Match], after: [Match], breaks: [Match], in language: LanguageLexicon
    ) -> String? {
        let weights = options.weights
        // Cues are in text order (by last token), so a binary search finds the few within reach.
        var index = Self.firstIndex(in: before) { $0.last >= match.first - weights.negationReachBefore }
        while index < before.count, before[index].last < match.first {
            let cue = before[index]
            let nextBreak = Self.firstIndex(in: breaks) { $0.first > cue.last }
            let broken = nextBreak < breaks.count && breaks[nextBreak].last < match.first
            if positions[cue.last].clause == positions[match.first].clause && !broken { return language.patterns[cue.pattern].surface }
            index += 1
        }
        index = Self.firstIndex(in: after) { $0.last > match.last }
        while index < after.count, after[index].first - match.last <= weights.negationReachAfter + 8 {
            let cue = after[index]
            if cue.first > match.last && cue.first - match.last <= weights.negationReachAfter
                && positions[cue.first].clause == positions[match.last].clause
            {
                return language.patterns[cue.pattern].surface
            }
            index += 1
        }
        return nil
    }

    /// The audience cue a term occurrence stands under, if any: a cue earlier in the same sentence, within reach,
    /// with no word between them that turns the clause to content ("who", "to").
    private func audience(of match: Match, cues: [Match], ends: [Match], in language: LanguageLexicon) -> String? {
        guard !cues.isEmpty else { return nil }
        for cue in cues where cue.last < match.first && match.first - cue.last <= options.weights.audienceReach {
            guard positions[cue.last].sentence == positions[match.first].sentence else { continue }
            if ends.contains(where: { $0.first > cue.last && $0.last < match.first }) { continue }
            return language.patterns[cue.pattern].surface
        }
        return nil
    }

    /// The first index whose element satisfies a predicate that is false then true along the array.
    private static func firstIndex(in matches: [Match], where predicate: (Match) -> Bool) -> Int {
        var low = 0
        var high = matches.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(matches[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private func discount(
        _ match: Match, _ competency: Int, _ passage: Passage, _ reason: DiscountedMention.Reason, _ cause: String,
        _ language: LanguageLexicon
    ) -> DiscountedMention {
        DiscountedMention(
            competency: lexicon.competencies[competency].id, term: language.patterns[match.pattern].surface,
            start: passage.start + positions[match.first].start, end: passage.start + positions[match.last].end, reason: reason,
            cause: cause)
    }

    /// Headings under which a document states what it teaches or requires.
    static func isOutcomeHeading(_ heading: String) -> Bool {
        guard !heading.isEmpty else { return false }
        let folded = heading.lowercased()
        return outcomeCues.contains { folded.contains($0) }
    }

    private static let outcomeCues = [
        "outcome", "objective", "duties", "responsibilit", "competenc", "syllabus", "curriculum", "topics",
        "content", "you will learn", "will be able", "résultats d'apprentissage", "objectifs", "compétences",
        "responsabilités", "contenu", "tâches",
    ]
}
