/// Framework.yaml: the competency framework the corpus is tagged against. The framework is data: the engine
/// knows no competency by name.
public struct Framework: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var version: String
    public var domains: [Domain]
    /// The CASE CFDocument identifier (a lower-case UUID). Kept in Framework.yaml so that every export names the
    /// framework the same way and a CASE tool recognises a re-export as the same framework; derived from `id`
    /// when absent.
    public var uuid: String?
    /// Who promulgates the framework (CASE `creator`).
    public var creator: String?
    /// When the framework last changed (ISO 8601 date-time, CASE `lastChangeDateTime`). A file date, not the
    /// clock, so that two exports of the same file are byte-identical.
    public var lastChanged: String?
    /// What the field is, for judging whether a document belongs to it (`scope:`); nil counts every document.
    public var scope: ScopeVocabulary?

    public init(
        id: String, title: String, version: String, domains: [Domain], uuid: String? = nil, creator: String? = nil,
        lastChanged: String? = nil, scope: ScopeVocabulary? = nil
    ) {
        self.scope = scope
        self.id = id
        self.title = title
        self.version = version
        self.domains = domains
        self.uuid = uuid
        self.creator = creator
        self.lastChanged = lastChanged
    }

    public var competencies: [Competency] { domains.flatMap(\.competencies) }

    public func competency(id: String) -> Competency? {
        competencies.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }

    public func domain(id: String) -> Domain? {
        domains.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }

    /// The languages some competency has terms in, in `Language` order: only documents in these are tagged.
    public var vocabularyLanguages: [Language] {
        let used = Set(competencies.flatMap { competency in competency.terms.filter { !$0.value.isEmpty }.keys })
        return Language.vocabularyCases.filter(used.contains)
    }

    /// Whether a document in `language` can be tagged: the framework has terms in it, or the language could not
    /// be told (such text is read with the first vocabulary language, see `matchingLanguage(for:)`).
    public func hasVocabulary(for language: Language) -> Bool {
        language == .undetermined ? !vocabularyLanguages.isEmpty : vocabularyLanguages.contains(language)
    }

    /// The language whose terms are matched against text in `language`: itself, or for undetermined text
    /// (a heading, a short note) the framework's first vocabulary language.
    public func matchingLanguage(for language: Language) -> Language? {
        guard language == .undetermined else { return vocabularyLanguages.contains(language) ? language : nil }
        return vocabularyLanguages.first
    }
}

public struct Domain: Hashable, Sendable, Codable, Identifiable {
    /// A short upper-case code, e.g. `IS`; every competency id in the domain starts with it.
    public var id: String
    public var name: String
    public var nameFrench: String?
    public var description: String
    public var competencies: [Competency]
    /// The CASE CFItem identifier; see `Framework.uuid`.
    public var uuid: String?
    /// The code the framework's own authors use (CASE `humanCodingScheme`) when it is not `id`, e.g. `1.A`.
    public var code: String?

    public init(
        id: String, name: String, nameFrench: String? = nil, description: String, competencies: [Competency],
        uuid: String? = nil, code: String? = nil
    ) {
        self.id = id
        self.name = name
        self.nameFrench = nameFrench
        self.description = description
        self.competencies = competencies
        self.uuid = uuid
        self.code = code
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
    /// The CASE CFItem identifier; see `Framework.uuid`.
    public var uuid: String?
    /// The code the framework's own authors use (CASE `humanCodingScheme`) when it is not `id`.
    public var code: String?

    public init(
        id: String, domain: String, name: String, nameFrench: String? = nil, description: String,
        threshold: Double? = nil, terms: [Language: [Term]], exclusions: [Language: [Term]] = [:],
        uuid: String? = nil, code: String? = nil
    ) {
        self.id = id
        self.domain = domain
        self.name = name
        self.nameFrench = nameFrench
        self.description = description
        self.threshold = threshold
        self.terms = terms
        self.exclusions = exclusions
        self.uuid = uuid
        self.code = code
    }

    /// Whether the competency has any vocabulary; one imported from CASE has none until someone writes it.
    public var hasVocabulary: Bool { terms.values.contains { !$0.isEmpty } }
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
