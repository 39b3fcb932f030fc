import Foundation
import GRDB
import SPScanModel

/// What saving a document did, so that a scan's summary can say which documents were new or changed.
public enum DocumentChange: Hashable, Sendable {
    case new
    /// The extracted text changed; counts of passages that appeared and disappeared.
    case changed(passagesAdded: Int, passagesRemoved: Int)
    /// Same extracted text as before (bytes may differ: a timestamp, a session token, a reordered menu).
    case unchanged
}

/// The catalog's writes, valid inside one transaction (`CatalogDatabase.write` or `rebuild`).
///
/// Each method is named for what the pipeline means by it, and records the change events that
/// `changes(since:)` reports, because the previous version is only at hand while it is being replaced.
public struct CatalogWriter {
    let db: Database

    /// Records the fingerprint of the framework and tagger that the catalog's tags were computed with.
    public func recordTaggerFingerprint(_ fingerprint: String) throws {
        try db.execute(
            sql: """
                INSERT INTO setting (key, value) VALUES ('taggerFingerprint', ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value
                """,
            arguments: [fingerprint])
    }

    /// Records the other spellings (ids, aliases) of the registry's institutions, so that a filter read from the
    /// catalog alone (`query`, `search`, the web page) accepts them as `matrix` does with Sources.yaml at hand.
    public func recordInstitutionSpellings(_ institutions: [Institution], sources: [Source]) throws {
        let spellings = FilterVocabulary.spellings(of: institutions, present: Set(sources.map(\.institution)).sorted())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(spellings), as: UTF8.self)
        try db.execute(
            sql:
                """
                INSERT INTO setting (key, value) VALUES ('institutionSpellings', ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value
                """,
            arguments: [json])
    }

    public func beginScan(startedAt: Date) throws -> ScanID {
        var record = ScanRecord(id: nil, startedAt: startedAt, finishedAt: nil)
        try record.insert(db)
        return ScanID(record.id ?? db.lastInsertedRowID)
    }

    public func finishScan(_ scan: ScanID, finishedAt: Date) throws {
        try db.execute(sql: "UPDATE scan SET finishedAt = ? WHERE id = ?", arguments: [finishedAt, scan.rawValue])
        if db.changesCount == 0 { throw CatalogError.unknownScan(scan.rawValue) }
    }

    /// Records one fetch of one URL. A `gone` outcome marks the document gone (it stays in the catalog with
    /// its last version, as its snapshots stay in Corpus/); failures leave the previous version current.
    public func recordFetchOutcome(
        scan: ScanID, sourceID: String, url: String, outcome: FetchOutcome, httpStatus: Int? = nil, error: String? = nil,
        documentID: String? = nil
    ) throws {
        // One row per source and scan: prepared statements, as for documents, since a scan records thousands.
        let document =
            try documentID
            ?? String.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM document WHERE sourceID = ? AND url = ? ORDER BY id LIMIT 1"),
                arguments: [sourceID, url])
        var row = DirectInsert(
            try db.cachedStatement(
                sql: """
                    INSERT INTO fetchOutcome (scanID, sourceID, url, documentID, outcome, httpStatus, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """), in: db)
        row.bind(scan.rawValue)
        row.bind(sourceID)
        row.bind(url)
        row.bind(document)
        row.bind(outcome.rawValue)
        row.bind(httpStatus)
        row.bind(error)
        try row.run()
        if outcome == .gone, let document {
            try db.cachedStatement(sql: "UPDATE document SET isGone = 1 WHERE id = ?").execute(arguments: [document])
        }
    }

    /// Saves the registry's sources, writing only those whose stored row differs from Sources.yaml: a re-scan
    /// of an unchanged registry then rewrites no source row, no document's facets and no target group.
    public func upsertSources(_ sources: [Source]) throws {
        var stored: [String: SourceRecord] = [:]
        for record in try SourceRecord.fetchAll(db) { stored[record.id] = record }
        for source in sources where stored[source.id] != SourceRecord(source) {
            try upsertSource(source)
        }
    }

    /// Saves a source's facets and copies them onto its documents, so that an edit to Sources.yaml (a new
    /// institution name, another target group) shows in every query without re-tagging anything.
    public func upsertSource(_ source: Source) throws {
        let record = SourceRecord(source)
        try db.cachedStatement(
            sql: """
                INSERT INTO source (id, url, title, country, region, institution, institutionType, kind, targetGroups,
                    populations, language)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET url = excluded.url, title = excluded.title, country = excluded.country,
                    region = excluded.region, institution = excluded.institution, institutionType = excluded.institutionType,
                    kind = excluded.kind, targetGroups = excluded.targetGroups, populations = excluded.populations,
                    language = excluded.language
                """
        ).execute(arguments: [
            record.id, record.url, record.title, record.country, record.region, record.institution, record.institutionType,
            record.kind, record.targetGroups, record.populations, record.language,
        ])
        try db.cachedStatement(
            sql: """
                UPDATE document SET country = ?, region = ?, institution = ?, institutionType = ?, kind = ?,
                    targetGroups = ?, populations = ?
                WHERE sourceID = ?
                """
        ).execute(
            arguments: [
                record.country, record.region, record.institution, record.institutionType, record.kind,
                record.targetGroups, record.populations, source.id,
            ])
        let documents = try String.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM document WHERE sourceID = ?"), arguments: [source.id])
        for document in documents {
            try replaceTargetGroups(document: document, source.targetGroups)
        }
    }

    /// Saves a tagged document with its passages.
    ///
    /// The document counts as changed only when `textHash` (a hash of its extracted text) differs from the
    /// stored one: new bytes with the same text are not news. Passages are rewritten only then; tags are
    /// always replaced, so that a new Framework.yaml shows even on unchanged text. With a scan, the changes
    /// are recorded as events for `changes(since:)`.
    @discardableResult
    public func replaceDocument(_ document: TaggedDocument, passages: [Passage], textHash: String, scan: ScanID?) throws
        -> DocumentChange
    {
        // Hot path of a scan and of `spscan index`: prepared statements rather than record encoding, which
        // costs more than SQLite's own work at thousands of documents.
        let previous = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT textHash, passageCount, firstScanID, lastChangedScanID FROM document WHERE id = ?"),
            arguments: [document.id])
        let previousHash: String? = previous?["textHash"]
        let textChanged = previousHash != textHash
        let firstScan: Int64? = previous?["firstScanID"]
        let lastChangedScan: Int64? = textChanged ? scan?.rawValue : previous?["lastChangedScanID"]
        let passageCount: Int = textChanged ? passages.count : (previous?["passageCount"] ?? passages.count)
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO document (id, sourceID, url, title, country, region, institution, institutionType, kind,
                    targetGroups, populations, language, origin, snapshotSHA256, fetchedAt, textHash, passageCount,
                    firstScanID, lastChangedScanID, isGone, inScope, scopeReason, scopeEvidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET sourceID = excluded.sourceID, url = excluded.url, title = excluded.title,
                    country = excluded.country, region = excluded.region, institution = excluded.institution,
                    institutionType = excluded.institutionType, kind = excluded.kind, targetGroups = excluded.targetGroups,
                    populations = excluded.populations, language = excluded.language, origin = excluded.origin,
                    snapshotSHA256 = excluded.snapshotSHA256, fetchedAt = excluded.fetchedAt, textHash = excluded.textHash,
                    passageCount = excluded.passageCount, firstScanID = excluded.firstScanID,
                    lastChangedScanID = excluded.lastChangedScanID, isGone = 0, inScope = excluded.inScope,
                    scopeReason = excluded.scopeReason, scopeEvidence = excluded.scopeEvidence
                """
        )
        // Bound directly: GRDB's boxed arguments were a third of the index stage's own time at 22 values a document.
        var row = DirectInsert(upsert, in: db)
        row.bind(document.id)
        row.bind(document.sourceID)
        row.bind(document.url)
        row.bind(document.title)
        row.bind(document.country.rawValue)
        row.bind(document.region)
        row.bind(document.institution)
        row.bind(document.institutionType.rawValue)
        row.bind(document.kind.rawValue)
        row.bind(FacetList.encode(document.targetGroups))
        row.bind(FacetList.encode(document.populations))
        row.bind(document.language.rawValue)
        row.bind(document.origin.rawValue)
        row.bind(document.snapshotSHA256)
        row.bind(document.fetchedAt)
        row.bind(textHash)
        row.bind(passageCount)
        row.bind((firstScan ?? scan?.rawValue).map(Int.init))
        row.bind(lastChangedScan.map(Int.init))
        row.bind(document.inScope)
        row.bind(document.scopeReason)
        // The scope evidence goes to its own rows below; the column is for catalogs before v7.
        row.bindNull()
        try row.run()
        // A new document has no rows to delete or to compare with: on a first scan that is every document, and
        // the deletes and reads it skips were a third of the index stage's statements.
        let isNew = previous == nil
        try replaceTargetGroups(document: document.id, document.targetGroups, isNew: isNew)

        var change = DocumentChange.unchanged
        // The passages the evidence refers to: those just written, or, when the text is unchanged, those stored.
        var lookup: PassageLookup?
        if textChanged {
            let removed = isNew ? [] : try storedPassages(of: document.id)
            if !isNew { try deletePassages(of: document.id) }
            let ids = try insertPassages(passages, of: document.id)
            lookup = PassageLookup(passages, ids: ids)
            if previous == nil {
                change = .new
            } else {
                let (added, gone) = PassageDiff.compare(old: removed, new: passages.map { PassageDiff.Key($0) })
                change = .changed(passagesAdded: added.count, passagesRemoved: gone.count)
                if let scan { try recordPassageEvents(added: added, removed: gone, document: document.id, scan: scan) }
            }
            if let scan {
                var event = DirectInsert(
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO documentEvent (scanID, documentID, sourceID, url, title, change, detail)
                            VALUES (?, ?, ?, ?, ?, ?, NULL)
                            """), in: db)
                event.bind(scan.rawValue)
                event.bind(document.id)
                event.bind(document.sourceID)
                event.bind(document.url)
                event.bind(document.title)
                event.bind((previous == nil ? DocumentEventKind.new : DocumentEventKind.changed).rawValue)
                try event.run()
                var version = DirectInsert(
                    try db.cachedStatement(
                        sql: """
                            INSERT OR REPLACE INTO documentVersion (documentID, scanID, snapshotSHA256, textHash, fetchedAt, passageCount)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """), in: db)
                version.bind(document.id)
                version.bind(scan.rawValue)
                version.bind(document.snapshotSHA256)
                version.bind(textHash)
                version.bind(document.fetchedAt)
                version.bind(passages.count)
                try version.run()
            }
        }
        if lookup == nil, !document.scopeEvidence.isEmpty || document.tags.contains(where: { !$0.evidence.isEmpty }) {
            lookup = try storedPassageLookup(of: document.id)
        }
        let passageLookup = lookup ?? PassageLookup([], ids: [])
        try replaceScopeEvidence(document.scopeEvidence, of: document.id, passages: passageLookup, isNew: isNew)
        try replaceTags(document.tags, of: document.id, passages: passageLookup, scan: scan, isNew: isNew)
        return change
    }

    /// Records why a document has no ordinary text (`empty` with the reason, `ocr` with its confidence
    /// summary); a document whose outcome is `text` has no row.
    public func recordExtractionOutcome(documentID: String, outcome: String, reason: String?) throws {
        if outcome == "text" {
            try db.cachedStatement(sql: "DELETE FROM documentOutcome WHERE documentID = ?").execute(arguments: [documentID])
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO documentOutcome (documentID, outcome, reason) VALUES (?, ?, ?)
                    ON CONFLICT(documentID) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason
                    """
            ).execute(arguments: [documentID, outcome, reason])
        }
    }

    /// Remembers that the snapshot with these bytes could not be read by this extraction method.
    public func rememberUnreadable(
        sha256: String, extractionMethod: Int, documentID: String, outcome: String, reason: String, at date: Date = Date()
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO unreadableSnapshot (sha256, extractionMethod, documentID, outcome, reason, firstSeenAt)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(sha256) DO UPDATE SET extractionMethod = excluded.extractionMethod,
                    documentID = excluded.documentID, outcome = excluded.outcome, reason = excluded.reason
                """, arguments: [sha256, extractionMethod, documentID, outcome, reason, date])
    }

    /// Removes the sources (and their documents) that Sources.yaml no longer lists; returns the removed
    /// source ids. Their snapshots stay in Corpus/.
    @discardableResult
    public func removeSourcesNotIn(ids: Set<String>, scan: ScanID? = nil) throws -> [String] {
        let known = Set(try String.fetchAll(db, sql: "SELECT id FROM source UNION SELECT DISTINCT sourceID FROM document"))
        let stale = known.subtracting(ids).sorted()
        for sourceID in stale {
            let documents = try DocumentRecord.filter(DocumentRecord.Columns.sourceID == sourceID).fetchAll(db)
            for document in documents {
                if let scan {
                    let tags = try TagRecord.filter(TagRecord.Columns.documentID == document.id).fetchAll(db)
                    for tag in tags {
                        try TagEventRecord(
                            id: nil, scanID: scan.rawValue, documentID: document.id, competency: tag.competency,
                            change: TagEventKind.lost.rawValue, scoreBefore: tag.score, scoreAfter: nil
                        ).insert(db)
                    }
                    try DocumentEventRecord(
                        id: nil, scanID: scan.rawValue, documentID: document.id, sourceID: sourceID, url: document.url,
                        title: document.title, change: DocumentEventKind.removed.rawValue,
                        detail: "source '\(sourceID)' is no longer in Sources.yaml"
                    ).insert(db)
                }
                try deletePassages(of: document.id)
                try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [document.id])
            }
            try db.execute(sql: "DELETE FROM source WHERE id = ?", arguments: [sourceID])
        }
        return stale
    }

    /// Replaces every review decision with those of Reviews.yaml, the file being the truth. Only the decisions
    /// that differ from the stored ones are written, so that a scan with an unchanged file touches no row.
    public func replaceReviews(_ decisions: [ReviewDecision]) throws {
        var wanted: [ReviewKey: ReviewRecord] = [:]
        for decision in decisions { wanted[ReviewKey(decision.documentID, decision.competency)] = ReviewRecord(decision) }
        var stored: [ReviewKey: ReviewRecord] = [:]
        for record in try ReviewRecord.fetchAll(db) { stored[ReviewKey(record.documentID, record.competency)] = record }
        let delete = try db.cachedStatement(sql: "DELETE FROM review WHERE documentID = ? AND competency = ?")
        for key in stored.keys where wanted[key] == nil {
            try delete.execute(arguments: [key.documentID, key.competency])
        }
        for (key, record) in wanted where stored[key] != record { try record.upsert(db) }
    }

    /// Records one decision, superseding an earlier one on the same tag.
    public func recordReview(_ decision: ReviewDecision) throws {
        try ReviewRecord(decision).upsert(db)
    }

    // MARK: Internals

    private func replaceTargetGroups(document: String, _ groups: [TargetGroup], isNew: Bool = false) throws {
        if !isNew {
            try db.cachedStatement(sql: "DELETE FROM documentTargetGroup WHERE documentID = ?").execute(arguments: [document])
        }
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO documentTargetGroup (documentID, targetGroup) VALUES (?, ?)")
        for group in groups {
            var row = DirectInsert(insert, in: db)
            row.bind(document)
            row.bind(group.rawValue)
            try row.run()
        }
    }

    private func storedPassages(of document: String) throws -> [PassageDiff.Key] {
        try Row.fetchAll(
            db, sql: "SELECT heading, text FROM passage WHERE documentID = ? ORDER BY position", arguments: [document]
        ).map { PassageDiff.Key(heading: $0["heading"], text: $0["text"]) }
    }

    /// Passages go through prepared statements: a scan of thousands of documents writes hundreds of
    /// thousands of them. Each is indexed for search as it lands, in the same transaction.
    ///
    /// The document records the range of its passages' ids, which filtered searches read instead of each
    /// passage's row; when the ids did not come out consecutive, the range is left unknown (NULL).
    @discardableResult
    private func insertPassages(_ passages: [Passage], of document: String) throws -> [Int64] {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO passage (documentID, position, text, heading, page, startOffset, endOffset, language, role)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let index = try db.cachedStatement(sql: "INSERT INTO passageFTS (rowid, text) VALUES (?, ?)")
        var ids: (lowest: Int64, highest: Int64)?
        var inserted: [Int64] = []
        inserted.reserveCapacity(passages.count)
        for (position, passage) in passages.enumerated() {
            var row = DirectInsert(insert, in: db)
            row.bind(document)
            row.bind(position)
            row.bind(passage.text)
            row.bind(passage.heading)
            row.bind(passage.page)
            row.bind(passage.start)
            row.bind(passage.end)
            row.bind(passage.language.rawValue)
            row.bind(passage.role.rawValue)
            try row.run()
            let id = db.lastInsertedRowID
            var entry = DirectInsert(index, in: db)
            entry.bind(id)
            entry.bind(passage.text)
            try entry.run()
            ids = (min(ids?.lowest ?? id, id), max(ids?.highest ?? id, id))
            inserted.append(id)
        }
        // Distinct ids as many as the span between the lowest and the highest fill it: no other passage is inside.
        let range: (first: Int64?, last: Int64?) =
            switch ids {
            case nil: (1, 0)
            case let (lowest, highest)? where highest - lowest + 1 == Int64(passages.count): (lowest, highest)
            default: (nil, nil)
            }
        try db.cachedStatement(sql: "UPDATE document SET firstPassageID = ?, lastPassageID = ? WHERE id = ?")
            .execute(arguments: [range.first, range.last, document])
        return inserted
    }

    /// The stored passages of a document whose text did not change, for the evidence of its new tags.
    private func storedPassageLookup(of document: String) throws -> PassageLookup {
        var passages: [Passage] = []
        var ids: [Int64] = []
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT id, text, heading, page, startOffset, endOffset FROM passage WHERE documentID = ? ORDER BY position"),
            arguments: [document])
        while let row = try rows.next() {
            ids.append(row[0])
            passages.append(Passage(text: row[1], heading: row[2], page: row[3], start: row[4], end: row[5]))
        }
        return PassageLookup(passages, ids: ids)
    }

    /// Removes a document's passages and their search entries; an external-content index forgets a row only
    /// when told its old text, which the passage table still holds at this point.
    private func deletePassages(of document: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO passageFTS (passageFTS, rowid, text)
                SELECT 'delete', id, text FROM passage WHERE documentID = ?
                """
        ).execute(arguments: [document])
        try db.cachedStatement(sql: "DELETE FROM passage WHERE documentID = ?").execute(arguments: [document])
    }

    private func recordPassageEvents(added: [PassageDiff.Key], removed: [PassageDiff.Key], document: String, scan: ScanID)
        throws
    {
        for (change, keys) in [(PassageEventKind.added, added), (PassageEventKind.removed, removed)] {
            for key in keys {
                try PassageEventRecord(
                    id: nil, scanID: scan.rawValue, documentID: document, change: change.rawValue, heading: key.heading,
                    text: key.text
                ).insert(db)
            }
        }
    }

    /// Writes the passages that show whether a document is in the field's scope, by reference as tag evidence.
    private func replaceScopeEvidence(_ evidence: [Evidence], of document: String, passages: PassageLookup, isNew: Bool)
        throws
    {
        if !isNew {
            try db.cachedStatement(sql: "DELETE FROM scopeEvidence WHERE documentID = ?").execute(arguments: [document])
        }
        guard !evidence.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO scopeEvidence (documentID, position, passageID, text, heading, page, startOffset, endOffset,
                    score, terms, spans)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (position, item) in evidence.enumerated() {
            var row = DirectInsert(insert, in: db)
            row.bind(document)
            row.bind(position)
            row.bindReference(to: item, in: passages)
            row.bind(item.score)
            row.bind(EvidenceCodec.terms(item.terms))
            row.bind(EvidenceCodec.spans(item.spans))
            try row.run()
        }
    }

    /// Writes a document's tags and their evidence. Evidence names the passage it quotes by id; only evidence
    /// that quotes no stored passage carries its own text.
    private func replaceTags(_ tags: [Tag], of document: String, passages: PassageLookup, scan: ScanID?, isNew: Bool) throws {
        var before: [String: Double] = [:]
        if !isNew {
            if scan != nil {
                let rows = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT competency, score FROM tag WHERE documentID = ?"), arguments: [document])
                for row in rows {
                    before[row["competency"]] = row["score"]
                }
            }
            try db.cachedStatement(sql: "DELETE FROM evidence WHERE documentID = ?").execute(arguments: [document])
            try db.cachedStatement(sql: "DELETE FROM tag WHERE documentID = ?").execute(arguments: [document])
        }
        let insertTag = try db.cachedStatement(
            sql: "INSERT INTO tag (documentID, competency, domain, score, bestPosition) VALUES (?, ?, ?, ?, ?)")
        let insertEvidence = try db.cachedStatement(
            sql: """
                INSERT INTO evidence (documentID, competency, position, passageID, text, heading, page, startOffset,
                    endOffset, score, terms, spans)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var after: [String: Double] = [:]
        for tag in tags where after[tag.competency] == nil {
            after[tag.competency] = tag.score
            // The first of the best-scoring passages, so that ties resolve the same way every time.
            let best = tag.evidence.indices.max { lhs, rhs in
                tag.evidence[lhs].score != tag.evidence[rhs].score ? tag.evidence[lhs].score < tag.evidence[rhs].score : lhs > rhs
            }
            var row = DirectInsert(insertTag, in: db)
            row.bind(document)
            row.bind(tag.competency)
            row.bind(tag.domain)
            row.bind(tag.score)
            row.bind(best)
            try row.run()
            for (position, evidence) in tag.evidence.enumerated() {
                var row = DirectInsert(insertEvidence, in: db)
                row.bind(document)
                row.bind(tag.competency)
                row.bind(position)
                row.bindReference(to: evidence, in: passages)
                row.bind(evidence.score)
                row.bind(EvidenceCodec.terms(evidence.terms))
                row.bind(EvidenceCodec.spans(evidence.spans))
                try row.run()
            }
        }
        guard let scan else { return }
        for competency in Set(before.keys).union(after.keys).sorted() {
            let old = before[competency]
            let new = after[competency]
            guard (old == nil) != (new == nil) else { continue }
            try db.cachedStatement(
                sql: """
                    INSERT INTO tagEvent (scanID, documentID, competency, change, scoreBefore, scoreAfter)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                scan.rawValue, document, competency, (new == nil ? TagEventKind.lost : TagEventKind.gained).rawValue, old, new,
            ])
        }
    }

    /// Empties every table, keeping the schema; used by `rebuild`. The search index is cleared in one
    /// command rather than passage by passage.
    func removeEverything() throws {
        for table in [
            "tagEvent", "passageEvent", "documentEvent", "fetchOutcome", "documentVersion", "review", "evidence", "tag",
            "scopeEvidence",
            "passage", "documentTargetGroup", "document", "source", "scan", "setting", "documentOutcome",
            "unreadableSnapshot",
        ] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
        try db.execute(sql: "INSERT INTO passageFTS(passageFTS) VALUES('delete-all')")
        // Fresh row ids, so that a rebuilt catalog numbers its scans as a new one would.
        if try db.tableExists("sqlite_sequence") {
            try db.execute(sql: "DELETE FROM sqlite_sequence")
        }
    }
}

/// A review's key: one decision per document and competency.
struct ReviewKey: Hashable {
    var documentID: String
    var competency: String

    init(_ documentID: String, _ competency: String) {
        self.documentID = documentID
        self.competency = competency
    }
}

enum DocumentEventKind: String {
    case new
    case changed
    case removed
}

enum PassageEventKind: String {
    case added
    case removed
}

enum TagEventKind: String {
    case gained
    case lost
}

/// Passages that appeared and disappeared between two versions of a document, compared by heading and text
/// as multisets: a passage that only moved is neither added nor removed.
enum PassageDiff {
    struct Key: Hashable {
        var heading: String
        var text: String

        init(heading: String, text: String) {
            self.heading = heading
            self.text = text
        }

        init(_ passage: Passage) {
            self.init(heading: passage.heading, text: passage.text)
        }
    }

    static func compare(old: [Key], new: [Key]) -> (added: [Key], removed: [Key]) {
        var remaining: [Key: Int] = [:]
        for key in old { remaining[key, default: 0] += 1 }
        var added: [Key] = []
        for key in new {
            if let count = remaining[key], count > 0 {
                remaining[key] = count - 1
            } else {
                added.append(key)
            }
        }
        var removed: [Key] = []
        for key in old {
            if let count = remaining[key], count > 0 {
                remaining[key] = count - 1
                removed.append(key)
            }
        }
        return (added, removed)
    }
}

/// Finds the stored passage an evidence item quotes: the tagger copies a passage's text, heading, page and
/// offsets into its evidence, so the same five values name the passage. Sorted by start offset once per
/// document, then a binary search per evidence item: a document has tens of passages and evidence items.
struct PassageLookup {
    private let passages: [Passage]
    private let ids: [Int64]
    /// Indices into `passages`, by start offset.
    private let byStart: [Int]

    init(_ passages: [Passage], ids: [Int64]) {
        self.passages = passages
        self.ids = ids
        let indices = Array(passages.indices.prefix(ids.count))
        // Extraction emits passages in reading order, so this is usually already sorted.
        byStart =
            zip(indices, indices.dropFirst()).allSatisfy { passages[$0].start <= passages[$1].start }
            ? indices : indices.sorted { passages[$0].start < passages[$1].start }
    }

    /// The id of the passage with the evidence's text, heading, page and offsets; nil when none has them.
    func id(of evidence: Evidence) -> Int64? {
        var low = 0
        var high = byStart.count
        while low < high {
            let middle = (low + high) / 2
            if passages[byStart[middle]].start < evidence.start { low = middle + 1 } else { high = middle }
        }
        while low < byStart.count, passages[byStart[low]].start == evidence.start {
            let passage = passages[byStart[low]]
            if passage.end == evidence.end, passage.page == evidence.page, passage.heading == evidence.heading,
                passage.text == evidence.text
            {
                return ids[byStart[low]]
            }
            low += 1
        }
        return nil
    }
}

extension DirectInsert {
    /// Binds the six columns that say which passage evidence quotes: its id and five NULLs, or NULL and the
    /// evidence's own text, heading, page and offsets when no stored passage has them.
    mutating func bindReference(to evidence: Evidence, in passages: PassageLookup) {
        if let passage = passages.id(of: evidence) {
            bind(passage)
            for _ in 0..<5 { bindNull() }
        } else {
            bindNull()
            bind(evidence.text)
            bind(evidence.heading)
            bind(evidence.page)
            bind(evidence.start)
            bind(evidence.end)
        }
    }
}

/// Evidence terms and spans as stored: joined with the ASCII unit and record separators, which no term
/// contains, so that reading needs no JSON decoder.
enum EvidenceCodec {
    static let unit: Character = "\u{1F}"
    static let record: Character = "\u{1E}"

    static func terms(_ terms: [String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(terms.reduce(0) { $0 + $1.utf8.count + 1 })
        for (index, term) in terms.enumerated() {
            if index > 0 { bytes.append(0x1F) }
            bytes.append(contentsOf: term.utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Split on bytes rather than characters: these run once per evidence passage on the largest reads.
    static func terms(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        return text.utf8.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    /// Written byte by byte: string interpolation here was an eighth of the index stage, run once per evidence row.
    static func spans(_ spans: [Span]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(spans.count * 24)
        for (index, span) in spans.enumerated() {
            if index > 0 { bytes.append(0x1E) }
            appendDecimal(span.start, to: &bytes)
            bytes.append(0x1F)
            appendDecimal(span.end, to: &bytes)
            bytes.append(0x1F)
            bytes.append(contentsOf: span.term.utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Digits straight into `bytes`, most significant first, without a temporary array: this runs for every
    /// span of every evidence row.
    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            bytes.append(contentsOf: String(value.magnitude).utf8)
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static func spans(_ text: String) -> [Span] {
        guard !text.isEmpty else { return [] }
        return text.utf8.split(separator: 0x1E, omittingEmptySubsequences: false).compactMap { item in
            let fields = item.split(separator: 0x1F, maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let start = Int(Substring(fields[0])), let end = Int(Substring(fields[1])) else {
                return nil
            }
            return Span(start: start, end: end, term: String(Substring(fields[2])))
        }
    }
}

/// The hash `replaceDocument` compares to decide whether a document changed: FNV-1a (64 bits) over the
/// extracted text with runs of white space folded to one space, so that re-wrapped or re-indented text is
/// not a change. It needs no crypto library, and never changes between releases.
public enum TextFingerprint {
    public static func of(_ text: String) -> String {
        var text = text
        // Over contiguous UTF-8 rather than the string's view, and hex by hand rather than String(format:): this
        // runs over every document's whole text in the index stage.
        let hash = text.withUTF8 { fold($0) }
        let hex = Array("0123456789abcdef".utf8)
        var digits = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 { digits[index] = hex[Int((hash >> UInt64(60 - 4 * index)) & 0xF)] }
        return String(decoding: digits, as: UTF8.self)
    }

    private static func fold(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var pendingSpace = false
        var started = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B {
                pendingSpace = started
                continue
            }
            if pendingSpace {
                hash ^= 0x20
                hash = hash &* 0x0000_0100_0000_01B3
                pendingSpace = false
            }
            started = true
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
