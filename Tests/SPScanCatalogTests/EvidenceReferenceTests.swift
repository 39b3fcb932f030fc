import Foundation
import GRDB
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanCatalog

/// Evidence stored by reference to its passage (migration v6), and catalogs written before it.
@Suite("Catalog: evidence by passage reference")
struct EvidenceReferenceTests {
    static let source = Source(
        id: "ie-ref", url: Fixtures.web("https://example.ie/ref"), title: "Referral pathways", country: .ireland,
        institution: "Irish Network", institutionType: .network, kind: .training, targetGroups: [.linkWorkers])

    static let passages = [
        Passage(text: "Referral pathways start with a conversation.", heading: "Module 1", page: 2, start: 0, end: 44),
        Passage(text: "Motivational interviewing supports the person's own goals.", heading: "Module 1", page: 2, start: 46, end: 105),
        Passage(text: "Safeguarding concerns are escalated the same day.", heading: "Module 2", page: nil, start: 107, end: 156),
    ]

    /// Evidence as the tagger makes it: a copy of the passage's values, with the terms found in it.
    static func quoting(_ passage: Passage, term: String, score: Double) -> Evidence {
        Evidence(
            text: passage.text, start: passage.start, end: passage.end, heading: passage.heading, page: passage.page,
            terms: [term], spans: [Span(start: 0, end: term.unicodeScalars.count, term: term)], score: score)
    }

    /// Two tags quoting the passages, one evidence item that quotes none of them (a different heading).
    static func document(tags: [SPScanModel.Tag]? = nil) -> TaggedDocument {
        TaggedDocument(
            id: source.id, source: source, url: source.url.absoluteString,
            tags: tags ?? [
                Fixtures.tag(
                    "IS-5", 0.8,
                    evidence: [
                        quoting(passages[1], term: "motivational interviewing", score: 0.6),
                        quoting(passages[0], term: "conversation", score: 0.8),
                        Evidence(
                            text: passages[1].text, start: passages[1].start, end: passages[1].end, heading: "Elsewhere",
                            terms: ["goals"], spans: [], score: 0.8),
                    ]),
                Fixtures.tag("SP-2", 0.7, evidence: [quoting(passages[2], term: "safeguarding", score: 0.7)]),
            ])
    }

    /// The suite's document judged out of scope, with the passages that show it: one quoting a passage, one not.
    static func outOfScopeDocument() -> TaggedDocument {
        var document = Self.document()
        document.inScope = false
        document.scopeReason = "about referral in general"
        document.scopeEvidence = [
            quoting(passages[0], term: "referral", score: 1.5),
            Evidence(text: "Referral, elsewhere.", start: 500, end: 520, heading: "", terms: ["referral"], spans: [], score: 1),
        ]
        return document
    }

    struct StoredEvidence: Equatable {
        var competency: String
        var position: Int
        var passageID: Int64?
        var text: String?
    }

    func storedEvidence(_ catalog: CatalogDatabase, of document: String) throws -> [StoredEvidence] {
        try catalog.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT competency, position, passageID, text FROM evidence WHERE documentID = ?
                    ORDER BY competency, position
                    """, arguments: [document]
            ).map { StoredEvidence(competency: $0[0], position: $0[1], passageID: $0[2], text: $0[3]) }
        }
    }

    func passageIDs(_ catalog: CatalogDatabase, of document: String) throws -> [Int64] {
        try catalog.writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM passage WHERE documentID = ? ORDER BY position", arguments: [document])
        }
    }

    @Test("evidence that quotes a stored passage names it by id and copies no text; the rest keeps its own copy")
    func writtenByReference() throws {
        let catalog = try CatalogDatabase()
        try catalog.write { writer in
            try writer.upsertSource(Self.source)
            try writer.replaceDocument(Self.document(), passages: Self.passages, textHash: "h1", scan: nil)
        }
        let ids = try passageIDs(catalog, of: Self.source.id)
        #expect(ids.count == 3)
        #expect(
            try storedEvidence(catalog, of: Self.source.id) == [
                StoredEvidence(competency: "IS-5", position: 0, passageID: ids[1], text: nil),
                StoredEvidence(competency: "IS-5", position: 1, passageID: ids[0], text: nil),
                StoredEvidence(competency: "IS-5", position: 2, passageID: nil, text: Self.passages[1].text),
                StoredEvidence(competency: "SP-2", position: 0, passageID: ids[2], text: nil),
            ])
        let bestPositions = try catalog.writer.read { db in
            try Int.fetchAll(db, sql: "SELECT bestPosition FROM tag WHERE documentID = ? ORDER BY competency", arguments: [Self.source.id])
        }
        // IS-5's best score (0.8) is shared by positions 1 and 2: the first wins.
        #expect(bestPositions == [1, 0])
    }

    @Test("every reader shows the evidence text, heading, page and offsets as the tagger gave them")
    func readBack() throws {
        let catalog = try CatalogDatabase()
        try catalog.write { writer in
            try writer.upsertSource(Self.source)
            try writer.replaceDocument(Self.document(), passages: Self.passages, textHash: "h1", scan: nil)
        }
        let written = Self.document()
        let all = try #require(try catalog.taggedDocuments(evidence: .all).first)
        #expect(all.tags.map(\.evidence) == written.tags.map(\.evidence))
        let best = try #require(try catalog.taggedDocuments(evidence: .best).first)
        #expect(best.tags.map(\.evidence) == [[written.tags[0].evidence[1]], written.tags[1].evidence])
        #expect(try catalog.query(competency: "IS-5").map(\.evidence) == [written.tags[0].evidence[1]])
        #expect(try catalog.query(competency: "SP-2").map(\.evidence) == [written.tags[1].evidence[0]])
        let detail = try #require(try catalog.document(id: Self.source.id))
        #expect(detail.document.tags.map(\.evidence) == written.tags.map(\.evidence))
    }

    @Test("re-tagging a document whose text did not change refers to its stored passages; a new text to the new ones")
    func retagging() throws {
        let catalog = try CatalogDatabase()
        try catalog.write { writer in
            try writer.upsertSource(Self.source)
            try writer.replaceDocument(Self.document(), passages: Self.passages, textHash: "h1", scan: nil)
        }
        let first = try passageIDs(catalog, of: Self.source.id)
        let retagged = Self.document(tags: [
            Fixtures.tag("CE-7", 0.5, evidence: [Self.quoting(Self.passages[2], term: "escalated", score: 0.5)])
        ])
        _ = try catalog.write { writer in
            try writer.replaceDocument(retagged, passages: Self.passages, textHash: "h1", scan: nil)
        }
        #expect(try passageIDs(catalog, of: Self.source.id) == first, "unchanged text: passages kept")
        #expect(
            try storedEvidence(catalog, of: Self.source.id) == [
                StoredEvidence(competency: "CE-7", position: 0, passageID: first[2], text: nil)
            ])

        var edited = Self.passages
        edited[2] = Passage(text: "Safeguarding concerns are escalated at once.", heading: "Module 2", start: 107, end: 151)
        let changed = Self.document(tags: [
            Fixtures.tag("CE-7", 0.5, evidence: [Self.quoting(edited[2], term: "escalated", score: 0.5)])
        ])
        _ = try catalog.write { writer in
            try writer.replaceDocument(changed, passages: edited, textHash: "h2", scan: nil)
        }
        let second = try passageIDs(catalog, of: Self.source.id)
        #expect(try catalog.passages(documentID: Self.source.id).map(\.text) == edited.map(\.text), "changed text: passages rewritten")
        #expect(
            try storedEvidence(catalog, of: Self.source.id) == [
                StoredEvidence(competency: "CE-7", position: 0, passageID: second[2], text: nil)
            ])
        #expect(try catalog.query(competency: "CE-7").map(\.evidence) == [changed.tags[0].evidence[0]])
        try expectSearchIndexMatchesPassages(catalog)
    }

    /// The documents of `Fixtures.scannedCatalog` and this suite's, written as spscan wrote them before v6:
    /// evidence rows with their own copy of the passage, tags with a copy of their best evidence.
    func oldCatalog(at path: URL, from fresh: URL) throws {
        let queue = try DatabaseQueue(path: path.path)
        try CatalogMigrations.migrator.migrate(queue, upTo: "v5: document scope")
        let documents = [Fixtures.cispDocument(), Fixtures.naspDocument(), Fixtures.quebecDocument(), Self.outOfScopeDocument()]
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS fresh", arguments: [fresh.path])
            try db.inTransaction {
                for table in [
                    "scan", "source", "document", "documentTargetGroup", "passage", "review", "documentVersion", "fetchOutcome",
                    "documentEvent", "passageEvent", "tagEvent", "setting",
                ] {
                    try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM fresh.\(table)")
                }
                try db.execute(sql: "INSERT INTO passageFTS(passageFTS) VALUES('rebuild')")
                for document in documents {
                    // Scope evidence as JSON in the document's row, through the one encoder, as before v7.
                    if !document.scopeEvidence.isEmpty {
                        let json = String(decoding: try JSONStyle.encoder(pretty: false).encode(document.scopeEvidence), as: UTF8.self)
                        try db.execute(
                            sql: "UPDATE document SET scopeEvidence = ? WHERE id = ?", arguments: [json, document.id])
                    }
                    for tag in document.tags {
                        let best = tag.evidence.indices.max { lhs, rhs in
                            tag.evidence[lhs].score != tag.evidence[rhs].score
                                ? tag.evidence[lhs].score < tag.evidence[rhs].score : lhs > rhs
                        }.map { tag.evidence[$0] }
                        try db.execute(
                            sql: """
                                INSERT INTO tag (documentID, competency, domain, score, bestText, bestHeading, bestPage,
                                    bestStartOffset, bestEndOffset, bestScore, bestTerms, bestSpans)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                document.id, tag.competency, tag.domain, tag.score, best?.text, best?.heading, best?.page,
                                best?.start, best?.end, best?.score, best.map { EvidenceCodec.terms($0.terms) },
                                best.map { EvidenceCodec.spans($0.spans) },
                            ])
                        for (position, evidence) in tag.evidence.enumerated() {
                            try db.execute(
                                sql: """
                                    INSERT INTO evidence (documentID, competency, position, text, heading, page, startOffset,
                                        endOffset, score, terms, spans)
                                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                    """,
                                arguments: [
                                    document.id, tag.competency, position, evidence.text, evidence.heading, evidence.page,
                                    evidence.start, evidence.end, evidence.score, EvidenceCodec.terms(evidence.terms),
                                    EvidenceCodec.spans(evidence.spans),
                                ])
                        }
                    }
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE fresh")
        }
        try queue.close()
    }

    @Test("a catalog written before evidence by reference opens, migrates, and reads the same as a new one")
    func migration() throws {
        let directory = try TemporaryDirectory()
        let freshPath = directory.path("fresh.sqlite")
        let fresh = try CatalogDatabase(path: freshPath)
        _ = try Fixtures.scannedCatalog(fresh)
        try fresh.write { writer in
            try writer.upsertSource(Self.source)
            try writer.replaceDocument(Self.outOfScopeDocument(), passages: Self.passages, textHash: "h1", scan: nil)
            try writer.recordReview(
                ReviewDecision(
                    documentID: "gb-nasp", competency: "SP-2", verdict: .reject, note: nil, reviewer: "test",
                    decidedAt: Fixtures.day2))
        }
        try fresh.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }

        let oldPath = directory.path("old.sqlite")
        try oldCatalog(at: oldPath, from: freshPath)
        let migrated = try CatalogDatabase.openExisting(path: oldPath)

        for competency in ["IS-1", "IS-5", "CE-7", "SP-2"] {
            #expect(try migrated.query(competency: competency) == fresh.query(competency: competency))
        }
        #expect(try !migrated.query(competency: "IS-5").isEmpty)
        for detail in [EvidenceDetail.none, .best, .all] {
            #expect(try migrated.taggedDocuments(evidence: detail) == fresh.taggedDocuments(evidence: detail))
        }
        for id in ["ca-cisp", "gb-nasp", "ca-quebec", Self.source.id] {
            #expect(try migrated.document(id: id) == fresh.document(id: id))
        }
        #expect(try migrated.search(text: "motivational") == fresh.search(text: "motivational"))
        #expect(try migrated.summary() == fresh.summary())
        // The evidence that quotes its passage lost its copy; the rest kept it.
        let ids = try passageIDs(migrated, of: Self.source.id)
        #expect(
            try storedEvidence(migrated, of: Self.source.id) == [
                StoredEvidence(competency: "IS-5", position: 0, passageID: ids[1], text: nil),
                StoredEvidence(competency: "IS-5", position: 1, passageID: ids[0], text: nil),
                StoredEvidence(competency: "IS-5", position: 2, passageID: nil, text: Self.passages[1].text),
                StoredEvidence(competency: "SP-2", position: 0, passageID: ids[2], text: nil),
            ])
        #expect(try storedEvidence(migrated, of: "ca-cisp").allSatisfy { $0.passageID == nil && $0.text != nil })
        // The scope evidence moved out of the JSON column into rows, by reference where it quotes a passage.
        let scope = try migrated.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT passageID, text FROM scopeEvidence WHERE documentID = ? ORDER BY position", arguments: [Self.source.id]
            )
            .map { StoredEvidence(competency: "scope", position: 0, passageID: $0[0], text: $0[1]) }
        }
        #expect(
            scope == [
                StoredEvidence(competency: "scope", position: 0, passageID: ids[0], text: nil),
                StoredEvidence(competency: "scope", position: 0, passageID: nil, text: "Referral, elsewhere."),
            ])
        #expect(try migrated.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(scopeEvidence) FROM document") } == 0)
        let outside = try migrated.taggedDocuments(evidence: .none).filter { !$0.inScope }
        #expect(outside.map(\.scopeEvidence) == [Self.outOfScopeDocument().scopeEvidence])
        #expect(try migrated.document(id: Self.source.id)?.document.scopeEvidence == Self.outOfScopeDocument().scopeEvidence)
        try expectSearchIndexMatchesPassages(migrated)
    }
    @Test("a page of a query is that slice of the whole list, with the counts of every page and of what scope leaves out")
    func queryPages() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        try catalog.write { writer in
            try writer.upsertSource(Self.source)
            var outside = Self.document()
            outside.inScope = false
            try writer.replaceDocument(outside, passages: Self.passages, textHash: "h1", scan: nil)
            // A tag the tagger missed, added by a person: listed first, with a score of 1.
            try writer.recordReview(
                ReviewDecision(
                    documentID: "ca-quebec", competency: "IS-5", verdict: .accept, note: nil, reviewer: "test",
                    decidedAt: Fixtures.day2))
        }
        let all = try catalog.query(competency: "IS-5")
        #expect(all.map(\.documentID) == ["ca-quebec", "ca-cisp", "ie-ref", "gb-nasp"])
        for limit in 0...5 {
            for offset in 0...5 {
                let page = try catalog.query(competency: "IS-5", scope: .all, limit: limit, offset: offset)
                #expect(page == QueryPage(hits: Array(all.dropFirst(offset).prefix(limit)), total: 4, leftOut: 0))
            }
        }
        #expect(
            try catalog.query(competency: "IS-5", scope: .inScope, limit: 2)
                == QueryPage(hits: [all[0], all[1]], total: 3, leftOut: 1))
        #expect(
            try catalog.query(competency: "IS-5", scope: .inScope, limit: nil, offset: 2) == QueryPage(hits: [all[3]], total: 3, leftOut: 1)
        )
        #expect(try catalog.query(competency: "IS-5", scope: .outOfScope, limit: 10) == QueryPage(hits: [all[2]], total: 1, leftOut: 3))
        let canadian = try catalog.query(
            competency: "IS-5", filter: DocumentFilter(countries: [.canada]), scope: .inScope, limit: 1)
        #expect(canadian == QueryPage(hits: [all[0]], total: 2, leftOut: 0))
    }
    @Test("dates bound directly are stored in GRDB's own text, whole seconds or not")
    func storageDates() throws {
        for interval: TimeInterval in [0, 1_764_000_000, 1_764_000_000.25, -86_400 * 365, 951_782_400, 4_102_444_799, 1_709_164_800.999] {
            let date = Date(timeIntervalSince1970: interval)
            #expect(StorageDate.text(date) == String.fromDatabaseValue(date.databaseValue), "\(interval)")
        }
        var bytes: [UInt8] = []
        for value in [0, 7, 10, 99, 100, 12_345, -3] {
            bytes.removeAll()
            EvidenceCodec.appendDecimal(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }
}
