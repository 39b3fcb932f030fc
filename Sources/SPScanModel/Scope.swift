import Foundation

/// What the framework says its field is, for judging whether a document belongs to it: Framework.yaml's `scope:`.
///
/// A document is in scope when the body of its text (not only a title or a heading) speaks of the field with
/// enough weight (`threshold`: the sum of the weights of the scope terms found, each term counting less as it
/// repeats), or when it has evidence of at least `competencies` distinct competencies and some of the field's
/// words (`withTerms`): tags alone are not enough, since a page about cloud computing can hold "platform" and
/// "budget". The vocabulary is data, like the competencies' terms: the engine knows no field by name.
public struct ScopeVocabulary: Hashable, Sendable, Codable {
    public var description: String
    /// Terms and phrases of the field, by language, with weights as competency terms have.
    public var terms: [Language: [Term]]
    /// The scope evidence (weighted mentions in the body) that puts a document in scope.
    public var threshold: Double
    /// The number of distinct competencies tagged that puts a document in scope on their own.
    public var competencies: Int
    /// The weight of the field's terms that, with `competencies` competencies, puts a document in scope.
    public var withTerms: Double

    public static let defaultThreshold = 3.0
    public static let defaultCompetencies = 3
    public static let defaultWithTerms = 1.0

    public init(
        description: String = "", terms: [Language: [Term]], threshold: Double = ScopeVocabulary.defaultThreshold,
        competencies: Int = ScopeVocabulary.defaultCompetencies, withTerms: Double = ScopeVocabulary.defaultWithTerms
    ) {
        self.withTerms = withTerms
        self.description = description
        self.terms = terms
        self.threshold = threshold
        self.competencies = competencies
    }
}

/// Whether a document is about the framework's field, and the evidence a person can check.
public struct ScopeJudgement: Hashable, Sendable, Codable {
    public var inScope: Bool
    /// The judgement in words: the scope terms found and their weight, or the competencies with evidence, against
    /// what was needed.
    public var reason: String
    /// The weighted scope mentions in the body of the text.
    public var score: Double
    /// The competencies tagged, which count towards scope when there are enough of them.
    public var competencies: [String]
    /// The passages (at most three, strongest first) where scope terms were found, with the terms marked.
    public var evidence: [Evidence]

    public init(inScope: Bool, reason: String, score: Double = 0, competencies: [String] = [], evidence: [Evidence] = []) {
        self.inScope = inScope
        self.reason = reason
        self.score = score
        self.competencies = competencies
        self.evidence = evidence
    }

    /// For a framework without a `scope:` section: every document counts, as before scope existed.
    public static let unjudged = ScopeJudgement(
        inScope: true, reason: "not judged: the framework has no scope vocabulary, so every document counts")
}
