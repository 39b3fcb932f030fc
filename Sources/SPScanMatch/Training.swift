import Foundation
import SPScanModel

/// How the model's features are valued, the same when fitting and when tagging.
enum LearnedFeatures {
    /// Each feature present counts 1 in a passage of up to 40 words and less in longer ones (by the square root
    /// of the length), so that a long passage is not evidence of everything merely by holding many words.
    @inline(__always)
    static func value(wordCount: Int) -> Double {
        (40 / Double(max(wordCount, 40))).squareRoot()
    }
}

/// Fits a `LearnedModel`: one logistic regression per competency over a passage's stems, stem pairs, negated
/// stems and the vocabulary's scores, on labelled passages and on passages of real pages that cover nothing.
///
/// Everything is deterministic (full-batch gradient steps, no random order), so the same data gives the same
/// file. The settings were chosen before looking at any held-out part and are written into docs/match.md.
public struct ModelTrainer {
    public struct Settings: Hashable, Sendable {
        /// L2 penalties tried; the one chosen is the best in a cross-validation inside the fitting data.
        public var l2Candidates = [0.003, 0.01, 0.03]
        /// Thresholds tried in the same cross-validation.
        public var thresholdCandidates = [0.3, 0.4, 0.5, 0.6, 0.7]
        /// Full-batch Adam steps per competency.
        public var steps = 200
        public var learningRate = 0.1
        /// How much more a labelled positive counts than a negative, at most (classes are very unequal).
        public var maximumPositiveWeight = 8.0
        /// A feature must occur in at least this many labelled passages to be learned.
        public var minimumCount = 2
        /// A feature or term on at least this share of the real negative pages is generic.
        public var genericAbove = 0.02
        /// Passages of each negative page used as negatives to fit on (all count for genericity).
        public var negativesPerPage = 4
        /// Weights smaller than this are left out of the file.
        public var smallestWeight = 0.01

        public init() {}
    }

    /// One labelled or negative sample, as features.
    struct Sample {
        var features: [Int]
        var value: Double
        var vocabulary: [Double]
        var labels: Set<Int>
        var labelled: Bool
    }

    struct FeatureKey: Hashable {
        var language: Language
        var kind: LearnedModel.Feature.Kind
        var first: Int32
        var second: Int32
    }

    public let framework: Framework
    public let options: TaggerOptions
    public var settings: Settings
    /// The penalty and threshold the last `train` chose, and their micro-F1 in its inner cross-validation.
    public private(set) var chosen: (l2: Double, threshold: Double, f1: Double)?

    public init(framework: Framework, options: TaggerOptions = .init(), settings: Settings = .init()) {
        var options = options
        options.model = nil
        self.framework = framework
        self.options = options
        self.settings = settings
    }

    /// Fits the model on `labelled` passages and on `negativePages` (real pages about something else entirely).
    /// With no labelled passages it measures only the genericity of the vocabulary's terms.
    public mutating func train(labelled: [LabelledPassage], negativePages: [[Passage]], trainedOn: [String]) throws(MatchError)
        -> LearnedModel
    {
        let base = try Tagger(framework: framework, options: options)
        let competencies = framework.competencies
        let competencyIndex = Dictionary(competencies.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })

        // 1. How generic each vocabulary term is: the share of negative pages that hold it.
        var termPages: [String: Int] = [:]
        for page in negativePages {
            let document = ExtractedDocument(title: nil, language: .english, format: .text, text: "", passages: page)
            for key in base.termKeys(in: document) { termPages[key, default: 0] += 1 }
        }
        let pageCount = Double(max(negativePages.count, 1))
        let termGenericity = termPages.mapValues { (Double($0) / pageCount).rounded(toPlaces: 4) }.filter { $0.value >= 0.002 }

        if labelled.isEmpty {
            // Genericity alone: the vocabulary decides, and the generic-term rule has its measured figures.
            return LearnedModel(
                trainedOn: trainedOn, competencies: [], bias: [], thresholds: [], vocabularyWeights: [],
                genericAbove: settings.genericAbove, termGenericity: termGenericity, features: [])
        }

        // 2. Features of every sample, with the vocabulary's scores (the generic-term rule already applied).
        let genericOnly = LearnedModel(
            trainedOn: [], competencies: [], bias: [], thresholds: [], vocabularyWeights: [],
            genericAbove: settings.genericAbove, termGenericity: termGenericity, features: [])
        var scanner = PassageScanner(
            lexicon: base.lexicon, options: options,
            model: CompiledModel(model: genericOnly, competencies: competencies, defaultThreshold: options.defaultThreshold))
        scanner.learnsStems = true
        var keys: [FeatureKey: Int] = [:]
        var keyList: [FeatureKey] = []
        func sample(_ passage: Passage, labels: Set<Int>, labelled: Bool) -> Sample {
            let scored = scanner.score(passage)
            var vocabulary = [Double](repeating: 0, count: competencies.count)
            for (competency, evidence) in scored.evidence { vocabulary[competency] = evidence.score }
            var features = Set<Int>()
            scanner.forEachFeature { kind, first, second, _, _ in
                let key = FeatureKey(language: passage.language, kind: kind, first: first, second: second)
                if let known = keys[key] {
                    features.insert(known)
                } else {
                    keys[key] = keyList.count
                    features.insert(keyList.count)
                    keyList.append(key)
                }
            }
            return Sample(
                features: features.sorted(), value: LearnedFeatures.value(wordCount: scanner.positions.count),
                vocabulary: vocabulary, labels: labels, labelled: labelled)
        }
        // The framework's own words are labelled data too: each competency's name and description cover it.
        var described: [LabelledPassage] = []
        for competency in competencies {
            let english = competency.name + ". " + competency.description
            described.append(LabelledPassage(id: competency.id, lang: .english, text: english, labels: [competency.id]))
            if let french = competency.nameFrench {
                described.append(LabelledPassage(id: competency.id, lang: .french, text: french, labels: [competency.id]))
            }
        }
        var samples: [Sample] = (labelled + described).map { passage in
            sample(
                Passage(text: passage.text, start: 0, end: passage.text.unicodeScalars.count, language: passage.lang),
                labels: Set(passage.labels.compactMap { competencyIndex[$0] }), labelled: true)
        }
        var featurePages = [Int](repeating: 0, count: 0)
        for page in negativePages {
            var onPage = Set<Int>()
            // Every passage counts for genericity; a few per page (spread over it) are negatives to fit on, so
            // that long pages do not outweigh the labelled passages.
            let body = page.filter { $0.role != .heading }
            let stride = max(1, body.count / max(settings.negativesPerPage, 1))
            for (index, passage) in body.enumerated() {
                let negative = sample(passage, labels: [], labelled: false)
                onPage.formUnion(negative.features)
                if settings.negativesPerPage > 0, index % stride == 0, negative.features.count >= 4 { samples.append(negative) }
            }
            if featurePages.count < keyList.count { featurePages += Array(repeating: 0, count: keyList.count - featurePages.count) }
            for feature in onPage { featurePages[feature] += 1 }
        }
        if featurePages.count < keyList.count { featurePages += Array(repeating: 0, count: keyList.count - featurePages.count) }

        // 3. Keep the features seen in enough labelled passages; renumber them.
        var labelledCount = [Int](repeating: 0, count: keyList.count)
        for sample in samples where sample.labelled { for feature in sample.features { labelledCount[feature] += 1 } }
        var kept: [Int: Int] = [:]
        var keptKeys: [FeatureKey] = []
        var keptOriginal: [Int] = []
        for (index, key) in keyList.enumerated() where labelledCount[index] >= settings.minimumCount {
            kept[index] = keptKeys.count
            keptKeys.append(key)
            keptOriginal.append(index)
        }
        for index in samples.indices { samples[index].features = samples[index].features.compactMap { kept[$0] } }

        // 4. The penalty and threshold, chosen by a two-way split of the fitting data (labelled passages by parity):
        //    fit on one half, predict the other, and keep the pair with the best micro-F1 on the labelled passages.
        let vocabularyCount = competencies.count
        let halves = [samples.indices.filter { $0 % 2 == 0 }, samples.indices.filter { $0 % 2 == 1 }]
        var best = (f1: -1.0, l2: settings.l2Candidates.first ?? 0.01, threshold: settings.thresholdCandidates.first ?? 0.5)
        for l2 in settings.l2Candidates {
            var predicted: [Int: [Double]] = [:]
            for (fitHalf, checkHalf) in [(0, 1), (1, 0)] {
                let fitSamples = halves[fitHalf].map { samples[$0] }
                for competency in competencies.indices {
                    let fitted = fit(fitSamples, competency: competency, features: keptKeys.count, vocabularyCount: vocabularyCount, l2: l2)
                    for index in halves[checkHalf] where samples[index].labelled {
                        predicted[index, default: Array(repeating: 0, count: competencies.count)][competency] =
                            Self.probability(samples[index], fitted, vocabularyCount: vocabularyCount)
                    }
                }
            }
            for threshold in settings.thresholdCandidates {
                var scores = Scores()
                for (index, probabilities) in predicted {
                    let chosen = Set(probabilities.indices.filter { probabilities[$0] >= threshold })
                    scores.add(predicted: Set(chosen.map { String($0) }), gold: Set(samples[index].labels.map { String($0) }))
                }
                if scores.f1 > best.f1 { best = (scores.f1, l2, threshold) }
            }
        }
        chosen = (best.l2, best.threshold, best.f1)

        // 5. One logistic regression per competency on all the fitting data.
        var bias: [Double] = []
        var vocabularyWeights: [[Double]] = []
        var featureWeights = [[String: Double]](repeating: [:], count: keptKeys.count)
        for competency in competencies.indices {
            let fitted = fit(samples, competency: competency, features: keptKeys.count, vocabularyCount: vocabularyCount, l2: best.l2)
            bias.append(fitted.bias.rounded(toPlaces: 4))
            vocabularyWeights.append(fitted.vocabulary.map { $0.rounded(toPlaces: 4) })
            for (feature, weight) in fitted.features.enumerated() where abs(weight) >= settings.smallestWeight {
                featureWeights[feature][competencies[competency].id] = weight.rounded(toPlaces: 4)
            }
        }

        // 5. Name the features by their stems.
        var stemNames: [Language: [String]] = [:]
        for (language, codes) in scanner.learnedStemCodes {
            var names = [String](repeating: "", count: codes.count)
            for (stem, code) in codes { names[Int(code)] = stem }
            stemNames[language] = names
        }
        var features: [LearnedModel.Feature] = []
        for (index, key) in keptKeys.enumerated() where !featureWeights[index].isEmpty {
            let names = stemNames[key.language] ?? []
            let stems = [key.first, key.second].filter { $0 >= 0 }.map { names[Int($0)] }
            let original = keptOriginal[index]
            features.append(
                LearnedModel.Feature(
                    language: key.language, kind: key.kind, stems: stems,
                    genericity: (Double(featurePages[original]) / pageCount).rounded(toPlaces: 4), weights: featureWeights[index]))
        }
        features.sort {
            ($0.language.rawValue, $0.kind.rawValue, $0.stems.joined(separator: " "))
                < ($1.language.rawValue, $1.kind.rawValue, $1.stems.joined(separator: " "))
        }
        return LearnedModel(
            trainedOn: trainedOn, competencies: competencies.map(\.id), bias: bias,
            thresholds: Array(repeating: best.threshold, count: competencies.count), vocabularyWeights: vocabularyWeights,
            genericAbove: settings.genericAbove, termGenericity: termGenericity, features: features)
    }

    typealias Fitted = (bias: Double, vocabulary: [Double], features: [Double])

    static func probability(_ sample: Sample, _ fitted: Fitted, vocabularyCount: Int) -> Double {
        var logit = fitted.bias
        for (index, value) in sample.vocabulary.enumerated() where value != 0 { logit += fitted.vocabulary[index] * value }
        for feature in sample.features { logit += fitted.features[feature] * sample.value }
        return 1 / (1 + exp(-logit))
    }

    /// Weighted logistic regression with an L2 penalty, by full-batch Adam steps.
    private func fit(_ samples: [Sample], competency: Int, features: Int, vocabularyCount: Int, l2: Double) -> Fitted {
        let positives = samples.filter { $0.labels.contains(competency) }.count
        let negatives = samples.count - positives
        let positiveWeight = positives == 0 ? 1 : min(settings.maximumPositiveWeight, Double(negatives) / Double(positives))
        let dimension = 1 + vocabularyCount + features
        var weights = [Double](repeating: 0, count: dimension)
        var first = [Double](repeating: 0, count: dimension)
        var second = [Double](repeating: 0, count: dimension)
        var gradient = [Double](repeating: 0, count: dimension)
        let totalWeight = samples.reduce(0.0) { $0 + ($1.labels.contains(competency) ? positiveWeight : 1) }
        let beta1 = 0.9
        let beta2 = 0.999
        for step in 1...settings.steps {
            for index in gradient.indices { gradient[index] = 0 }
            for sample in samples {
                let positive = sample.labels.contains(competency)
                var logit = weights[0]
                for (index, value) in sample.vocabulary.enumerated() where value != 0 { logit += weights[1 + index] * value }
                for feature in sample.features { logit += weights[1 + vocabularyCount + feature] * sample.value }
                let probability = 1 / (1 + exp(-logit))
                let error = (probability - (positive ? 1 : 0)) * (positive ? positiveWeight : 1) / totalWeight
                gradient[0] += error
                for (index, value) in sample.vocabulary.enumerated() where value != 0 { gradient[1 + index] += error * value }
                for feature in sample.features { gradient[1 + vocabularyCount + feature] += error * sample.value }
            }
            for index in 1..<dimension { gradient[index] += l2 * weights[index] }
            let correction1 = 1 - pow(beta1, Double(step))
            let correction2 = 1 - pow(beta2, Double(step))
            for index in 0..<dimension {
                first[index] = beta1 * first[index] + (1 - beta1) * gradient[index]
                second[index] = beta2 * second[index] + (1 - beta2) * gradient[index] * gradient[index]
                weights[index] -= settings.learningRate * (first[index] / correction1) / ((second[index] / correction2).squareRoot() + 1e-8)
            }
        }
        return (
            weights[0], Array(weights[1..<(1 + vocabularyCount)]), Array(weights[(1 + vocabularyCount)...])
        )
    }
}
