import Foundation

/// One document of the corpus with its facets and its tags: what the coverage matrix, queries and reports are
/// built from. A source's own page is one document; each document it links to under follow rules is another,
/// inheriting the source's facets.
public struct TaggedDocument: Hashable, Sendable, Codable, Identifiable {
    /// Stable: the source id for the source's own page, `<source-id>~<8 hex digits>` for a linked document.
    public var id: String
    public var sourceID: String
    public var url: String
    public var title: String
    public var country: Country
    public var region: String?
    public var institution: String
    public var institutionType: InstitutionType
    public var kind: DocumentKind
    public var targetGroups: [TargetGroup]
    public var populations: [Population]
    public var language: Language
    /// Whether the snapshot tagged was captured from the web or is an authored sample.
    public var origin: SnapshotOrigin
    public var snapshotSHA256: String?
    public var fetchedAt: Date?
    /// Tags above threshold, best first, after human review decisions are applied.
    public var tags: [Tag]
    /// Whether the document counts in coverage: the scope judgement, or a person's decision over it. An
    /// out-of-scope document keeps its text and tags but is left out of every matrix, gap list, report and trend.
    public var inScope: Bool = true
    /// Why, in words (the scope judgement's reason, or "judged … by a reviewer").
    public var scopeReason: String?
    /// The passages where the field's terms were found (read only where a person looks at them).
    public var scopeEvidence: [Evidence] = []
    /// Whether `inScope` is a person's decision (Reviews.yaml) rather than the judgement.
    public var scopeReviewed = false

    public init(
        id: String, sourceID: String, url: String, title: String, country: Country, region: String? = nil,
        institution: String, institutionType: InstitutionType, kind: DocumentKind, targetGroups: [TargetGroup],
        populations: [Population] = [], language: Language = .english, origin: SnapshotOrigin = .capture,
        snapshotSHA256: String? = nil, fetchedAt: Date? = nil, tags: [Tag] = []
    ) {
        self.id = id
        self.sourceID = sourceID
        self.url = url
        self.title = title
        self.country = country
        self.region = region
        self.institution = institution
        self.institutionType = institutionType
        self.kind = kind
        self.targetGroups = targetGroups
        self.populations = populations
        self.language = language
        self.origin = origin
        self.snapshotSHA256 = snapshotSHA256
        self.fetchedAt = fetchedAt
        self.tags = tags
    }

    /// A document with the facets of its source.
    public init(
        id: String, source: Source, url: String, title: String? = nil, language: Language? = nil,
        origin: SnapshotOrigin = .capture, snapshotSHA256: String? = nil, fetchedAt: Date? = nil, tags: [Tag] = [],
        scope: ScopeJudgement? = nil
    ) {
        self.init(
            id: id, sourceID: source.id, url: url, title: title ?? source.title, country: source.country,
            region: source.region, institution: source.institution, institutionType: source.institutionType,
            kind: source.kind, targetGroups: source.targetGroups, populations: source.populations,
            language: language ?? source.language, origin: origin, snapshotSHA256: snapshotSHA256, fetchedAt: fetchedAt,
            tags: tags)
        if let scope {
            inScope = scope.inScope
            scopeReason = scope.reason
            scopeEvidence = scope.evidence
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, sourceID, url, title, country, region, institution, institutionType, kind, targetGroups, populations
        case language, origin, snapshotSHA256, fetchedAt, tags, inScope, scopeReason, scopeEvidence, scopeReviewed
    }

    /// Reads documents written before scope existed too: they count as in scope.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        sourceID = try container.decode(String.self, forKey: .sourceID)
        url = try container.decode(String.self, forKey: .url)
        title = try container.decode(String.self, forKey: .title)
        country = try container.decode(Country.self, forKey: .country)
        region = try container.decodeIfPresent(String.self, forKey: .region)
        institution = try container.decode(String.self, forKey: .institution)
        institutionType = try container.decode(InstitutionType.self, forKey: .institutionType)
        kind = try container.decode(DocumentKind.self, forKey: .kind)
        targetGroups = try container.decode([TargetGroup].self, forKey: .targetGroups)
        populations = try container.decodeIfPresent([Population].self, forKey: .populations) ?? []
        language = try container.decodeIfPresent(Language.self, forKey: .language) ?? .english
        origin = try container.decodeIfPresent(SnapshotOrigin.self, forKey: .origin) ?? .capture
        snapshotSHA256 = try container.decodeIfPresent(String.self, forKey: .snapshotSHA256)
        fetchedAt = try container.decodeIfPresent(Date.self, forKey: .fetchedAt)
        tags = try container.decodeIfPresent([Tag].self, forKey: .tags) ?? []
        inScope = try container.decodeIfPresent(Bool.self, forKey: .inScope) ?? true
        scopeReason = try container.decodeIfPresent(String.self, forKey: .scopeReason)
        scopeEvidence = try container.decodeIfPresent([Evidence].self, forKey: .scopeEvidence) ?? []
        scopeReviewed = try container.decodeIfPresent(Bool.self, forKey: .scopeReviewed) ?? false
    }
}

/// Counts the documents a coverage figure leaves out because they were judged out of scope.
public enum ScopeCount {
    /// "3 documents judged out of scope are left out: `spscan query --out-of-scope` lists them."
    public static func leftOutSentence(_ count: Int) -> String {
        let subject = count == 1 ? "1 document judged out of scope is" : "\(count) documents judged out of scope are"
        return "\(subject) left out: `spscan query --out-of-scope` lists them, `spscan review DOC --in-scope` counts one."
    }
}

public enum DocumentID {
    /// The id of a document within a source: the source id itself for depth 0, otherwise the source id and
    /// a short stable hash of the document's URL (FNV-1a, so that ids need no crypto library and never change).
    public static func make(sourceID: String, url: String, depth: Int) -> String {
        guard depth > 0 else { return sourceID }
        var hash: UInt32 = 2_166_136_261
        for byte in url.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return "\(sourceID)~" + String(format: "%08x", hash)
    }
}

/// A person's decision on a tag, kept in Reviews.yaml beside Sources.yaml; it overrides the tagger.
///
/// A decision on a document's scope is one too, on the reserved subject `scope` (no competency id looks like
/// it): `accept` puts the document in scope, `reject` out. Reviews.yaml writes it as `scope: in` or `scope: out`.
public struct ReviewDecision: Hashable, Sendable, Codable {
    /// The `competency` of a decision on scope.
    public static let scopeSubject = "scope"

    /// Whether this decides the document's scope rather than a tag.
    public var isScope: Bool { competency == Self.scopeSubject }

    public enum Verdict: String, Hashable, Sendable, Codable, CaseIterable {
        case accept
        case reject
    }

    public var documentID: String
    public var competency: String
    public var verdict: Verdict
    public var note: String?
    public var reviewer: String?
    public var decidedAt: Date

    public init(
        documentID: String, competency: String, verdict: Verdict, note: String? = nil, reviewer: String? = nil,
        decidedAt: Date
    ) {
        self.documentID = documentID
        self.competency = competency
        self.verdict = verdict
        self.note = note
        self.reviewer = reviewer
        self.decidedAt = decidedAt
    }
}
