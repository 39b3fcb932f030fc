import Foundation
import SPScanModel

/// What the tagger learned from labelled passages: a linear model per competency over the stems, stem pairs and
/// negated stems of a passage, plus the framework vocabulary's own scores, so that a competency described in other
/// words is still found.
///
/// It is data, not code: `make model` (`spscan-eval train`) fits it on the labelled sets of `Eval/` and the
/// real pages of `Eval/wcxb-dev` that are never reported on, and writes `Framework.learned.json` beside
/// `Framework.yaml`. Every weight can be read there. Each feature also carries its **genericity**: the share of
/// real unrelated pages that contain it, so that the rule "one generic term alone never tags" uses measured
/// figures, not a guessed word list. Without the file, the tagger works from the vocabulary alone.
public struct LearnedModel: Hashable, Sendable, Codable {
    /// One n-gram feature: a stem, a pair of stems in one clause, or a stem under a negation.
    public struct Feature: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable {
            case stem
            case pair
            case negated
        }

        public var language: Language
        public var kind: Kind
        public var stems: [String]
        /// Share of the real negative pages (WCXB pages never reported on) that contain it.
        public var genericity: Double
        /// Competency id → weight; weights too small to matter are left out.
        public var weights: [String: Double]
    }

    public static let currentFormat = 1

    public var format: Int
    /// What the model was fitted on, for a person reading the file.
    public var trainedOn: [String]
    /// Competencies in the order of `bias`, `thresholds` and the rows of `vocabularyWeights`.
    public var competencies: [String]
    public var bias: [Double]
    /// A passage tags a competency when the model's probability reaches this.
    public var thresholds: [Double]
    /// `vocabularyWeights[c][v]`: how much the vocabulary's score for competency `v` counts towards `c`.
    public var vocabularyWeights: [[Double]]
    /// A feature found on at least this share of real unrelated pages is generic: alone it never tags.
    public var genericAbove: Double
    /// Share of the real negative pages that contain each vocabulary term (`language:stems`), for the same rule
    /// when the vocabulary decides alone.
    public var termGenericity: [String: Double]
    public var features: [Feature]

    enum CodingKeys: String, CodingKey {
        case format
        case trainedOn = "trained_on"
        case competencies
        case bias
        case thresholds
        case vocabularyWeights = "vocabulary_weights"
        case genericAbove = "generic_above"
        case termGenericity = "term_genericity"
        case features
    }

    public init(
        trainedOn: [String], competencies: [String], bias: [Double], thresholds: [Double], vocabularyWeights: [[Double]],
        genericAbove: Double, termGenericity: [String: Double], features: [Feature]
    ) {
        self.format = Self.currentFormat
        self.trainedOn = trainedOn
        self.competencies = competencies
        self.bias = bias
        self.thresholds = thresholds
        self.vocabularyWeights = vocabularyWeights
        self.genericAbove = genericAbove
        self.termGenericity = termGenericity
        self.features = features
    }

    /// The file that holds the model of a framework: `Framework.learned.json` beside `Framework.yaml`.
    public static func url(besideFramework framework: URL) -> URL {
        framework.deletingPathExtension().appendingPathExtension("learned.json")
    }

    /// The model beside a framework file, or nil when there is none (the tagger then uses the vocabulary alone).
    public static func load(besideFramework framework: URL) throws(MatchError) -> LearnedModel? {
        let url = url(besideFramework: framework)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try load(from: url)
    }

    public static func load(from url: URL) throws(MatchError) -> LearnedModel {
        let model: LearnedModel
        do {
            model = try JSONDecoder().decode(LearnedModel.self, from: try Data(contentsOf: url))
        } catch {
            throw .unreadableModel(path: url.path, reason: "\(error)")
        }
        guard model.format == currentFormat else {
            throw .unreadableModel(path: url.path, reason: "format \(model.format), this spscan reads \(currentFormat)")
        }
        let count = model.competencies.count
        guard model.bias.count == count, model.thresholds.count == count, model.vocabularyWeights.count == count,
            model.vocabularyWeights.allSatisfy({ $0.count == count })
        else {
            throw .unreadableModel(path: url.path, reason: "its competency lists have different lengths")
        }
        return model
    }

    /// The model as JSON with sorted keys and rounded weights: the same fit writes the same bytes.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// The model compiled for scoring: feature lookups by stem code, weights as flat rows.
struct CompiledModel: Sendable {
    struct LanguageTables: Sendable {
        /// Stem → code; every stem of every feature has one.
        var stemCodes: [String: Int32] = [:]
        /// Feature index of a stem alone, and of a negated stem, by code (-1: none).
        var stemFeature: [Int32] = []
        var negatedFeature: [Int32] = []
        /// Feature index of a pair of stem codes.
        var pairFeature: [UInt64: Int32] = [:]
        var stems: [String] = []
    }

    var languages: [Language: LanguageTables]
    /// Per feature: (lexicon competency index, weight) pairs.
    var featureWeights: [[(Int, Double)]]
    var featureGeneric: [Bool]
    var featureNames: [String]
    /// Per lexicon competency (nil when the model does not know it).
    var bias: [Double?]
    var thresholds: [Double]
    /// `vocabularyWeights[c]`: (lexicon competency index v, weight) pairs.
    var vocabularyWeights: [[(Int, Double)]]
    /// Lexicon statistics keys (`language:stems`) of generic terms.
    var genericTerms: Set<String>

    init(model: LearnedModel, competencies: [Competency], defaultThreshold: Double) {
        let index = Dictionary(competencies.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        bias = Array(repeating: nil, count: competencies.count)
        thresholds = Array(repeating: defaultThreshold, count: competencies.count)
        vocabularyWeights = Array(repeating: [], count: competencies.count)
        for (row, id) in model.competencies.enumerated() {
            guard let target = index[id] else { continue }
            bias[target] = model.bias[row]
            thresholds[target] = model.thresholds[row]
            for (column, other) in model.competencies.enumerated() {
                guard let source = index[other], model.vocabularyWeights[row][column] != 0 else { continue }
                vocabularyWeights[target].append((source, model.vocabularyWeights[row][column]))
            }
        }
        var languages: [Language: LanguageTables] = [:]
        featureWeights = []
        featureGeneric = []
        featureNames = []
        func code(_ stem: String, _ tables: inout LanguageTables) -> Int32 {
            if let known = tables.stemCodes[stem] { return known }
            let next = Int32(tables.stems.count)
            tables.stemCodes[stem] = next
            tables.stems.append(stem)
            tables.stemFeature.append(-1)
            tables.negatedFeature.append(-1)
            return next
        }
        for feature in model.features {
            var tables = languages[feature.language] ?? LanguageTables()
            let featureIndex = Int32(featureWeights.count)
            switch feature.kind {
            case .stem:
                guard feature.stems.count == 1 else { continue }
                tables.stemFeature[Int(code(feature.stems[0], &tables))] = featureIndex
            case .negated:
                guard feature.stems.count == 1 else { continue }
                tables.negatedFeature[Int(code(feature.stems[0], &tables))] = featureIndex
            case .pair:
                guard feature.stems.count == 2 else { continue }
                let first = code(feature.stems[0], &tables)
                let second = code(feature.stems[1], &tables)
                tables.pairFeature[Self.pairKey(first, second)] = featureIndex
            }
            languages[feature.language] = tables
            featureWeights.append(feature.weights.compactMap { id, weight in index[id].map { ($0, weight) } })
            featureGeneric.append(feature.genericity >= model.genericAbove)
            featureNames.append(feature.stems.joined(separator: " "))
        }
        self.languages = languages
        genericTerms = Set(model.termGenericity.filter { $0.value >= model.genericAbove }.keys)
    }

    @inline(__always)
    static func pairKey(_ first: Int32, _ second: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
    }
}
