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
    }

    let lexicon: Lexicon
    let options: TaggerOptions
    private var normalizers: [Language: TokenNormalizer] = [:]
    private var symbolCache: [Language: WordCache] = [:]
    /// Where each word of the passage last scanned stands (one array, so one append per word).
    private(set) var positions: [Tokenizer.Position] = []

    /// The cached symbol of a word the matcher reads past (see `TokenNormalizer.isSkipped`).
    private static let skipped: Int32 = -2

    init(lexicon: Lexicon, options: TaggerOptions) {
        self.lexicon = lexicon
        self.options = options
    }

    /// Every pattern occurrence in the passage, in text order; token positions are kept for scoring.
    mutating func matches(in passage: Passage) -> [Match] {
        positions.removeAll(keepingCapacity: true)
        guard let language = lexicon.languages[passage.language], let normalizer = normalizer(for: passage.language)
        else { return [] }
        var cache = symbolCache.removeValue(forKey: passage.language) ?? WordCache()
        var found: [Match] = []
        var state: Int32 = 0
        let automaton = language.automaton
        var tokenizer = Tokenizer(passage.text)
        while let token = tokenizer.nextPosition() {
            let symbol: Int32
            let hash = WordCache.hash(tokenizer.wordBytes)
            if let known = cache.value(for: tokenizer.wordBytes, hash: hash) {
                symbol = known
            } else {
                let raw = tokenizer.wordBytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
                symbol =
                    normalizer.isSkipped(raw: raw, isASCII: token.isASCII)
                    ? Self.skipped : language.symbols[normalizer.key(raw: raw, isASCII: token.isASCII)] ?? -1
                cache.insert(tokenizer.wordBytes, hash: hash, value: symbol)
            }
            // Determiners are read past: not a token for phrases, negation reach or evidence.
            if symbol == Self.skipped { continue }
            let index = positions.count
            positions.append(token)
            state = automaton.step(state, symbol)
            if symbol >= 0 {
                automaton.forEachMatch(at: state) { pattern in
                    let length = language.patterns[Int(pattern)].length
                    found.append(Match(pattern: Int(pattern), first: index - length + 1, last: index))
                }
            }
        }
        symbolCache[passage.language] = cache
        return found
    }

    private mutating func normalizer(for language: Language) -> TokenNormalizer? {
        if let existing = normalizers[language] { return existing }
        // The lexicon already opened this stemmer once, so failing here would mean libstemmer changed under us.
        guard let created = try? TokenNormalizer(language: language) else { return nil }
        normalizers[language] = created
        return created
    }

    /// The evidence the passage gives each competency, and the mentions set aside.
    mutating func score(_ passage: Passage) -> Scored {
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
            }
        }
        guard !terms.isEmpty else { return Scored() }
        // A negation word inside a term is part of the term ("sans jugement", "without judgement"): it negates
        // neither the term nor the words after it. Terms are few per passage; cues inside them fewer still.
        let termSpans = terms.map { $0.match.first...$0.match.last }
        let isCancelled = { (cue: Match) in
            cancels.contains { $0.first <= cue.first && cue.last <= $0.last }
                || termSpans.contains { $0.contains(cue.first) && $0.contains(cue.last) }
        }
        negationsBefore.removeAll(where: isCancelled)
        negationsAfter.removeAll(where: isCancelled)

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

        var result = Scored()
        var byCompetency: [Int: [Match]] = [:]
        for (match, competency) in terms {
            if let cue = negation(of: match, before: negationsBefore, after: negationsAfter, breaks: breaks, in: language) {
                result.discounted.append(discount(match, competency, passage, .negated, cue, language))
            } else if let exclusion = exclusions[competency] {
                result.discounted.append(discount(match, competency, passage, .excluded, exclusion, language))
            } else {
                byCompetency[competency, default: []].append(match)
            }
        }

        for (competency, matches) in byCompetency {
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
