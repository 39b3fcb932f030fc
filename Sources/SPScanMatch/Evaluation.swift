import Foundation
import SPScanModel

/// One hand-labelled passage of an evaluation set (Eval/dev-passages.jsonl: `id`, `lang`, `text`, `labels`).
public struct LabelledPassage: Hashable, Sendable, Codable {
    public var id: String
    public var lang: Language
    public var text: String
    public var labels: [String]

    public init(id: String, lang: Language, text: String, labels: [String]) {
        self.id = id
        self.lang = lang
        self.text = text
        self.labels = labels
    }

    /// Reads a JSON Lines file, one passage per line; blank lines are skipped.
    public static func load(jsonLines data: Data) throws -> [LabelledPassage] {
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == 32 } }.map {
            try decoder.decode(LabelledPassage.self, from: Data($0))
        }
    }
}

/// Precision, recall and F1 from counts.
public struct Scores: Hashable, Sendable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    public var f1: Double {
        let sum = precision + recall
        return sum == 0 ? 0 : 2 * precision * recall / sum
    }

    mutating func add(predicted: Set<String>, gold: Set<String>) {
        truePositives += predicted.intersection(gold).count
        falsePositives += predicted.subtracting(gold).count
        falseNegatives += gold.subtracting(predicted).count
    }
}

/// Quality of the tagger on a labelled set, at one level (competency or domain).
public struct LevelReport: Hashable, Sendable {
    public var micro: Scores
    /// Per label (competency or domain id).
    public var perLabel: [String: Scores]

    /// The mean F1 over labels that occur in the gold labels or the predictions.
    public var macroF1: Double {
        guard !perLabel.isEmpty else { return 1 }
        return perLabel.values.map(\.f1).reduce(0, +) / Double(perLabel.count)
    }
    public var macroPrecision: Double {
        guard !perLabel.isEmpty else { return 1 }
        return perLabel.values.map(\.precision).reduce(0, +) / Double(perLabel.count)
    }
    public var macroRecall: Double {
        guard !perLabel.isEmpty else { return 1 }
        return perLabel.values.map(\.recall).reduce(0, +) / Double(perLabel.count)
    }

    init(pairs: [(predicted: Set<String>, gold: Set<String>)]) {
        var micro = Scores()
        var perLabel: [String: Scores] = [:]
        for pair in pairs {
            micro.add(predicted: pair.predicted, gold: pair.gold)
            for label in pair.predicted.union(pair.gold) {
                perLabel[label, default: Scores()].add(
                    predicted: pair.predicted.contains(label) ? [label] : [], gold: pair.gold.contains(label) ? [label] : [])
            }
        }
        self.micro = micro
        self.perLabel = perLabel
    }
}

/// The tagger's predictions on a labelled set, and its scores.
public struct EvaluationReport: Sendable {
    public struct Outcome: Hashable, Sendable {
        public var passage: LabelledPassage
        public var predicted: [String]
        public var scores: [String: Double]
    }

    public var outcomes: [Outcome]

    /// Tags every passage on its own, as a paragraph in its labelled language.
    public init(tagger: Tagger, passages: [LabelledPassage]) {
        outcomes = passages.map { passage in
            let result = tagger.tag(
                passage: Passage(
                    text: passage.text, start: 0, end: passage.text.unicodeScalars.count, language: passage.lang))
            var scores: [String: Double] = [:]
            for tag in result.tags + result.nearMisses { scores[tag.competency] = tag.score }
            return Outcome(passage: passage, predicted: result.tags.map(\.competency), scores: scores)
        }
    }

    public func competencyLevel(language: Language? = nil) -> LevelReport {
        LevelReport(pairs: selected(language).map { (Set($0.predicted), Set($0.passage.labels)) })
    }

    public func domainLevel(language: Language? = nil) -> LevelReport {
        LevelReport(pairs: selected(language).map { (Set($0.predicted.map(Self.domain)), Set($0.passage.labels.map(Self.domain))) })
    }

    private func selected(_ language: Language?) -> [Outcome] {
        outcomes.filter { language == nil || $0.passage.lang == language }
    }

    /// `IS-3` → `IS`.
    static func domain(_ competency: String) -> String {
        String(competency.prefix { $0 != "-" })
    }
}
