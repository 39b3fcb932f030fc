import Foundation

/// Finds a competency from what a person types: its id in any spelling (`ce7`, `Ce-7`), its name, or a fragment
/// of it ("volunteers", "motivational").
///
/// The command line (`spscan query`) and the web page (`/competencies/…`, the search box) share it, so that both
/// accept the same words and propose the same ids. Names count before vocabulary and descriptions: "volunteers"
/// is CE-7 Volunteers and peer support, even if other competencies mention volunteers in passing.
public enum CompetencyLookup {
    public enum Outcome: Sendable, Hashable {
        /// One competency; `exact` when the text was its id (in any case, with or without the hyphen).
        case found(Competency, exact: Bool)
        /// Several competencies match equally well, best first.
        case ambiguous([Competency])
        /// Nothing matches; the closest by spelling, best first.
        case notFound(closest: [Competency])
    }

    public static func find(_ text: String, in framework: Framework) -> Outcome {
        let key = compact(text)
        guard !key.isEmpty else { return .notFound(closest: Array(framework.competencies.prefix(5))) }
        if let competency = framework.competencies.first(where: { compact($0.id) == key }) { return .found(competency, exact: true) }
        if let competency = framework.competencies.first(where: { compact($0.name) == key || compact($0.nameFrench ?? "") == key }) {
            return .found(competency, exact: false)
        }
        let ranked = matches(text, in: framework, limit: 8)
        switch ranked.count {
        case 0: return .notFound(closest: closest(text, in: framework))
        case 1: return .found(ranked[0], exact: false)
        default:
            // A fragment of one name only ("volunteers") is that competency, whatever the descriptions say.
            let named = ranked.filter { nameScore(words(text), $0) > 0 }
            return named.count == 1 ? .found(named[0], exact: false) : .ambiguous(named.isEmpty ? ranked : named)
        }
    }

    /// The competencies whose name, vocabulary or description holds every word of `text` (or a word that
    /// begins like it: "motivational" finds "motivation"), best first: what the search box lists beside passages.
    public static func matches(_ text: String, in framework: Framework, limit: Int = 5) -> [Competency] {
        let query = words(text)
        guard !query.isEmpty else { return [] }
        let key = compact(text)
        var scored: [(competency: Competency, score: Int, order: Int)] = []
        for (order, competency) in framework.competencies.enumerated() {
            var score = compact(competency.id) == key ? 100 : 0
            score += nameScore(query, competency) * 10
            let vocabulary = competency.terms.values.flatMap { $0 }.map(\.text).joined(separator: " ")
            if covers(query, words(vocabulary)) { score += 4 }
            if covers(query, words(competency.description)) { score += 2 }
            if score > 0 { scored.append((competency, score, order)) }
        }
        return scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }.prefix(limit).map(\.competency)
    }

    static func nameScore(_ query: [String], _ competency: Competency) -> Int {
        let names = [competency.name, competency.nameFrench ?? ""].map(words)
        return names.contains { covers(query, $0) } ? 1 : 0
    }

    /// Up to five competencies whose id or name is spelt closest to `text`.
    static func closest(_ text: String, in framework: Framework) -> [Competency] {
        let key = compact(text)
        let scored = framework.competencies.enumerated().map { order, competency in
            let distance = min(
                FilterValue.distance(key, compact(competency.id)),
                FilterValue.distance(key, compact(competency.name)))
            return (competency, distance, order)
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.2 < $1.2 }.prefix(5).map(\.0)
    }

    /// Every query word appears among `words`, or shares its first five letters with one of them.
    static func covers(_ query: [String], _ words: [String]) -> Bool {
        query.allSatisfy { wanted in
            words.contains { word in
                word == wanted || (min(word.count, wanted.count) >= 5 && word.prefix(5) == wanted.prefix(5))
                    || (wanted.count >= 4 && word.hasPrefix(wanted))
            }
        }
    }

    /// The words of a text, folded, without the small ones that every name has ("and", "of").
    static func words(_ text: String) -> [String] {
        FilterValue.fold(text).split(separator: "-").map(String.init).filter { $0.count >= 3 && !stopWords.contains($0) }
    }

    static let stopWords: Set<String> = ["and", "the", "for", "with", "des", "les", "et"]

    /// Case, accents, spaces and hyphens ignored: `CE-7`, `ce7` and `Ce 7` are one key.
    static func compact(_ text: String) -> String {
        FilterValue.fold(text).replacingOccurrences(of: "-", with: "")
    }
}

extension CompetencyLookup {
    /// The one competency `text` names, or an error that proposes the closest ones.
    public static func resolve(_ text: String, in framework: Framework) throws(CompetencyLookupError) -> (Competency, exact: Bool) {
        switch find(text, in: framework) {
        case .found(let competency, let exact): return (competency, exact)
        case .ambiguous(let candidates): throw .ambiguous(text, candidates: candidates.map(Candidate.init))
        case .notFound(let closest): throw .unknown(text, closest: closest.map(Candidate.init))
        }
    }

    /// A competency as an error message names it.
    public struct Candidate: Sendable, Hashable {
        public var id: String
        public var name: String

        init(_ competency: Competency) {
            id = competency.id
            name = competency.name
        }
    }
}

/// A competency that could not be told from what was typed; the message proposes what to type instead.
public enum CompetencyLookupError: Error, LocalizedError, Hashable, Sendable {
    case ambiguous(String, candidates: [CompetencyLookup.Candidate])
    case unknown(String, closest: [CompetencyLookup.Candidate])

    public var errorDescription: String? {
        switch self {
        case .ambiguous(let text, let candidates):
            "'\(text)' matches \(candidates.count) competencies; \(Self.proposal(candidates))"
        case .unknown(let text, let closest):
            "unknown competency '\(text)'; \(Self.proposal(closest)) (`spscan framework` lists them all)"
        }
    }

    public var candidates: [CompetencyLookup.Candidate] {
        switch self {
        case .ambiguous(_, let candidates), .unknown(_, let candidates): candidates
        }
    }

    static func proposal(_ candidates: [CompetencyLookup.Candidate]) -> String {
        "did you mean " + candidates.map { "\($0.id) \($0.name)" }.joined(separator: ", or ") + "?"
    }
}
