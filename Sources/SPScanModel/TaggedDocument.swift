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
        origin: SnapshotOrigin = .capture, snapshotSHA256: String? = nil, fetchedAt: Date? = nil, tags: [Tag] = []
    ) {
        self.init(
            id: id, sourceID: source.id, url: url, title: title ?? source.title, country: source.country,
            region: source.region, institution: source.institution, institutionType: source.institutionType,
            kind: source.kind, targetGroups: source.targetGroups, populations: source.populations,
            language: language ?? source.language, origin: origin, snapshotSHA256: snapshotSHA256, fetchedAt: fetchedAt,
            tags: tags)
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
public struct ReviewDecision: Hashable, Sendable, Codable {
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
