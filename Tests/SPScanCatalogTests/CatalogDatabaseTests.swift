import Foundation
import GRDB
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanCatalog

/// FTS5's own check that the search index holds exactly the passages' text: it fails on a passage written
/// without its index entry, or an entry left behind by a deleted passage.
func expectSearchIndexMatchesPassages(_ catalog: CatalogDatabase) throws {
    try catalog.writer.write { db in
        try db.execute(sql: "INSERT INTO passageFTS(passageFTS, rank) VALUES('integrity-check', 1)")
    }
}

/// Every document's recorded passage range holds exactly its passages.
func expectRangesMatchPassages(_ catalog: CatalogDatabase) throws {
    let mismatches = try catalog.writer.read { db in
        try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM document d
                WHERE d.firstPassageID IS NULL
                   OR (SELECT COUNT(*) FROM passage p WHERE p.documentID = d.id)
                      <> MAX(d.lastPassageID - d.firstPassageID + 1, 0)
                   OR EXISTS (SELECT 1 FROM passage p WHERE p.documentID = d.id
                              AND p.id NOT BETWEEN d.firstPassageID AND d.lastPassageID)
                """)
    }
    #expect(mismatches == 0)
}

@Suite("Catalog: writes, reads and review")
struct CatalogDatabaseTests {
    @Test("a file catalog is created with its folders, in WAL mode, and opens again")
    func fileCatalog() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path(".spscan/sub/catalog.sqlite")
        do {
            let catalog = try CatalogDatabase(path: path)
            _ = try Fixtures.scannedCatalog(catalog)
            let mode = try catalog.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
        }
        let reopened = try CatalogDatabase.openExisting(path: path)
        #expect(try reopened.summary() == CatalogSummary(sources: 3, documents: 3, passages: 5, tags: 5, scans: 1))
    }

    @Test("readers see the last commit while a scan is writing, without waiting for it (WAL)")
    func readWhileWriting() throws {
        let directory = try TemporaryDirectory()
        let catalog = try CatalogDatabase(path: directory.path("catalog.sqlite"))
        _ = try Fixtures.scannedCatalog(catalog)
        let writing = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? catalog.write { writer in
                try writer.removeSourcesNotIn(ids: [])
                writing.signal()
                release.wait()
            }
            finished.signal()
        }
        defer { release.signal() }
        #expect(writing.wait(timeout: .now() + 30) == .success)
        #expect(try catalog.taggedDocuments().count == 3)
        #expect(try catalog.search(text: "motivational").count == 2)
        release.signal()
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(try catalog.taggedDocuments().isEmpty)
    }

    @Test("opening a missing catalog says to scan or index first")
    func missingCatalog() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("none/catalog.sqlite")
        #expect(throws: CatalogError.notBuilt(path: path.path)) { try CatalogDatabase.openExisting(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path.path))
        #expect(CatalogError.notBuilt(path: "x").localizedDescription.contains("run `spscan scan` or `spscan index` first"))
    }

    @Test("a file that is not SQLite is reported with a way out")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("this is not a database, just text that is long enough to have a header", to: "c.sqlite")
        do {
            _ = try CatalogDatabase(path: path)
            Issue.record("opened a text file as a catalog")
        } catch let error as CatalogError {
            guard case .notACatalog(let reported, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reported == path.path)
            #expect(error.localizedDescription.contains("point --catalog at the catalog"))
        }
    }

    @Test("same extracted text is unchanged; new text is a change with passages added and removed")
    func changeDetection() throws {
        let catalog = try CatalogDatabase()
        let first = try Fixtures.scannedCatalog(catalog)
        let second = try catalog.beginScan(startedAt: Fixtures.day2)
        var document = Fixtures.cispDocument()
        document.snapshotSHA256 = "new-bytes-same-text"
        let unchanged = try catalog.replaceDocument(
            document, passages: Fixtures.cispPassages, textHash: "h-cisp-1", scan: second)
        #expect(unchanged == .unchanged)

        let edited = [Fixtures.cispPassages[1], Fixtures.passage("Social needs assessment uses a structured conversation.")]
        let changed = try catalog.replaceDocument(document, passages: edited, textHash: "h-cisp-2", scan: second)
        #expect(changed == .changed(passagesAdded: 1, passagesRemoved: 1))
        #expect(try catalog.passages(documentID: "ca-cisp").map(\.text) == edited.map(\.text))
        try expectSearchIndexMatchesPassages(catalog)
        #expect(try catalog.search(text: "structured conversation").map(\.documentID) == ["ca-cisp"])
        #expect(try catalog.search(text: "motivational").map(\.documentID) == ["gb-nasp"])

        let detail = try #require(try catalog.document(id: "ca-cisp"))
        #expect(detail.versions.map(\.scan) == [first, second])
        #expect(detail.versions.map(\.textHash) == ["h-cisp-1", "h-cisp-2"])
        #expect(detail.document.snapshotSHA256 == "new-bytes-same-text")
        #expect(detail.passageCount == 2)
        let versions = try catalog.indexedVersions()
        #expect(versions["ca-cisp"]?.snapshotSHA256 == "new-bytes-same-text")
        #expect(versions["ca-cisp"]?.textHash == "h-cisp-2")
        #expect(versions.keys.sorted() == ["ca-cisp", "ca-quebec", "gb-nasp"])
    }

    @Test("reviews override the tagger: a rejected tag goes, an accepted missing tag comes with score 1")
    func reviewsApplied() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        try catalog.replaceReviews([
            ReviewDecision(documentID: "ca-cisp", competency: "CE-7", verdict: .reject, decidedAt: Fixtures.day2),
            ReviewDecision(documentID: "gb-nasp", competency: "CE-7", verdict: .accept, note: "module 4", decidedAt: Fixtures.day2),
            ReviewDecision(documentID: "gb-nasp", competency: "IS-5", verdict: .accept, decidedAt: Fixtures.day2),
        ])
        let documents = try catalog.taggedDocuments()
        #expect(documents.map(\.id) == ["ca-cisp", "ca-quebec", "gb-nasp"])
        #expect(documents[0].tags.map(\.competency) == ["IS-5"])
        let nasp = documents[2].tags
        #expect(nasp.map(\.competency) == ["CE-7", "SP-2", "IS-5"])
        #expect(nasp[0] == Tag(competency: "CE-7", domain: "CE", score: 1, evidence: []))
        #expect(nasp[2].score == 0.7 && nasp[2].evidence.count == 1)

        let hits = try catalog.query(competency: "CE-7")
        #expect(hits.map(\.documentID) == ["gb-nasp"])
        #expect(hits.first?.review == .accept)
        #expect(hits.first?.evidence == nil)
    }

    @Test("query lists covering documents best first, with evidence and facets, under every filter")
    func query() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let hits = try catalog.query(competency: "IS-5")
        #expect(hits.map(\.documentID) == ["ca-cisp", "gb-nasp"])
        #expect(hits.map(\.score) == [0.9, 0.7])
        #expect(hits[0].institution == "Canadian Institute")
        #expect(hits[0].targetGroups == [.linkWorkers, .volunteers])
        #expect(hits[0].evidence?.terms == ["motivational interviewing"])

        #expect(try catalog.query(competency: "IS-5", filter: DocumentFilter(countries: [.unitedKingdom])).map(\.documentID) == ["gb-nasp"])
        #expect(try catalog.query(competency: "IS-5", filter: DocumentFilter(targetGroups: [.volunteers])).map(\.documentID) == ["ca-cisp"])
        #expect(
            try catalog.query(competency: "IS-5", filter: DocumentFilter(institutions: ["national ACADEMY"])).map(\.documentID) == [
                "gb-nasp"
            ])
        #expect(try catalog.query(competency: "IS-5", filter: DocumentFilter(regions: ["on"])).map(\.documentID) == ["ca-cisp"])
        #expect(
            try catalog.query(competency: "IS-5", filter: DocumentFilter(institutionTypes: [.charity])).map(\.documentID) == ["gb-nasp"])
        #expect(try catalog.query(competency: "IS-5", filter: DocumentFilter(kinds: [.report])).isEmpty)
        #expect(try catalog.query(competency: "XX-1").isEmpty)
        #expect(try catalog.institutions() == ["Canadian Institute", "National Academy", "Réseau Québec"])
        #expect(try catalog.regions() == ["England", "ON", "QC"])
    }

    @Test("taggedDocuments filters by facet and can skip or trim evidence")
    func taggedDocumentsFilterAndDetail() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let canadian = try catalog.taggedDocuments(filter: DocumentFilter(countries: [.canada]), evidence: .none)
        #expect(canadian.map(\.id) == ["ca-cisp", "ca-quebec"])
        #expect(canadian.allSatisfy { $0.tags.allSatisfy(\.evidence.isEmpty) })
        let full = try catalog.taggedDocuments(filter: DocumentFilter(targetGroups: [.clinicians]))
        #expect(full == [Fixtures.quebecDocument()])
    }

    @Test("a source edit in Sources.yaml reaches its documents without re-tagging")
    func sourceFacetsFlowToDocuments() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        var edited = Fixtures.nasp
        edited.institution = "NASP"
        edited.targetGroups = [.managers]
        try catalog.upsertSource(edited)
        let hits = try catalog.query(competency: "SP-2", filter: DocumentFilter(targetGroups: [.managers]))
        #expect(hits.map(\.institution) == ["NASP"])
        #expect(try catalog.query(competency: "SP-2", filter: DocumentFilter(targetGroups: [.linkWorkers])).isEmpty)
    }

    @Test("sources taken out of Sources.yaml leave the catalog, and the next changes say so")
    func removeSources() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let scan = try catalog.beginScan(startedAt: Fixtures.day2)
        let removed = try catalog.removeSourcesNotIn(ids: ["ca-cisp", "ca-quebec"], scan: scan)
        #expect(removed == ["gb-nasp"])
        #expect(try catalog.taggedDocuments().map(\.id) == ["ca-cisp", "ca-quebec"])
        #expect(try catalog.search(text: "safeguarding").isEmpty)
        try expectSearchIndexMatchesPassages(catalog)
        let changes = try catalog.changes()
        #expect(changes.removedDocuments.map(\.documentID) == ["gb-nasp"])
        #expect(changes.coverageMoves.map(\.title) == ["Link worker guide", "Link worker guide"])
        #expect(
            changes.coverageMoves.map { "\($0.documentID) \($0.competency) \($0.direction)" } == ["gb-nasp IS-5 lost", "gb-nasp SP-2 lost"])
    }

    @Test("rebuilding from the same inputs gives the same catalog")
    func rebuildIsDeterministic() throws {
        let directory = try TemporaryDirectory()
        let catalog = try CatalogDatabase(path: directory.path("catalog.sqlite"))
        _ = try Fixtures.scannedCatalog(catalog)
        let scan = try catalog.beginScan(startedAt: Fixtures.day2)
        try catalog.replaceDocument(
            Fixtures.cispDocument(tags: []), passages: [Fixtures.passage("Entirely new text.")], textHash: "h2", scan: scan)
        let before = try snapshot(of: catalog)

        try catalog.rebuild { writer in
            _ = try replay(writer)
        }
        let after = try snapshot(of: catalog)
        #expect(after.documents == before.documents)
        #expect(after.scans == before.scans)
        #expect(after.changes == before.changes)
        #expect(after.search == before.search)

        try expectSearchIndexMatchesPassages(catalog)
        try catalog.rebuild { _ in }
        try expectSearchIndexMatchesPassages(catalog)
        #expect(try catalog.summary() == CatalogSummary(sources: 0, documents: 0, passages: 0, tags: 0, scans: 0))
        #expect(try catalog.search(text: "motivational").isEmpty)
    }

    @Test("a document written over an older version reads back as one written fresh, search index included")
    func rewriteMatchesFresh() throws {
        let fresh = try CatalogDatabase()
        try fresh.write { writer in
            try writer.upsertSources([Fixtures.cisp, Fixtures.nasp])
            try writer.replaceDocument(Fixtures.cispDocument(), passages: Fixtures.cispPassages, textHash: "h-cisp-1", scan: nil)
            try writer.replaceDocument(Fixtures.naspDocument(), passages: Fixtures.naspPassages, textHash: "h-nasp-1", scan: nil)
        }
        let rewritten = try CatalogDatabase()
        try rewritten.write { writer in
            try writer.upsertSources([Fixtures.cisp, Fixtures.nasp])
            try writer.replaceDocument(
                Fixtures.cispDocument(tags: [Fixtures.tag("SP-2", 0.4)]), passages: [Fixtures.passage("An older text on debt advice.")],
                textHash: "h-cisp-0", scan: nil)
            try writer.replaceDocument(Fixtures.naspDocument(), passages: Fixtures.naspPassages, textHash: "h-nasp-1", scan: nil)
        }
        try rewritten.write { writer in
            try writer.replaceDocument(Fixtures.cispDocument(), passages: Fixtures.cispPassages, textHash: "h-cisp-1", scan: nil)
            try writer.replaceDocument(Fixtures.naspDocument(), passages: Fixtures.naspPassages, textHash: "h-nasp-1", scan: nil)
        }
        #expect(try rewritten.taggedDocuments() == fresh.taggedDocuments())
        for competency in ["IS-5", "CE-7", "SP-2"] {
            #expect(try rewritten.query(competency: competency) == fresh.query(competency: competency))
        }
        #expect(try rewritten.query(competency: "SP-2").map(\.documentID) == ["gb-nasp"])
        for text in ["motivational", "community assets", "debt"] {
            #expect(try rewritten.search(text: text).map(\.snippet) == fresh.search(text: text).map(\.snippet))
        }
        #expect(try rewritten.search(text: "debt").isEmpty)
        for catalog in [fresh, rewritten] {
            try expectSearchIndexMatchesPassages(catalog)
            try expectRangesMatchPassages(catalog)
        }
    }

    @Test("saving unchanged sources and reviews again writes no row; a changed source reaches its documents")
    func unchangedInputsWriteNothing() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let decision = ReviewDecision(
            documentID: "ca-cisp", competency: "IS-5", verdict: .reject, note: "not taught", reviewer: "ana", decidedAt: Fixtures.day2)
        try catalog.replaceReviews([decision])
        try catalog.writer.write { db in
            try db.execute(sql: "CREATE TABLE touched (tableName TEXT NOT NULL, kind TEXT NOT NULL)")
            for table in ["source", "document", "documentTargetGroup", "review", "setting"] {
                for kind in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(
                        sql: """
                            CREATE TRIGGER watch_\(table)_\(kind) AFTER \(kind) ON \(table)
                            BEGIN INSERT INTO touched VALUES ('\(table)', '\(kind)'); END
                            """)
                }
            }
        }
        func touched() throws -> [String] {
            try catalog.writer.write { db in
                defer { try? db.execute(sql: "DELETE FROM touched") }
                return try String.fetchAll(db, sql: "SELECT tableName || ' ' || kind FROM touched ORDER BY 1")
            }
        }
        try catalog.write { writer in
            try writer.upsertSources([Fixtures.cisp, Fixtures.nasp, Fixtures.quebec])
            try writer.replaceReviews([decision])
            try writer.recordTaggerFingerprint("f1")
        }
        #expect(try touched() == ["setting INSERT"])
        try catalog.write { writer in
            try writer.upsertSources([Fixtures.cisp, Fixtures.nasp, Fixtures.quebec])
            try writer.replaceReviews([decision])
            try writer.recordTaggerFingerprint("f1")
        }
        #expect(try touched() == [])

        var renamed = Fixtures.nasp
        renamed.institution = "Renamed Academy"
        try catalog.write { try $0.upsertSources([Fixtures.cisp, renamed, Fixtures.quebec]) }
        #expect(try touched().filter { !$0.hasPrefix("documentTargetGroup") } == ["document UPDATE", "source UPDATE"])
        #expect(try catalog.taggedDocuments().first { $0.id == "gb-nasp" }?.institution == "Renamed Academy")
        #expect(try catalog.taggedDocuments().first { $0.id == "ca-cisp" }?.institution == Fixtures.cisp.institution)

        // A decision no longer in the file leaves the catalog; an edited one replaces it.
        var edited = decision
        edited.note = "taught in module 4"
        edited.verdict = .accept
        try catalog.replaceReviews([edited])
        #expect(try catalog.reviews() == [edited])
        try catalog.replaceReviews([])
        #expect(try catalog.reviews().isEmpty)
    }

    private func replay(_ writer: CatalogWriter) throws -> ScanID {
        let first = try writer.beginScan(startedAt: Fixtures.day1)
        for source in [Fixtures.cisp, Fixtures.nasp, Fixtures.quebec] {
            try writer.upsertSource(source)
            try writer.recordFetchOutcome(scan: first, sourceID: source.id, url: source.url.absoluteString, outcome: .new, httpStatus: 200)
        }
        try writer.replaceDocument(Fixtures.cispDocument(), passages: Fixtures.cispPassages, textHash: "h-cisp-1", scan: first)
        try writer.replaceDocument(Fixtures.naspDocument(), passages: Fixtures.naspPassages, textHash: "h-nasp-1", scan: first)
        try writer.replaceDocument(Fixtures.quebecDocument(), passages: Fixtures.quebecPassages, textHash: "h-quebec-1", scan: first)
        try writer.finishScan(first, finishedAt: Fixtures.day1.addingTimeInterval(60))
        let second = try writer.beginScan(startedAt: Fixtures.day2)
        try writer.replaceDocument(
            Fixtures.cispDocument(tags: []), passages: [Fixtures.passage("Entirely new text.")], textHash: "h2", scan: second)
        return second
    }

    private struct Snapshot: Equatable {
        var documents: [TaggedDocument]
        var scans: [ScanSummary]
        var changes: ChangeReport
        var search: [SearchHit]
    }

    private func snapshot(of catalog: CatalogDatabase) throws -> Snapshot {
        Snapshot(
            documents: try catalog.taggedDocuments(), scans: try catalog.scans(), changes: try catalog.changes(),
            search: try catalog.search(text: "text"))
    }
}

@Suite("Catalog: full-text search")
struct CatalogSearchTests {
    @Test("stems English and folds French accents, ranking and highlighting matches")
    func stemsAndFolds() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let hits = try catalog.search(text: "motivational interviewing")
        #expect(Set(hits.map(\.documentID)) == ["ca-cisp", "gb-nasp"])
        let marked = { (hit: SearchHit) in Highlight.render(hit.snippet, hit.highlights, open: "**", close: "**") }
        #expect(hits.allSatisfy { !$0.highlights.isEmpty && !$0.snippet.contains("\u{E000}") })
        #expect(hits.first { $0.documentID == "ca-cisp" }.map(marked)?.contains("**Motivational** **interviewing**") == true)
        #expect(hits.first { $0.documentID == "ca-cisp" }?.heading == "Module 2")

        let french = try catalog.search(text: "evaluation")
        #expect(french.map(\.documentID) == ["ca-quebec"])
        #expect(french.first.map(marked)?.contains("**évaluation**") == true)
        #expect(try catalog.search(text: "ÉVALUATION").map(\.documentID) == ["ca-quebec"])
    }

    @Test("filters, limits and phrases")
    func filtersAndPhrases() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        #expect(
            try catalog.search(text: "motivational", filter: DocumentFilter(countries: [.unitedKingdom])).map(\.documentID) == ["gb-nasp"])
        #expect(try catalog.search(text: "motivational", limit: 1).count == 1)
        #expect(try catalog.search(text: "\"community assets\"").map(\.documentID) == ["ca-cisp"])
        #expect(try catalog.search(text: "\"assets community\"").isEmpty)
    }

    @Test("a filter whose best matches rank below many others still finds them, in rank order")
    func filterBelowBetterMatches() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        // A British document whose 80 short passages all outrank every Canadian one (the words are denser),
        // then a Canadian one written after it, with ties (two identical passages) that rank by position.
        let crowd = Source(
            id: "gb-crowd", url: Fixtures.web("https://example.org.uk/crowd"), title: "Motivational practice",
            country: .unitedKingdom, region: "England", institution: "National Academy", institutionType: .charity,
            kind: .guide, targetGroups: [.linkWorkers])
        let late = Source(
            id: "ca-late", url: Fixtures.web("https://example.ca/late"), title: "Later curriculum", country: .canada,
            region: "ON", institution: "Canadian Institute", institutionType: .network, kind: .training,
            targetGroups: [.volunteers])
        let crowdPassages = (0..<80).map { Fixtures.passage("Motivational interviewing, motivational step \($0).", at: $0 * 60) }
        let latePassages = [
            "Workers learn motivational interviewing in the second week, with a mentor and a group of peers.",
            "The course ends with a motivational review of goals, a written reflection and a final interview.",
            "The course ends with a motivational review of goals, a written reflection and a final interview.",
            "Nothing here matches the search at all.",
        ].enumerated().map { Fixtures.passage($1, at: $0 * 120) }
        try catalog.write { writer in
            for (source, passages) in [(crowd, crowdPassages), (late, latePassages)] {
                try writer.upsertSource(source)
                try writer.replaceDocument(
                    TaggedDocument(id: source.id, source: source, url: source.url.absoluteString, tags: []), passages: passages,
                    textHash: "h-\(source.id)", scan: nil)
            }
        }
        let everything = try catalog.search(text: "motivational", limit: 1_000)
        #expect(everything.prefix(80).allSatisfy { $0.documentID == "gb-crowd" })
        let canadian = everything.filter { $0.country == .canada }
        #expect(canadian.map(\.documentID).sorted() == ["ca-cisp", "ca-late", "ca-late", "ca-late"])
        // Both ways of filtering: ranking only the admitted documents' passages (at once above 0 matches) and
        // checking the best matches first (never more than Int.max matches).
        for manyMatches in [0, Int.max] {
            for limit in 1...5 {
                let hits = try catalog.search(
                    text: "motivational", filter: DocumentFilter(countries: [.canada]), limit: limit, manyMatches: manyMatches)
                #expect(hits == Array(canadian.prefix(limit)))
            }
            let volunteers = try catalog.search(
                text: "motivational", filter: DocumentFilter(targetGroups: [.volunteers]), limit: 2, manyMatches: manyMatches)
            #expect(volunteers == Array(everything.filter { ["ca-cisp", "ca-late"].contains($0.documentID) }.prefix(2)))
            let ireland = try catalog.search(
                text: "motivational", filter: DocumentFilter(countries: [.ireland]), limit: 20, manyMatches: manyMatches)
            #expect(ireland.isEmpty)
        }
        // A document whose passage range is unknown is still found, by checking the best matches, deeper and deeper.
        try catalog.writer.write { db in
            try db.execute(sql: "UPDATE document SET firstPassageID = NULL, lastPassageID = NULL WHERE id = 'ca-late'")
        }
        for manyMatches in [0, Int.max] {
            for limit in 1...5 {
                let hits = try catalog.search(
                    text: "motivational", filter: DocumentFilter(countries: [.canada]), limit: limit, manyMatches: manyMatches)
                #expect(hits == Array(canadian.prefix(limit)))
            }
        }
    }

    @Test("each document records the range of its passage ids, rewritten with its text")
    func passageRanges() throws {
        let catalog = try CatalogDatabase()
        let scan = try Fixtures.scannedCatalog(catalog)
        try expectRangesMatchPassages(catalog)
        try catalog.write { writer in
            // Changed text: new passages, new range; no passages: an empty range.
            try writer.replaceDocument(
                Fixtures.cispDocument(), passages: Fixtures.cispPassages + [Fixtures.passage("One more module.")],
                textHash: "h-cisp-2", scan: scan)
            try writer.replaceDocument(Fixtures.quebecDocument(), passages: [], textHash: "h-quebec-2", scan: scan)
        }
        try expectRangesMatchPassages(catalog)
        let quebec = try catalog.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT firstPassageID, lastPassageID FROM document WHERE id = 'ca-quebec'")
        }
        #expect((quebec?[1] as Int64? ?? 0) < (quebec?[0] as Int64? ?? 0))
        #expect(try catalog.search(text: "module", filter: DocumentFilter(countries: [.canada]), limit: 5, manyMatches: 0).count == 1)
    }

    @Test("the migration to passage ranges records them where a document's passage ids are consecutive")
    func passageRangeMigration() throws {
        let queue = try DatabaseQueue()
        try CatalogMigrations.migrator.migrate(queue, upTo: "v2: settings")
        try queue.write { db in
            for id in ["a", "b", "c"] {
                try db.execute(
                    sql: """
                        INSERT INTO document (id, sourceID, url, title, country, institution, institutionType, kind,
                            targetGroups, populations, language, origin, textHash, passageCount)
                        VALUES (?, 's', 'u', 't', 'CA', 'i', 'network', 'guide', '', '', 'en', 'scan', 'h', 0)
                        """, arguments: [id])
            }
            // "a" holds 1 and 2; "b" holds 3 and 5, with 4 belonging to "a".
            for (id, document) in [(1, "a"), (2, "a"), (3, "b"), (4, "a"), (5, "b")] {
                try db.execute(
                    sql: """
                        INSERT INTO passage (id, documentID, position, text, heading, startOffset, endOffset, language, role)
                        VALUES (?, ?, ?, 'x', '', 0, 1, 'en', 'paragraph')
                        """, arguments: [id, document, id])
            }
            try db.execute(sql: "DELETE FROM passage WHERE id = 4")
        }
        try CatalogMigrations.migrator.migrate(queue)
        let ranges = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, firstPassageID, lastPassageID FROM document ORDER BY id").map {
                "\($0[0] as String) \($0[1] as Int64? ?? -1) \($0[2] as Int64? ?? -1)"
            }
        }
        #expect(ranges == ["a 1 2", "b -1 -1", "c 1 0"])
    }

    @Test("search syntax in user text is taken as words, never as a query")
    func userTextIsEscaped() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        for text in ["motivational AND (", "NEAR(goals", "safeguard*", "\"unbalanced", "text:motivational", "'; DROP TABLE passage; --"] {
            _ = try catalog.search(text: text)
        }
        #expect(try catalog.summary().passages == 5)
        #expect(throws: CatalogError.emptySearch("  ?! ")) { try catalog.search(text: "  ?! ") }
    }
}

@Suite("Catalog: changes between scans")
struct CatalogChangesTests {
    @Test("the latest scan's new, changed, gone and failed documents, passages and coverage moves")
    func latestScan() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let scan = try catalog.beginScan(startedAt: Fixtures.day2)
        // Same text, new bytes: not a change.
        try catalog.replaceDocument(Fixtures.naspDocument(), passages: Fixtures.naspPassages, textHash: "h-nasp-1", scan: scan)
        // New text: one passage replaced, one tag lost, one gained.
        let newPassage = Fixtures.passage("Social needs assessment uses a structured conversation.")
        try catalog.replaceDocument(
            Fixtures.cispDocument(tags: [Fixtures.tag("IS-5", 0.9), Fixtures.tag("IS-1", 0.4)]),
            passages: [Fixtures.cispPassages[0], newPassage], textHash: "h-cisp-2", scan: scan)
        try catalog.recordFetchOutcome(
            scan: scan, sourceID: "ca-quebec", url: Fixtures.quebec.url.absoluteString, outcome: .gone, httpStatus: 404)
        try catalog.recordFetchOutcome(
            scan: scan, sourceID: "gb-extra", url: "https://example.org/extra", outcome: .failed, httpStatus: 503,
            error: "the server answered 503 after 3 retries")
        try catalog.finishScan(scan, finishedAt: Fixtures.day2.addingTimeInterval(30))

        let report = try catalog.changes()
        #expect(report.scans.map(\.id) == [scan])
        #expect(report.newDocuments.isEmpty)
        #expect(report.changedDocuments.map(\.documentID) == ["ca-cisp"])
        #expect(report.goneDocuments.map(\.documentID) == ["ca-quebec"])
        #expect(report.goneDocuments.first?.detail == "HTTP 404")
        #expect(report.failedDocuments.map(\.detail) == ["failed: HTTP 503: the server answered 503 after 3 retries"])
        #expect(report.passagesAdded.map(\.text) == [newPassage.text])
        #expect(report.passagesRemoved.map(\.text) == [Fixtures.cispPassages[1].text])
        #expect(
            report.coverageMoves.map { "\($0.documentID) \($0.competency) \($0.direction)" } == [
                "ca-cisp CE-7 lost", "ca-cisp IS-1 gained",
            ])
        #expect(try catalog.document(id: "ca-quebec")?.isGone == true)
        #expect(try catalog.scans().last?.outcomes == ["gone": 1, "failed": 1])
    }

    @Test("since a date, changes are netted over several scans")
    func nettedSinceDate() throws {
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let second = try catalog.beginScan(startedAt: Fixtures.day2)
        try catalog.replaceDocument(
            Fixtures.cispDocument(tags: [Fixtures.tag("IS-5", 0.9)]), passages: [Fixtures.cispPassages[0]], textHash: "h2",
            scan: second)
        try catalog.recordFetchOutcome(scan: second, sourceID: "gb-nasp", url: Fixtures.nasp.url.absoluteString, outcome: .failed)
        let third = try catalog.beginScan(startedAt: Fixtures.day3)
        try catalog.replaceDocument(Fixtures.cispDocument(), passages: Fixtures.cispPassages, textHash: "h-cisp-1", scan: third)
        try catalog.recordFetchOutcome(scan: third, sourceID: "gb-nasp", url: Fixtures.nasp.url.absoluteString, outcome: .unchanged)

        let netted = try catalog.changes(since: Fixtures.day2)
        #expect(netted.scans.map(\.id) == [second, third])
        #expect(netted.changedDocuments.map(\.documentID) == ["ca-cisp"])
        #expect(netted.passagesAdded.isEmpty && netted.passagesRemoved.isEmpty)
        #expect(netted.coverageMoves.isEmpty)
        #expect(netted.failedDocuments.isEmpty)

        let everything = try catalog.changes(since: Fixtures.day1)
        #expect(everything.newDocuments.map(\.documentID) == ["ca-cisp", "ca-quebec", "gb-nasp"])
        #expect(everything.changedDocuments.isEmpty)
        #expect(try catalog.changes(since: Fixtures.day3.addingTimeInterval(1)).isEmpty)
    }

    @Test("an empty catalog has no changes")
    func emptyCatalog() throws {
        let report = try CatalogDatabase().changes()
        #expect(report.isEmpty && report.scans.isEmpty)
    }
}

@Suite("Catalog: passage diff")
struct PassageDiffTests {
    @Test("moved passages are neither added nor removed; duplicates count")
    func multiset() {
        let a = PassageDiff.Key(heading: "", text: "a")
        let b = PassageDiff.Key(heading: "", text: "b")
        let c = PassageDiff.Key(heading: "", text: "c")
        let result = PassageDiff.compare(old: [a, b, b], new: [b, a, c])
        #expect(result.added == [c])
        #expect(result.removed == [b])
    }
}

@Suite("Catalog: text fingerprint")
struct TextFingerprintTests {
    @Test("white space does not change the fingerprint; words do")
    func whitespace() {
        let base = TextFingerprint.of("Motivational interviewing\n\nModule 2")
        #expect(TextFingerprint.of("  Motivational   interviewing\tModule 2\n") == base)
        #expect(TextFingerprint.of("Motivational interviewing Module 3") != base)
        #expect(TextFingerprint.of("Motivationalinterviewing Module 2") != base)
        #expect(base.count == 16)
    }

    @Test("the fingerprint is FNV-1a of the folded text, the same in every release")
    func stableValues() {
        // Published FNV-1a (64 bits) values: a catalog built by an earlier release must not see every document change.
        #expect(TextFingerprint.of("") == "cbf29ce484222325")
        #expect(TextFingerprint.of("a") == "af63dc4c8601ec8c")
        #expect(TextFingerprint.of("foobar") == "85944171f73967e8")
        #expect(TextFingerprint.of("  foo \n\t bar ") == TextFingerprint.of("foo bar"))
    }
}

@Suite("Catalog: reviews from Reviews.yaml")
struct CatalogReviewFileTests {
    @Test("the file replaces the catalog's decisions, and a rebuild keeps them when reloaded")
    func reload() throws {
        let directory = try TemporaryDirectory()
        let catalog = try CatalogDatabase()
        _ = try Fixtures.scannedCatalog(catalog)
        let decision = ReviewDecision(documentID: "ca-cisp", competency: "IS-5", verdict: .reject, decidedAt: Fixtures.day2)
        try ReviewFile.write([decision], to: directory.path("Reviews.yaml"))
        try catalog.recordReview(ReviewDecision(documentID: "gb-nasp", competency: "IS-5", verdict: .reject, decidedAt: Fixtures.day1))
        #expect(try catalog.replaceReviews(from: directory.path("Reviews.yaml")) == [decision])
        #expect(try catalog.reviews() == [decision])
        #expect(try catalog.query(competency: "IS-5").map(\.documentID) == ["gb-nasp"])
        #expect(try catalog.replaceReviews(from: directory.path("missing.yaml")).isEmpty)
        #expect(try catalog.query(competency: "IS-5").map(\.documentID) == ["ca-cisp", "gb-nasp"])
    }
}

@Suite("Catalog: evidence storage")
struct EvidenceStorageTests {
    @Test("evidence reads back exactly: order, spans, terms, page and heading")
    func roundTrip() throws {
        let catalog = try CatalogDatabase()
        let evidence = [
            Evidence(
                text: "Goals, set together; reviewed.", start: 10, end: 40, heading: "Module 1 > Goals", page: 3,
                terms: ["goals", "set together", ""],
                spans: [Span(start: 0, end: 5, term: "goals"), Span(start: 7, end: 19, term: "a;b,c")],
                score: 0.4),
            Evidence(text: "Second", start: 50, end: 56, terms: [], spans: [], score: 0.8),
        ]
        let document = TaggedDocument(
            id: "ca-cisp", source: Fixtures.cisp, url: "https://example.ca/cisp",
            tags: [Fixtures.tag("IS-3", 0.8, evidence: evidence)])
        try catalog.replaceDocument(document, passages: Fixtures.cispPassages, textHash: "h", scan: nil)
        #expect(try catalog.taggedDocuments() == [document])
        #expect(try catalog.document(id: "ca-cisp")?.document == document)
        #expect(try catalog.taggedDocuments(evidence: .best).first?.tags.first?.evidence == [evidence[1]])
        #expect(try catalog.query(competency: "IS-3").first?.evidence == evidence[1])
    }
}
