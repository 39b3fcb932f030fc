/// Framework.yaml: the competency framework the corpus is tagged against. The framework is data: the engine
/// knows no competency by name.
public struct Framework: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var version: String
    public var domains: [Domain]

    public init(id: String, title: String, version: String, domains: [Domain]) {
        self.id = id
        self.title = title
        self.version = version
        self.domains = domains
    }

    public var competencies: [Competency] { domains.flatMap(\.competencies) }

    public func competency(id: String) -> Competency? {
        competencies.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }

    public func domain(id: String) -> Domain? {
        domains.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }
}

public struct Domain: Hashable, Sendable, Codable, Identifiable {
    /// A short upper-case code, e.g. `IS`; every competency id in the domain starts with it.
    public var id: String
    public var name: String
    public var nameFrench: String?
    public var description: String
    public var competencies: [Competency]

    public init(id: String, name: String, nameFrench: String? = nil, description: String, competencies: [Competency]) {
        self.id = id
        self.name = name
        self.nameFrench = nameFrench
        self.description = description
        self.competencies = competencies
    }
}

public struct Competency: Hashable, Sendable, Codable, Identifiable {
    /// `DOMAIN-N`, e.g. `IS-1`; stable, referred to by reviews, tests and exports.
    public var id: String
    public var domain: String
    public var name: String
    public var nameFrench: String?
    public var description: String
    /// Minimum document score (0...1) for a tag; the matcher's default applies when nil.
    public var threshold: Double?
    /// Terms and phrases that signal the competency, by language.
    public var terms: [Language: [Term]]
    /// Terms whose presence near a match cancels it (e.g. "fee", "registration"), by language.
    public var exclusions: [Language: [Term]]

    public init(
        id: String, domain: String, name: String, nameFrench: String? = nil, description: String,
        threshold: Double? = nil, terms: [Language: [Term]], exclusions: [Language: [Term]] = [:]
    ) {
        self.id = id
        self.domain = domain
        self.name = name
        self.nameFrench = nameFrench
        self.description = description
        self.threshold = threshold
        self.terms = terms
        self.exclusions = exclusions
    }
}

/// One entry of a competency's vocabulary: a word or phrase as a person writes it, with an optional weight.
public struct Term: Hashable, Sendable, Codable {
    public var text: String
    /// Relative strength of the signal; 1 is ordinary, 2 a phrase that alone justifies the tag.
    public var weight: Double

    public init(_ text: String, weight: Double = 1) {
        self.text = text
        self.weight = weight
    }
}
