import Foundation
import GRDB
import SPScanModel

// Row types, one per table, as GRDB teaches: Codable structs whose `Columns` enums name the columns that
// queries filter and sort on. They stay internal: the public API speaks in model values and result types.

struct ScanRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "scan"
    var id: Int64?
    var startedAt: Date
    var finishedAt: Date?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let startedAt = Column(CodingKeys.startedAt)
        static let finishedAt = Column(CodingKeys.finishedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

struct SourceRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "source"
    var id: String
    var url: String
    var title: String
    var country: String
    var region: String?
    var institution: String
    var institutionType: String
    var kind: String
    var targetGroups: String
    var populations: String
    var language: String

    enum Columns {
        static let id = Column(CodingKeys.id)
    }

    init(_ source: Source) {
        id = source.id
        url = source.url.absoluteString
        title = source.title
        country = source.country.rawValue
        region = source.region
        institution = source.institution
        institutionType = source.institutionType.rawValue
        kind = source.kind.rawValue
        targetGroups = FacetList.encode(source.targetGroups)
        populations = FacetList.encode(source.populations)
        language = source.language.rawValue
    }
}

struct DocumentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "document"
    var id: String
    var sourceID: String
    var url: String
    var title: String
    var country: String
    var region: String?
    var institution: String
    var institutionType: String
    var kind: String
    var targetGroups: String
    var populations: String
    var language: String
    var origin: String
    var snapshotSHA256: String?
    var fetchedAt: Date?
    var textHash: String
    var passageCount: Int
    var firstScanID: Int64?
    var lastChangedScanID: Int64?
    var isGone: Bool
    var inScope: Bool
    var scopeReason: String?
    var scopeEvidence: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let sourceID = Column(CodingKeys.sourceID)
        static let url = Column(CodingKeys.url)
        static let country = Column(CodingKeys.country)
        static let region = Column(CodingKeys.region)
        static let institution = Column(CodingKeys.institution)
        static let institutionType = Column(CodingKeys.institutionType)
        static let kind = Column(CodingKeys.kind)
        static let textHash = Column(CodingKeys.textHash)
    }

    /// The facets of a tagged document, as stored; tags live in their own table.
    var facets: TaggedDocument? {
        guard let country = Country(rawValue: country), let institutionType = InstitutionType(rawValue: institutionType),
            let kind = DocumentKind(rawValue: kind)
        else { return nil }
        var document = TaggedDocument(
            id: id, sourceID: sourceID, url: url, title: title, country: country, region: region,
            institution: institution, institutionType: institutionType, kind: kind,
            targetGroups: FacetList.decode(targetGroups), populations: FacetList.decode(populations),
            language: Language(rawValue: language) ?? .english, origin: SnapshotOrigin(rawValue: origin) ?? .capture,
            snapshotSHA256: snapshotSHA256, fetchedAt: fetchedAt)
        document.applyScope(judged: inScope, verdict: nil, reason: scopeReason, evidence: scopeEvidence, decodeEvidence: true)
        return document
    }
}

struct PassageRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "passage"
    var id: Int64?
    var documentID: String
    var position: Int
    var text: String
    var heading: String
    var page: Int?
    var startOffset: Int
    var endOffset: Int
    var language: String
    var role: String

    enum Columns {
        static let documentID = Column(CodingKeys.documentID)
        static let position = Column(CodingKeys.position)
    }
}

struct TagRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "tag"
    var documentID: String
    var competency: String
    var domain: String
    var score: Double
    /// The position of the tag's best evidence (the first of the best-scoring); nil when it has none.
    var bestPosition: Int?

    /// The joins that reach a tag's best evidence from the tag under the alias `t`: the evidence row as `be`, its
    /// passage as `bp`. `bestSelection` reads them.
    static let bestJoins = """
        LEFT JOIN evidence be ON be.documentID = t.documentID AND be.competency = t.competency AND be.position = t.bestPosition
        LEFT JOIN passage bp ON bp.id = be.passageID
        """

    /// The best evidence columns, through `bestJoins`, in the order `EvidenceRecord.evidence(in:from:)` reads.
    static let bestSelection = EvidenceRecord.select("be", passage: "bp")

    enum Columns {
        static let documentID = Column(CodingKeys.documentID)
        static let competency = Column(CodingKeys.competency)
        static let score = Column(CodingKeys.score)
    }
}

/// One evidence row: a tag's reason, naming the passage it quotes (`passageID`), with the terms and spans found
/// in it. Evidence that quotes no stored passage holds the passage's values itself (text, heading, page,
/// offsets), which are NULL otherwise.
struct EvidenceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "evidence"
    var documentID: String
    var competency: String
    var position: Int
    var passageID: Int64?
    var text: String?
    var heading: String?
    var page: Int?
    var startOffset: Int?
    var endOffset: Int?
    var score: Double
    /// Terms joined by the ASCII unit separator, which no term contains.
    var terms: String
    /// Spans as `start␟end␟term` records joined by the ASCII record separator.
    var spans: String

    enum Columns {
        static let documentID = Column(CodingKeys.documentID)
        static let competency = Column(CodingKeys.competency)
        static let position = Column(CodingKeys.position)
    }

    /// The join that reaches the passage of the evidence under `alias`, as `passage`.
    static func passageJoin(_ alias: String, passage: String) -> String {
        "LEFT JOIN passage \(passage) ON \(passage).id = \(alias).passageID"
    }

    /// The evidence columns a read selects under `alias`, with its passage (joined by `passageJoin`) under
    /// `passage`: the passage's values, or the evidence's own copy when it quotes no stored passage.
    /// `evidence(in:from:)` reads them back by position, because looking columns up by name costs more than
    /// decoding them when a read returns 100,000 rows.
    static func select(_ alias: String, passage: String) -> String {
        """
        CASE WHEN \(alias).passageID IS NULL THEN \(alias).text ELSE \(passage).text END, \
        CASE WHEN \(alias).passageID IS NULL THEN \(alias).heading ELSE \(passage).heading END, \
        CASE WHEN \(alias).passageID IS NULL THEN \(alias).page ELSE \(passage).page END, \
        CASE WHEN \(alias).passageID IS NULL THEN \(alias).startOffset ELSE \(passage).startOffset END, \
        CASE WHEN \(alias).passageID IS NULL THEN \(alias).endOffset ELSE \(passage).endOffset END, \
        \(alias).score, \(alias).terms, \(alias).spans
        """
    }

    static let nullSelection = "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"

    /// The evidence selected by `select` starting at column `offset`, nil when the row has none.
    static func evidence(in row: Row, from offset: Int) -> Evidence? {
        guard let text: String = row[offset] else { return nil }
        return Evidence(
            text: text, start: row[offset + 3], end: row[offset + 4], heading: row[offset + 1], page: row[offset + 2],
            terms: EvidenceCodec.terms(row[offset + 6]), spans: EvidenceCodec.spans(row[offset + 7]), score: row[offset + 5])
    }
}

extension DocumentRecord {
    /// The facet columns of the document table under the alias `d`, read back by `facets(in:from:)` by position.
    /// The scope columns read with them: whether the document is in scope (a person's decision first), whether
    /// that is a decision, why, and the evidence (JSON, decoded only for a document out of scope).
    static let facetSelection = """
        d.id, d.sourceID, d.url, d.title, d.country, d.region, d.institution, d.institutionType, d.kind, d.targetGroups, \
        d.populations, d.language, d.origin, d.snapshotSHA256, d.fetchedAt, \
        COALESCE((SELECT r.verdict = 'accept' FROM review r WHERE r.documentID = d.id AND r.competency = 'scope'), d.inScope), \
        (SELECT r.verdict FROM review r WHERE r.documentID = d.id AND r.competency = 'scope'), d.scopeReason, d.scopeEvidence
        """
    static let facetColumnCount = 19

    static func facets(in row: Row, from offset: Int = 0) -> TaggedDocument? {
        guard let country = Country(rawValue: row[offset + 4]),
            let institutionType = InstitutionType(rawValue: row[offset + 7]),
            let kind = DocumentKind(rawValue: row[offset + 8])
        else { return nil }
        var document = TaggedDocument(
            id: row[offset], sourceID: row[offset + 1], url: row[offset + 2], title: row[offset + 3], country: country,
            region: row[offset + 5], institution: row[offset + 6], institutionType: institutionType, kind: kind,
            targetGroups: FacetList.decode(row[offset + 9]), populations: FacetList.decode(row[offset + 10]),
            language: Language(rawValue: row[offset + 11]) ?? .english,
            origin: SnapshotOrigin(rawValue: row[offset + 12]) ?? .capture, snapshotSHA256: row[offset + 13],
            fetchedAt: row[offset + 14])
        document.applyScope(
            judged: row[offset + 15], verdict: row[offset + 16], reason: row[offset + 17], evidence: row[offset + 18],
            decodeEvidence: false)
        return document
    }
}

struct ReviewRecord: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "review"
    var documentID: String
    var competency: String
    var verdict: String
    var note: String?
    var reviewer: String?
    var decidedAt: Date

    enum Columns {
        static let documentID = Column(CodingKeys.documentID)
        static let competency = Column(CodingKeys.competency)
        static let verdict = Column(CodingKeys.verdict)
    }

    init(_ decision: ReviewDecision) {
        documentID = decision.documentID
        competency = decision.competency
        verdict = decision.verdict.rawValue
        note = decision.note
        reviewer = decision.reviewer
        decidedAt = decision.decidedAt
    }

    var decision: ReviewDecision? {
        guard let verdict = ReviewDecision.Verdict(rawValue: verdict) else { return nil }
        return ReviewDecision(
            documentID: documentID, competency: competency, verdict: verdict, note: note, reviewer: reviewer,
            decidedAt: decidedAt)
    }
}

struct DocumentVersionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "documentVersion"
    var documentID: String
    var scanID: Int64
    var snapshotSHA256: String?
    var textHash: String
    var fetchedAt: Date?
    var passageCount: Int

    enum Columns {
        static let documentID = Column(CodingKeys.documentID)
        static let scanID = Column(CodingKeys.scanID)
    }
}

struct FetchOutcomeRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "fetchOutcome"
    var id: Int64?
    var scanID: Int64
    var sourceID: String
    var url: String
    var documentID: String?
    var outcome: String
    var httpStatus: Int?
    var error: String?

    enum Columns {
        static let scanID = Column(CodingKeys.scanID)
        static let outcome = Column(CodingKeys.outcome)
        static let documentID = Column(CodingKeys.documentID)
    }
}

struct DocumentEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "documentEvent"
    var id: Int64?
    var scanID: Int64
    var documentID: String
    var sourceID: String
    var url: String
    var title: String
    var change: String
    var detail: String?

    enum Columns {
        static let scanID = Column(CodingKeys.scanID)
    }
}

struct PassageEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "passageEvent"
    var id: Int64?
    var scanID: Int64
    var documentID: String
    var change: String
    var heading: String
    var text: String

    enum Columns {
        static let scanID = Column(CodingKeys.scanID)
    }
}

struct TagEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "tagEvent"
    var id: Int64?
    var scanID: Int64
    var documentID: String
    var competency: String
    var change: String
    var scoreBefore: Double?
    var scoreAfter: Double?

    enum Columns {
        static let scanID = Column(CodingKeys.scanID)
    }
}

/// Facet lists stored as comma-separated raw values: raw values never contain commas, and reading them back
/// needs no JSON decoder on the hot path of `taggedDocuments`.
enum FacetList {
    static func encode<T: RawRepresentable>(_ values: [T]) -> String where T.RawValue == String {
        values.map(\.rawValue).joined(separator: ",")
    }

    static func decode<T: RawRepresentable>(_ text: String) -> [T] where T.RawValue == String {
        text.utf8.split(separator: UInt8(ascii: ",")).compactMap { T(rawValue: String(Substring($0))) }
    }
}
