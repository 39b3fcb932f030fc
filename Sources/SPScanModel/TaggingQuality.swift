import Foundation

/// The tagger's measured quality, as `make eval` last found it (Eval/quality.json): what the report's methods
/// section quotes, so that a reader of the figures knows how far to trust the tags behind them.
///
/// Every figure is on text the tagger was not fitted on, except `development`, which every fold fits on (a
/// floor, not a prediction) and is kept to show that tuning did not break what was already right.
public struct TaggingQuality: Sendable, Hashable, Codable {
    /// One labelled set held out of the fitting.
    public struct HeldOut: Sendable, Hashable, Codable {
        public var name: String
        public var passages: Int
        public var competencyPrecision: Double
        public var competencyRecall: Double
        public var competencyF1: Double
        public var competencyMacroF1: Double
        public var domainF1: Double
        /// Competency micro-F1 on the English and the French passages apart; nil where the set has none.
        public var englishF1: Double?
        public var frenchF1: Double?

        public init(
            name: String, passages: Int, competencyPrecision: Double, competencyRecall: Double, competencyF1: Double,
            competencyMacroF1: Double, domainF1: Double, englishF1: Double?, frenchF1: Double?
        ) {
            self.name = name
            self.passages = passages
            self.competencyPrecision = competencyPrecision
            self.competencyRecall = competencyRecall
            self.competencyF1 = competencyF1
            self.competencyMacroF1 = competencyMacroF1
            self.domainF1 = domainF1
            self.englishF1 = englishF1
            self.frenchF1 = frenchF1
        }
    }

    /// A count out of a total: real unrelated pages that got a tag, or that were judged in scope.
    public struct Share: Sendable, Hashable, Codable {
        public var count: Int
        public var of: Int

        public init(count: Int, of total: Int) {
            self.count = count
            of = total
        }

        public var percent: Double { of == 0 ? 0 : Double(count) / Double(of) * 100 }
    }

    public var measuredAt: Date
    public var frameworkID: String
    public var frameworkVersion: String
    public var heldOut: [HeldOut]
    /// Competency micro-F1 on the development passages, with their count.
    public var developmentF1: Double
    public var developmentPassages: Int
    /// Real unrelated web pages (screened WCXB articles) with any tag, and, of the half never used to tune the
    /// scope rule, those judged in scope (the ones whose tags would count).
    public var negativesTagged: Share
    public var negativesInScope: Share
    /// The same pages counting the tags withheld because the page is out of scope: what the words alone would
    /// claim, and so how much rests on the scope judgement. Nil in files written before it was measured.
    public var negativesByWordsAlone: Share?

    public init(
        measuredAt: Date, framework: Framework, heldOut: [HeldOut], developmentF1: Double, developmentPassages: Int,
        negativesTagged: Share, negativesInScope: Share, negativesByWordsAlone: Share? = nil
    ) {
        self.measuredAt = measuredAt
        frameworkID = framework.id
        frameworkVersion = framework.version
        self.heldOut = heldOut
        self.developmentF1 = developmentF1
        self.developmentPassages = developmentPassages
        self.negativesTagged = negativesTagged
        self.negativesInScope = negativesInScope
        self.negativesByWordsAlone = negativesByWordsAlone
    }

    /// The file `make eval` writes and the report reads, relative to the project folder.
    public static let fileName = "Eval/quality.json"

    /// Reads the file at `url`; nil when there is none. A file that cannot be read is an error: a report must not
    /// quietly drop its quality figures.
    public static func load(from url: URL) throws -> TaggingQuality? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONStyle.decoder().decode(TaggingQuality.self, from: try Data(contentsOf: url))
        } catch {
            throw TaggingQualityError.unreadable(path: url.path, reason: "\(error)")
        }
    }
}

public enum TaggingQualityError: Error, LocalizedError, Equatable {
    case unreadable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read the tagging quality figures in \(path) (\(reason)); run `make eval` to write it again, or delete it"
        }
    }
}
