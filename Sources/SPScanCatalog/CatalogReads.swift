import Foundation
import GRDB
import SPScanModel

/// How much evidence `taggedDocuments` decodes: the matrix needs none, a listing the best passage per tag,
/// the report all of it. Decoding is most of the cost of reading a large catalog.
public enum EvidenceDetail: Sendable {
    case none
    case best
    case all
}

/// One document that covers a competency, as `spscan query` lists it.
public struct QueryHit: Hashable, Sendable, Codable {
    public var documentID: String
    public var sourceID: String
    public var title: String
    public var url: String
    public var institution: String
    public var institutionType: InstitutionType
    public var country: Country
    public var region: String?
    public var targetGroups: [TargetGroup]
    public var kind: DocumentKind
    public var competency: String
    /// The tag's score, 0...1; 1 for a tag a reviewer added.
    public var score: Double
    /// The passage that best supports the tag; nil for a reviewer's tag the tagger did not find.
    public var evidence: Evidence?
    /// The reviewer's decision when the tag was accepted by a person.
    public var review: ReviewDecision.Verdict?
    /// Whether the document counts in coverage; `spscan query` lists the others only when asked.
    public var inScope: Bool
    /// Why the document is in or out of scope.
    public var scopeReason: String?

    enum CodingKeys: String, CodingKey {
        case documentID, sourceID, title, url, institution, institutionType, country, region, targetGroups, kind, competency
        case score, evidence, review, inScope, scopeReason
    }

    /// Reads answers written before scope existed too: their documents count as in scope.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        documentID = try container.decode(String.self, forKey: .documentID)
        sourceID = try container.decode(String.self, forKey: .sourceID)
        title = try container.decode(String.self, forKey: .title)
        url = try container.decode(String.self, forKey: .url)
        institution = try container.decode(String.self, forKey: .institution)
        institutionType = try container.decode(InstitutionType.self, forKey: .institutionType)
        country = try container.decode(Country.self, forKey: .country)
        region = try container.decodeIfPresent(String.self, forKey: .region)
        targetGroups = try container.decode([TargetGroup].self, forKey: .targetGroups)
        kind = try container.decode(DocumentKind.self, forKey: .kind)
        competency = try container.decode(String.self, forKey: .competency)
        score = try container.decode(Double.self, forKey: .score)
        evidence = try container.decodeIfPresent(Evidence.self, forKey: .evidence)
        review = try container.decodeIfPresent(ReviewDecision.Verdict.self, forKey: .review)
        inScope = try container.decodeIfPresent(Bool.self, forKey: .inScope) ?? true
        scopeReason = try container.decodeIfPresent(String.self, forKey: .scopeReason)
    }

    public init(
        documentID: String, sourceID: String, title: String, url: String, institution: String,
        institutionType: InstitutionType, country: Country, region: String?, targetGroups: [TargetGroup], kind: DocumentKind,
        competency: String, score: Double, evidence: Evidence?, review: ReviewDecision.Verdict?, inScope: Bool = true,
        scopeReason: String? = nil
    ) {
        self.documentID = documentID
        self.sourceID = sourceID
        self.title = title
        self.url = url
        self.institution = institution
        self.institutionType = institutionType
        self.country = country
        self.region = region
        self.targetGroups = targetGroups
        self.kind = kind
        self.competency = competency
        self.score = score
        self.evidence = evidence
        self.review = review
        self.inScope = inScope
        self.scopeReason = scopeReason
    }
}

/// Which documents a query lists by their scope judgement.
public enum ScopeSelection: Sendable, Hashable {
    /// Those that count in coverage: what `spscan query` lists by default.
    case inScope
    /// Those judged (or put) out of scope.
    case outOfScope
    case all
}

/// One page of a query's hits, with the counts a listing states.
public struct QueryPage: Hashable, Sendable {
    /// The page's hits, best first.
    public var hits: [QueryHit]
    /// The hits of the scope selection on every page.
    public var total: Int
    /// The hits the scope selection leaves out: documents that cover the competency under the filter but are
    /// on the other side of the scope judgement (0 for `.all`).
    public var leftOut: Int

    public init(hits: [QueryHit], total: Int, leftOut: Int) {
        self.hits = hits
        self.total = total
        self.leftOut = leftOut
    }
}

/// One passage found by full-text search.
public struct SearchHit: Hashable, Sendable, Codable {
    /// The marks SQLite puts around matched words in a snippet: private-use characters, which no extracted
    /// text holds, turned into `highlights` before a hit leaves the catalog.
    static let highlightStart: Unicode.Scalar = "\u{E000}"
    static let highlightEnd: Unicode.Scalar = "\u{E001}"

    public var documentID: String
    public var title: String
    public var institution: String
    public var country: Country
    public var url: String
    public var heading: String
    public var page: Int?
    /// Offsets of the passage in the document's extracted text.
    public var start: Int
    public var end: Int
    /// A short excerpt around the matches, plain text (`…` where it was cut).
    public var snippet: String
    /// The matched words in `snippet`, as offsets in Unicode scalars.
    public var highlights: [Highlight]
    /// BM25 relevance (larger is better).
    public var relevance: Double
}

/// One recorded scan and what it did.
public struct ScanSummary: Hashable, Sendable, Codable {
    public var id: ScanID
    public var startedAt: Date
    public var finishedAt: Date?
    /// Fetch outcomes by name (`new`, `unchanged`, `failed`, ...), as recorded.
    public var outcomes: [String: Int]
    public var newDocuments: Int
    public var changedDocuments: Int
}

/// A document's history: the versions of its text and every fetch of its URL.
public struct DocumentDetail: Hashable, Sendable, Codable {
    public struct Version: Hashable, Sendable, Codable {
        public var scan: ScanID
        public var scanStartedAt: Date?
        public var snapshotSHA256: String?
        public var textHash: String
        public var fetchedAt: Date?
        public var passageCount: Int
    }

    public struct Fetch: Hashable, Sendable, Codable {
        public var scan: ScanID
        public var scanStartedAt: Date?
        public var url: String
        public var outcome: FetchOutcome?
        public var httpStatus: Int?
        public var error: String?
    }

    /// The document with its tags, review decisions applied.
    public var document: TaggedDocument
    public var passageCount: Int
    public var isGone: Bool
    public var versions: [Version]
    public var fetches: [Fetch]
    public var reviews: [ReviewDecision]
    /// `text`, or why the document has no ordinary text: `empty` (none at all) or `ocr` (read from page images).
    public var extractionOutcome: String = "text"
    /// The reason for an outcome other than `text`, for a person.
    public var extractionReason: String?
}

/// What the catalog holds for a document: enough for a scan to skip extracting and tagging a snapshot it has
/// already indexed.
public struct IndexedVersion: Hashable, Sendable, Codable {
    public var documentID: String
    public var snapshotSHA256: String?
    public var textHash: String
    public var fetchedAt: Date?
}

/// Counts for a summary line.
public struct CatalogSummary: Hashable, Sendable, Codable {
    public var sources: Int
    public var documents: Int
    public var passages: Int
    public var tags: Int
    public var scans: Int
}

extension CatalogDatabase {
    /// Every document the filter admits, with its tags best first, after review decisions: a rejected tag is
    /// removed; an accepted tag the tagger missed is added with a score of 1 and no evidence.
    ///
    /// This is the input of the coverage matrix and the report. Documents come in id order and tags by score
    /// then competency, so that the same catalog always gives the same output.
    public func taggedDocuments(filter: DocumentFilter = .all, evidence: EvidenceDetail = .all) throws -> [TaggedDocument] {
        try read("read tagged documents") { db in
            let condition = filter.condition(on: "d")
            var documents: [TaggedDocument] = []
            let documentRows = try Row.fetchCursor(
                db, request("SELECT \(sql: DocumentRecord.facetSelection) FROM document d WHERE \(condition) ORDER BY d.id"))
            while let row = try documentRows.next() {
                if let document = DocumentRecord.facets(in: row) { documents.append(document) }
            }
            // The scope evidence of the documents out of scope, the only ones whose evidence a reader shows.
            let outside = documents.indices.filter { !documents[$0].inScope }
            let scopeEvidence = try Self.scopeEvidence(db, of: outside.map { documents[$0].id })
            for index in outside { documents[index].scopeEvidence = scopeEvidence[documents[index].id] ?? [] }
            let bestColumns = evidence == .best ? TagRecord.bestSelection : EvidenceRecord.nullSelection
            let bestJoins = evidence == .best ? TagRecord.bestJoins : ""
            var allEvidence: [String: [Evidence]] = [:]
            if evidence == .all {
                let rows = try Row.fetchCursor(
                    db,
                    request(
                        """
                        SELECT e.documentID, e.competency, \(sql: EvidenceRecord.select("e", passage: "p"))
                        FROM evidence e JOIN document d ON d.id = e.documentID \(sql: EvidenceRecord.passageJoin("e", passage: "p"))
                        WHERE \(condition) ORDER BY e.documentID, e.competency, e.position
                        """))
                while let row = try rows.next() {
                    if let item = EvidenceRecord.evidence(in: row, from: 2) {
                        allEvidence["\(row[0] as String)\u{0}\(row[1] as String)", default: []].append(item)
                    }
                }
            }
            var tagsByDocument: [String: [Tag]] = [:]
            let rows = try Row.fetchCursor(
                db,
                request(
                    """
                    SELECT t.documentID, t.competency, t.domain, t.score, \(sql: bestColumns)
                    FROM tag t JOIN document d ON d.id = t.documentID \(sql: bestJoins)
                    WHERE \(condition)
                    """))
            while let row = try rows.next() {
                let documentID: String = row[0]
                let competency: String = row[1]
                let items: [Evidence] =
                    switch evidence {
                    case .none: []
                    case .best: EvidenceRecord.evidence(in: row, from: 4).map { [$0] } ?? []
                    case .all: allEvidence["\(documentID)\u{0}\(competency)"] ?? []
                    }
                tagsByDocument[documentID, default: []].append(
                    Tag(competency: competency, domain: row[2], score: row[3], evidence: items))
            }
            let reviews = try reviewsByDocument(db)
            for index in documents.indices {
                let id = documents[index].id
                documents[index].tags = ReviewOverlay.apply(reviews[id] ?? [], to: tagsByDocument[id] ?? [])
            }
            return documents
        }
    }

    /// The documents that cover a competency, best first (score, then document id), reviews applied.
    public func query(competency: String, filter: DocumentFilter = .all) throws -> [QueryHit] {
        try query(competency: competency, filter: filter, scope: .all, limit: nil).hits
    }

    /// One page of the documents that cover a competency, best first (score, then document id), reviews applied,
    /// with the number of hits on every page.
    ///
    /// Filtering, the scope selection, sorting and the page's bounds are all SQL: the hits are ranked on the tag
    /// table's `(competency, score DESC, documentID)` index without reading their documents, and only the page's
    /// rows are joined to their facets and best evidence and decoded. At 100,000 documents a popular competency
    /// has thousands of hits, and decoding all of them was most of a query's time.
    public func query(
        competency: String, filter: DocumentFilter = .all, scope: ScopeSelection, limit: Int?, offset: Int = 0
    ) throws -> QueryPage {
        try read("query \(competency)") { db in
            let condition = filter.condition(on: "d")
            // Whether the document counts in coverage: a person's decision on its scope first, then the judgement.
            let inScope: SQL = """
                COALESCE((SELECT s.verdict = 'accept' FROM review s WHERE s.documentID = d.id AND s.competency = 'scope'),
                    d.inScope)
                """
            let hits: SQL = """
                hit(documentID, tagScore, verdict, bestPosition, inScope) AS (
                    SELECT t.documentID, t.score, r.verdict, t.bestPosition, \(inScope)
                    FROM tag t
                    JOIN document d ON d.id = t.documentID
                    LEFT JOIN review r ON r.documentID = t.documentID AND r.competency = t.competency
                    WHERE t.competency = \(competency) AND (r.verdict IS NULL OR r.verdict <> 'reject') AND \(condition)
                    UNION ALL
                    SELECT r.documentID, 1.0, r.verdict, NULL, \(inScope)
                    FROM review r
                    JOIN document d ON d.id = r.documentID
                    WHERE r.competency = \(competency) AND r.verdict = 'accept'
                      AND NOT EXISTS (SELECT 1 FROM tag t WHERE t.documentID = r.documentID AND t.competency = r.competency)
                      AND \(condition))
                """
            let selected: SQL =
                switch scope {
                case .all: "1"
                case .inScope: "inScope"
                case .outOfScope: "NOT inScope"
                }
            // Every hit asked for: one pass reads them all and counts the scope selection as it goes, where a
            // separate count would look every hit's document up a second time.
            let everything = limit == nil
            var total = 0
            var inScopeCount = 0
            var counted = false
            let bounds: SQL = if let limit { "LIMIT \(max(0, limit)) OFFSET \(max(0, offset))" } else { "" }
            // A page carries the counts of every hit on each of its rows (window aggregates over the hits), so that
            // one pass over the hits both counts them and ranks the page.
            let page = SQL(
                """
                WITH \(hits),
                counted AS (SELECT *, COUNT(*) OVER () AS hitCount, TOTAL(inScope) OVER () AS inScopeHits FROM hit),
                page AS (SELECT * FROM counted WHERE \(everything ? "1" : selected) ORDER BY tagScore DESC, documentID \(bounds))
                SELECT \(sql: DocumentRecord.facetSelection), h.tagScore, h.verdict, \(sql: EvidenceRecord.select("be", passage: "bp")),
                    h.hitCount, h.inScopeHits
                FROM page h
                JOIN document d ON d.id = h.documentID
                LEFT JOIN evidence be ON be.documentID = h.documentID AND be.competency = \(competency)
                    AND be.position = h.bestPosition
                \(sql: EvidenceRecord.passageJoin("be", passage: "bp"))
                ORDER BY h.tagScore DESC, h.documentID
                """)
            // A cursor decodes each row in place, without copying it first.
            var result: [QueryHit] = []
            let rows = try Row.fetchCursor(db, request(page))
            let base = DocumentRecord.facetColumnCount
            while let row = try rows.next() {
                if !counted {
                    (total, inScopeCount, counted) = (row[base + 10], Int(row[base + 11] as Double), true)
                }
                guard let document = DocumentRecord.facets(in: row) else { continue }
                let verdict: String? = row[base + 1]
                result.append(
                    QueryHit(
                        documentID: document.id, sourceID: document.sourceID, title: document.title, url: document.url,
                        institution: document.institution, institutionType: document.institutionType,
                        country: document.country, region: document.region, targetGroups: document.targetGroups,
                        kind: document.kind, competency: competency, score: row[base],
                        evidence: EvidenceRecord.evidence(in: row, from: base + 2),
                        review: verdict.flatMap(ReviewDecision.Verdict.init(rawValue:)), inScope: document.inScope,
                        scopeReason: document.scopeReason))
            }
            if !everything, !counted {
                // An empty page (past the last hit, or no hit on this side of scope) carries no counts.
                let counts = try Row.fetchOne(db, request("WITH \(hits) SELECT COUNT(*), TOTAL(inScope) FROM hit"))
                total = counts?[0] ?? 0
                inScopeCount = Int(counts?[1] ?? 0.0)
            }
            if everything {
                total = result.count
                inScopeCount = result.count { $0.inScope }
                switch scope {
                case .all: break
                case .inScope: result.removeAll { !$0.inScope }
                case .outOfScope: result.removeAll(where: \.inScope)
                }
                result = Array(result.dropFirst(max(0, offset)))
            }
            let matching =
                switch scope {
                case .all: total
                case .inScope: inScopeCount
                case .outOfScope: total - inScopeCount
                }
            return QueryPage(hits: result, total: matching, leftOut: total - matching)
        }
    }

    /// Full-text search over passages, most relevant first, with highlighted snippets.
    ///
    /// The user's words go through `FTS5Pattern`, never into the query text: words are all required, in any
    /// order; text in double quotes is a phrase. Porter stemming and accent folding apply to both sides, so
    /// "interviews" finds "interviewing" and "evaluation" finds "évaluation".
    public func search(text: String, filter: DocumentFilter = .all, limit: Int = 20) throws -> [SearchHit] {
        try search(text: text, filter: filter, limit: limit, manyMatches: Self.manyMatches)
    }

    /// `search`, with the number of matches above which a filtered search ranks only the admitted ones: tests
    /// set it to 0 and to `Int.max` to check that both ways give the same hits.
    func search(text: String, filter: DocumentFilter, limit: Int, manyMatches: Int) throws -> [SearchHit] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let isPhrase = trimmed.count > 2 && trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"")
        let pattern =
            isPhrase
            ? FTS5Pattern(matchingPhrase: String(trimmed.dropFirst().dropLast()))
            : FTS5Pattern(matchingAllTokensIn: trimmed)
        guard let pattern else { throw CatalogError.emptySearch(text) }
        return try read("search for \(trimmed)") { db in
            let ranked = try rankedPassages(
                db, pattern: pattern, filter: filter, limit: max(0, limit), manyMatches: manyMatches)
            guard !ranked.isEmpty else { return [] }
            let ids = ranked.map(\.id)
            let snippets = try snippets(db, pattern: pattern, of: ranked)
            let details = try Dictionary(
                Row.fetchAll(
                    db,
                    request(
                        """
                        SELECT p.id, p.documentID, p.heading, p.page, p.startOffset, p.endOffset,
                               d.title, d.institution, d.country, d.url
                        FROM passage p JOIN document d ON d.id = p.documentID WHERE p.id IN \(ids)
                        """)
                ).map { ($0["id"] as Int64, $0) }, uniquingKeysWith: { first, _ in first })
            return ranked.compactMap { match -> SearchHit? in
                guard let row = details[match.id], let country = Country(rawValue: row["country"]) else { return nil }
                let (snippet, highlights) = Highlight.parse(
                    match.snippet ?? snippets[match.id] ?? "", open: SearchHit.highlightStart, close: SearchHit.highlightEnd)
                return SearchHit(
                    documentID: row["documentID"], title: row["title"], institution: row["institution"], country: country,
                    url: row["url"], heading: row["heading"], page: row["page"], start: row["startOffset"], end: row["endOffset"],
                    snippet: snippet, highlights: highlights, relevance: -match.rank)
            }
        }
    }

    /// The ids and BM25 ranks (more negative is better) of the best passages the filter admits.
    ///
    /// FTS5 has to score every match before it returns the first, so the cost of a search is one BM25 pass over
    /// all matches; what a filter adds must stay small beside it. Sorting all matches to walk them in order
    /// costs as much again, and looking up every match's passage row (a join) costs more than the ranking
    /// itself. So a filtered search takes one of two ways (measured with `make bench-catalog`):
    ///
    /// - Ranking only the admitted matches: the admitted documents' passage id ranges are read once, and a
    ///   cheap test on the row id spares BM25 for the others. Taken with many matches, or when the best matches
    ///   show the filter to be narrow; reading the ranges costs up to a few milliseconds on a broad filter.
    /// - Checking the best matches: the ranking keeps the best `16 × limit` (SQLite's bounded top-N sort) and
    ///   their passages are checked against the filter in small batches. Taken with fewer matches, where it
    ///   ends after a few lookups; when a range is unknown, it ranks deeper and deeper instead.
    ///
    /// Either way the hits are those of walking every match in rank order and keeping the admitted ones.
    ///
    /// The hits of an unfiltered search, and of the first way, come with their snippets: SQLite computes the
    /// snippet only for the rows that enter its top-N sort, a few times the limit, which costs less than
    /// finding the hits again afterwards.
    private func rankedPassages(
        _ db: Database, pattern: FTS5Pattern, filter: DocumentFilter, limit: Int, manyMatches: Int
    ) throws -> [RankedMatch] {
        guard limit > 0 else { return [] }
        if filter.isEmpty { return try bestMatches(db, pattern: pattern, count: limit, after: 0, snippets: true) }
        // Read at most once, and only when needed: on a broad filter it costs more than the search.
        var ranges: PassageRanges??
        func admittedRanges() throws -> PassageRanges? {
            if let ranges { return ranges }
            let read = try admittedPassageRanges(db, filter: filter)
            ranges = .some(read)
            return read
        }
        if try matchCount(db, pattern: pattern) > manyMatches, let ranges = try admittedRanges() {
            return try bestMatches(db, pattern: pattern, among: ranges, count: limit)
        }
        var hits: [RankedMatch] = []
        var seen = 0
        // Deep enough that one pass usually suffices for a filter that admits a tenth of the catalog.
        var depth = limit.multipliedReportingOverflow(by: 16).overflow ? Int.max : limit * 16
        while true {
            let candidates = try bestMatches(db, pattern: pattern, count: depth - seen, after: seen, snippets: false)
            let exhausted = candidates.count < depth - seen
            // Small chunks first: a broad filter is done after a few lookups, and a narrow one shows at once.
            var checked = 0
            var chunk = min(limit, Self.admissionChunk / 2) * 2
            while checked < candidates.count {
                let slice = candidates[checked..<min(checked + chunk, candidates.count)]
                let admitted = try admittedPassages(db, ids: slice.map(\.id), filter: filter)
                for candidate in slice where admitted.contains(candidate.id) {
                    hits.append(candidate)
                    if hits.count == limit { return hits }
                }
                checked += slice.count
                chunk = min(chunk * 2, Self.admissionChunk)
                // At this rate the candidates hold too few hits, and ranking deeper would cost another pass
                // over every match: rank the admitted matches instead.
                if !exhausted, Double(hits.count) * Double(candidates.count) < Double(limit) * Double(checked),
                    let ranges = try admittedRanges()
                {
                    return try bestMatches(db, pattern: pattern, among: ranges, count: limit)
                }
            }
            // Fewer matches than asked for: there are no more.
            if exhausted { return hits }
            seen = depth
            // Deeper by what the share admitted so far suggests, twice over, and at least eight times as deep.
            let share = Double(max(hits.count, 1)) / Double(seen)
            let needed = Double(seen) + Double(limit - hits.count) / share * 2
            depth = Int(min(max(needed, Double(seen) * 8), Double(Int.max / 2)))
        }
    }

    /// How many candidate passages one admission query checks: few enough to stay well under SQLite's limit
    /// on bound values.
    private static let admissionChunk = 500

    /// Above this many matches, a filtered search ranks only the admitted ones. Ranking a match costs 1 µs (one
    /// word) to 4 µs (two words) on the bench catalog, so ranking all of a thousand costs about what reading
    /// the admitted documents' ranges does on a broad filter (a target group: 3 to 6 ms); below it, checking
    /// the best matches is cheaper.
    static let manyMatches = 1_000

    private func matchCount(_ db: Database, pattern: FTS5Pattern) throws -> Int {
        try Int.fetchOne(db, request("SELECT COUNT(*) FROM passageFTS WHERE passageFTS MATCH \(pattern)")) ?? 0
    }

    /// The passage id ranges of the documents the filter admits; nil when one of them is unknown.
    private func admittedPassageRanges(_ db: Database, filter: DocumentFilter) throws -> PassageRanges? {
        var ranges: [ClosedRange<Int64>] = []
        let rows = try Row.fetchCursor(
            db,
            request(
                "SELECT d.firstPassageID, d.lastPassageID FROM document d WHERE \(filter.condition(on: "d"))"))
        while let row = try rows.next() {
            guard let first: Int64 = row[0], let last: Int64 = row[1] else { return nil }
            if first <= last { ranges.append(first...last) }
        }
        return PassageRanges(ranges)
    }

    /// The best `count` matches among the passages in `ranges`, best first, as `bestMatches` orders them.
    ///
    /// The ranges are checked by a function of the row id, in the query's WHERE clause: SQLite evaluates it
    /// before the `rank` column, so BM25 is computed only for the admitted matches. Checking a row id against
    /// the ranges costs a fraction of ranking it; looking up its passage row would cost more. The snippets come
    /// with the hits, as in an unfiltered search.
    private func bestMatches(_ db: Database, pattern: FTS5Pattern, among ranges: PassageRanges, count: Int) throws
        -> [RankedMatch]
    {
        guard !ranges.isEmpty else { return [] }
        let admitted = DatabaseFunction("spscanAdmittedPassage", argumentCount: 1, pure: true) { arguments in
            Int64.fromDatabaseValue(arguments[0]).map(ranges.contains) ?? false
        }
        db.add(function: admitted)
        defer { db.remove(function: admitted) }
        return try Row.fetchAll(
            db,
            request(
                """
                SELECT rowid, rank, \(Self.snippetColumn) FROM passageFTS
                WHERE passageFTS MATCH \(pattern) AND spscanAdmittedPassage(rowid)
                ORDER BY rank, rowid LIMIT \(count)
                """)
        ).map { RankedMatch(id: $0[0], rank: $0[1], snippet: $0[2]) }
    }

    /// One ranked match: its passage id, its BM25 rank, and its snippet when the ranking query made it.
    private struct RankedMatch {
        var id: Int64
        var rank: Double
        var snippet: String? = nil
    }

    /// The snippet of a match: about 16 words around the matched ones, which are between the highlight marks.
    private static let snippetColumn: SQL =
        "snippet(passageFTS, 0, \(String(SearchHit.highlightStart)), \(String(SearchHit.highlightEnd)), '…', 16)"

    /// The matches ranked `after + 1` to `after + count`, best first: BM25 `rank`, then rowid, so that ties
    /// always come in the same order.
    private func bestMatches(_ db: Database, pattern: FTS5Pattern, count: Int, after: Int, snippets: Bool) throws
        -> [RankedMatch]
    {
        let snippet: SQL = snippets ? Self.snippetColumn : "NULL"
        return try Row.fetchAll(
            db,
            request(
                """
                SELECT rowid, rank, \(snippet) FROM passageFTS WHERE passageFTS MATCH \(pattern)
                ORDER BY rank, rowid LIMIT \(count) OFFSET \(after)
                """)
        ).map { RankedMatch(id: $0[0], rank: $0[1], snippet: $0[2]) }
    }

    /// The snippets of the matches that came without one, by passage id.
    ///
    /// The unary `+` keeps `rowid IN` away from FTS5: given the ids, it would run the whole MATCH again once
    /// per id (a quarter of a millisecond each on a large index), where one pass over the matches without
    /// ranking them costs a fraction of the ranking already done.
    private func snippets(_ db: Database, pattern: FTS5Pattern, of matches: [RankedMatch]) throws -> [Int64: String] {
        let ids = matches.filter { $0.snippet == nil }.map(\.id)
        guard !ids.isEmpty else { return [:] }
        return try Dictionary(
            Row.fetchAll(
                db,
                request(
                    """
                    SELECT rowid, \(Self.snippetColumn) FROM passageFTS
                    WHERE passageFTS MATCH \(pattern) AND +rowid IN \(ids)
                    """)
            ).map { ($0[0] as Int64, $0[1] as String) }, uniquingKeysWith: { first, _ in first })
    }

    /// Which of the passages `ids` belong to a document the filter admits.
    ///
    /// `CROSS JOIN` keeps the passages as the outer loop: a few rowid lookups. Left to choose, SQLite may start
    /// from a facet's index (every Canadian document) and read all their passages.
    private func admittedPassages(_ db: Database, ids: [Int64], filter: DocumentFilter) throws -> Set<Int64> {
        Set(
            try Int64.fetchAll(
                db,
                request(
                    """
                    SELECT p.id FROM passage p CROSS JOIN document d ON d.id = p.documentID
                    WHERE p.id IN \(ids) AND \(filter.condition(on: "d"))
                    """)))
    }

    /// Every recorded scan, oldest first.
    public func scans() throws -> [ScanSummary] {
        try read("list scans") { db in
            let scans = try ScanRecord.order(ScanRecord.Columns.id).fetchAll(db)
            var outcomes: [Int64: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT scanID, outcome, COUNT(*) AS n FROM fetchOutcome GROUP BY scanID, outcome") {
                outcomes[row["scanID"], default: [:]][row["outcome"]] = row["n"]
            }
            var events: [Int64: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT scanID, change, COUNT(*) AS n FROM documentEvent GROUP BY scanID, change") {
                events[row["scanID"], default: [:]][row["change"]] = row["n"]
            }
            return scans.compactMap { scan in
                guard let id = scan.id else { return nil }
                return ScanSummary(
                    id: ScanID(id), startedAt: scan.startedAt, finishedAt: scan.finishedAt, outcomes: outcomes[id] ?? [:],
                    newDocuments: events[id]?[DocumentEventKind.new.rawValue] ?? 0,
                    changedDocuments: events[id]?[DocumentEventKind.changed.rawValue] ?? 0)
            }
        }
    }

    /// One document with its tags (reviews applied), its versions over time and every fetch of its URL.
    public func document(id: String) throws -> DocumentDetail? {
        try read("read document '\(id)'") { db in
            guard let record = try DocumentRecord.fetchOne(db, key: id), var document = record.facets else { return nil }
            if let rows = try Self.scopeEvidence(db, of: [id])[id] { document.scopeEvidence = rows }
            var evidence: [String: [Evidence]] = [:]
            let evidenceRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.competency, \(EvidenceRecord.select("e", passage: "p")) FROM evidence e
                    \(EvidenceRecord.passageJoin("e", passage: "p"))
                    WHERE e.documentID = ? ORDER BY e.competency, e.position
                    """,
                arguments: [id])
            for row in evidenceRows {
                if let item = EvidenceRecord.evidence(in: row, from: 1) { evidence[row[0], default: []].append(item) }
            }
            let tags = try TagRecord.filter(TagRecord.Columns.documentID == id).fetchAll(db).map { tag in
                Tag(competency: tag.competency, domain: tag.domain, score: tag.score, evidence: evidence[tag.competency] ?? [])
            }
            let reviews = try ReviewRecord.filter(ReviewRecord.Columns.documentID == id).order(ReviewRecord.Columns.competency)
                .fetchAll(db).compactMap(\.decision)
            document.tags = ReviewOverlay.apply(reviews, to: tags)
            if let decision = reviews.first(where: \.isScope) {
                document.inScope = decision.verdict == .accept
                document.scopeReviewed = true
            }
            let versions = try Row.fetchAll(
                db,
                sql: """
                    SELECT v.*, s.startedAt FROM documentVersion v LEFT JOIN scan s ON s.id = v.scanID
                    WHERE v.documentID = ? ORDER BY v.scanID
                    """, arguments: [id]
            ).map { row in
                DocumentDetail.Version(
                    scan: ScanID(row["scanID"]), scanStartedAt: row["startedAt"], snapshotSHA256: row["snapshotSHA256"],
                    textHash: row["textHash"], fetchedAt: row["fetchedAt"], passageCount: row["passageCount"])
            }
            let fetches = try Row.fetchAll(
                db,
                sql: """
                    SELECT f.*, s.startedAt FROM fetchOutcome f LEFT JOIN scan s ON s.id = f.scanID
                    WHERE f.documentID = ? OR (f.documentID IS NULL AND f.sourceID = ? AND f.url = ?)
                    ORDER BY f.scanID, f.id
                    """, arguments: [id, record.sourceID, record.url]
            ).map { row in
                DocumentDetail.Fetch(
                    scan: ScanID(row["scanID"]), scanStartedAt: row["startedAt"], url: row["url"],
                    outcome: FetchOutcome(rawValue: row["outcome"]), httpStatus: row["httpStatus"], error: row["error"])
            }
            let outcome = try Row.fetchOne(
                db, sql: "SELECT outcome, reason FROM documentOutcome WHERE documentID = ?", arguments: [id])
            return DocumentDetail(
                document: document, passageCount: record.passageCount, isGone: record.isGone, versions: versions,
                fetches: fetches, reviews: reviews, extractionOutcome: outcome?["outcome"] ?? "text",
                extractionReason: outcome?["reason"])
        }
    }

    /// The indexed version of every document, by id: a scan compares a snapshot's hash with it and extracts
    /// and tags only what is new or changed.
    public func indexedVersions() throws -> [String: IndexedVersion] {
        try read("list indexed versions") { db in
            var versions: [String: IndexedVersion] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, snapshotSHA256, textHash, fetchedAt FROM document") {
                let id: String = row[0]
                versions[id] = IndexedVersion(documentID: id, snapshotSHA256: row[1], textHash: row[2], fetchedAt: row[3])
            }
            return versions
        }
    }

    /// A snapshot remembered as unreadable: what it gave and why.
    public struct UnreadableSnapshot: Sendable, Hashable {
        public var documentID: String
        public var outcome: String
        public var reason: String
    }

    /// The snapshots that could not be read by `extractionMethod`, by content hash.
    public func unreadableSnapshots(extractionMethod: Int) throws -> [String: UnreadableSnapshot] {
        try read("list unreadable snapshots") { db in
            var found: [String: UnreadableSnapshot] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT sha256, documentID, outcome, reason FROM unreadableSnapshot WHERE extractionMethod = ?",
                arguments: [extractionMethod])
            {
                found[row[0]] = UnreadableSnapshot(documentID: row[1], outcome: row[2], reason: row[3])
            }
            return found
        }
    }

    /// Why a document has no ordinary text: its outcome (`empty`, `ocr`) and reason; nil when it has text.
    public func extractionOutcome(documentID: String) throws -> (outcome: String, reason: String?)? {
        try read("read the extraction outcome of '\(documentID)'") { db in
            try Row.fetchOne(db, sql: "SELECT outcome, reason FROM documentOutcome WHERE documentID = ?", arguments: [documentID])
                .map { ($0[0], $0[1]) }
        }
    }

    /// The passages of one document, in reading order.
    public func passages(documentID: String) throws -> [Passage] {
        try read("read the passages of '\(documentID)'") { db in
            try PassageRecord.filter(PassageRecord.Columns.documentID == documentID).order(PassageRecord.Columns.position)
                .fetchAll(db).map { record in
                    Passage(
                        text: record.text, heading: record.heading, page: record.page, start: record.startOffset,
                        end: record.endOffset, language: Language(rawValue: record.language) ?? .english,
                        role: BlockRole(rawValue: record.role) ?? .paragraph)
                }
        }
    }

    /// All review decisions in the catalog, sorted as Reviews.yaml is.
    public func reviews() throws -> [ReviewDecision] {
        try read("read review decisions") { db in
            try ReviewRecord.order(ReviewRecord.Columns.documentID, ReviewRecord.Columns.competency).fetchAll(db)
                .compactMap(\.decision)
        }
    }

    /// The institutions and regions present: the values a filter may name.
    public func filterVocabulary() throws -> FilterVocabulary {
        FilterVocabulary(institutions: try institutions(), regions: try regions(), institutionSpellings: try institutionSpellings())
    }

    /// The ids and aliases of Sources.yaml's institutions, folded, to the names the catalog holds; empty for a
    /// catalog indexed before they were recorded.
    public func institutionSpellings() throws -> [String: String] {
        try read("read the institutions' other spellings") { db in
            guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'institutionSpellings'") else {
                return [:]
            }
            return (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
        }
    }

    /// The institutions present, sorted: the allowed values for `--institution`.
    public func institutions() throws -> [String] {
        try read("list institutions") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT institution FROM document ORDER BY institution COLLATE NOCASE")
        }
    }

    /// Every document id, sorted: for checking a reviewer's input and suggesting the id they meant.
    public func documentIDs() throws -> [String] {
        try read("list documents") { db in
            try String.fetchAll(db, sql: "SELECT id FROM document ORDER BY id")
        }
    }

    /// The regions present, sorted: the allowed values for `--region`.
    public func regions() throws -> [String] {
        try read("list regions") { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT region FROM document WHERE region IS NOT NULL ORDER BY region COLLATE NOCASE")
        }
    }

    /// The fingerprint recorded by the last scan or index; nil for a new catalog.
    public func taggerFingerprint() throws -> String? {
        try read("read the tagger fingerprint") { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'taggerFingerprint'")
        }
    }

    public func summary() throws -> CatalogSummary {
        try read("count the catalog") { db in
            CatalogSummary(
                sources: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source") ?? 0,
                documents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0,
                passages: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM passage") ?? 0,
                tags: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tag") ?? 0,
                scans: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scan") ?? 0)
        }
    }

    /// The scope evidence of the documents `ids`, by document, in order; documents without rows are absent
    /// (a catalog before v7 keeps its JSON in `document.scopeEvidence`, decoded with the facets).
    static func scopeEvidence(_ db: Database, of ids: [String]) throws -> [String: [Evidence]] {
        var found: [String: [Evidence]] = [:]
        // In chunks well under SQLite's limit on bound values.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let rows = try Row.fetchCursor(
                db,
                request(
                    """
                    SELECT s.documentID, \(sql: EvidenceRecord.select("s", passage: "p"))
                    FROM scopeEvidence s \(sql: EvidenceRecord.passageJoin("s", passage: "p"))
                    WHERE s.documentID IN \(chunk) ORDER BY s.documentID, s.position
                    """))
            while let row = try rows.next() {
                if let item = EvidenceRecord.evidence(in: row, from: 1) { found[row[0], default: []].append(item) }
            }
        }
        return found
    }

    private func reviewsByDocument(_ db: Database) throws -> [String: [ReviewDecision]] {
        var reviews: [String: [ReviewDecision]] = [:]
        for record in try ReviewRecord.fetchAll(db) {
            if let decision = record.decision { reviews[record.documentID, default: []].append(decision) }
        }
        return reviews
    }
}

/// Applies human decisions to a document's tags: they override the tagger everywhere the catalog is read.
public enum ReviewOverlay {
    /// A rejected tag is removed; an accepted tag the tagger missed is added with a score of 1 and no
    /// evidence (a person's judgement, not a passage, supports it). Tags come back best first.
    public static func apply(_ decisions: [ReviewDecision], to tags: [Tag]) -> [Tag] {
        var result = tags
        // A decision on scope is about the document, not a tag (see `TaggedDocument.inScope`).
        for decision in decisions where !decision.isScope {
            let matches = { (tag: Tag) in tag.competency.caseInsensitiveCompare(decision.competency) == .orderedSame }
            switch decision.verdict {
            case .reject:
                result.removeAll(where: matches)
            case .accept:
                if !result.contains(where: matches) {
                    result.append(
                        Tag(competency: decision.competency, domain: domain(of: decision.competency), score: 1, evidence: []))
                }
            }
        }
        return result.sorted { $0.score != $1.score ? $0.score > $1.score : $0.competency < $1.competency }
    }

    /// A competency's domain from its id (`IS-5` → `IS`): Framework.yaml guarantees every id starts with it.
    static func domain(of competency: String) -> String {
        guard let dash = competency.lastIndex(of: "-") else { return competency }
        return String(competency[..<dash])
    }
}

/// Sorted, disjoint ranges of passage ids, for telling quickly whether a passage is in one of them.
struct PassageRanges: Sendable {
    private let lowerBounds: [Int64]
    private let upperBounds: [Int64]

    init(_ ranges: [ClosedRange<Int64>]) {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        lowerBounds = sorted.map(\.lowerBound)
        upperBounds = sorted.map(\.upperBound)
    }

    var isEmpty: Bool { lowerBounds.isEmpty }

    /// Binary search for the last range that starts at or before `id`.
    func contains(_ id: Int64) -> Bool {
        var low = 0
        var high = lowerBounds.count
        while low < high {
            let middle = (low + high) / 2
            if lowerBounds[middle] <= id { low = middle + 1 } else { high = middle }
        }
        return low > 0 && id <= upperBounds[low - 1]
    }
}

extension CatalogDatabase {
    /// The documents judged out of scope (or put out by a person) that the filter admits, with the reason and the
    /// evidence of the judgement: what `spscan query --out-of-scope` and the web page list.
    public func outOfScopeDocuments(filter: DocumentFilter = .all) throws -> [TaggedDocument] {
        try taggedDocuments(filter: filter, evidence: .none).filter { !$0.inScope }
    }
}
