import GRDB

/// The catalog's schema, as named migrations.
///
/// Once a migration has landed on main it is frozen: a later change is a new migration, never an edit, so
/// that every existing catalog upgrades the same way. Table and column names are written as strings (not
/// taken from record types) for the same reason: renaming a Swift property must not rewrite history.
enum CatalogMigrations {
    /// The first migration's name: a catalog made before the `application_id` marker is known by it.
    static let firstIdentifier = "v1: sources, documents, passages, tags, scans, reviews, events"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstIdentifier) { db in
            try db.create(table: "scan") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
            }
            try db.create(table: "source") { t in
                t.primaryKey("id", .text)
                t.column("url", .text).notNull()
                t.column("title", .text).notNull()
                t.column("country", .text).notNull()
                t.column("region", .text)
                t.column("institution", .text).notNull()
                t.column("institutionType", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("targetGroups", .text).notNull()
                t.column("populations", .text).notNull()
                t.column("language", .text).notNull()
            }
            // Without rowid: every read joins documents by their text id, and this makes that one b-tree search
            // instead of two.
            try db.create(table: "document", options: [.withoutRowID]) { t in
                t.primaryKey("id", .text)
                t.column("sourceID", .text).notNull().indexed()
                t.column("url", .text).notNull()
                t.column("title", .text).notNull()
                t.column("country", .text).notNull().indexed()
                t.column("region", .text).collate(.nocase)
                t.column("institution", .text).notNull().collate(.nocase).indexed()
                t.column("institutionType", .text).notNull()
                t.column("kind", .text).notNull()
                // Comma-separated raw values: read back without a JSON decoder; filtered through documentTargetGroup.
                t.column("targetGroups", .text).notNull()
                t.column("populations", .text).notNull()
                t.column("language", .text).notNull()
                t.column("origin", .text).notNull()
                t.column("snapshotSHA256", .text)
                t.column("fetchedAt", .datetime)
                t.column("textHash", .text).notNull()
                t.column("passageCount", .integer).notNull()
                t.column("firstScanID", .integer)
                t.column("lastChangedScanID", .integer)
                t.column("isGone", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "documentTargetGroup") { t in
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("targetGroup", .text).notNull()
                t.primaryKey(["targetGroup", "documentID"])
            }
            try db.create(index: "documentTargetGroup_document", on: "documentTargetGroup", columns: ["documentID"])
            try db.create(table: "passage") { t in
                t.primaryKey("id", .integer)
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("text", .text).notNull()
                t.column("heading", .text).notNull()
                t.column("page", .integer)
                t.column("startOffset", .integer).notNull()
                t.column("endOffset", .integer).notNull()
                t.column("language", .text).notNull()
                t.column("role", .text).notNull()
            }
            try db.create(index: "passage_document", on: "passage", columns: ["documentID", "position"])
            // Porter stems English; unicode61 with remove_diacritics 2 folds French accents (é → e), so that
            // "évaluation" and "evaluation" find each other. The index reads its text from `passage` (external
            // content) and is kept in step by CatalogWriter, not by triggers: FTS5 flushes its pending terms at
            // every statement savepoint, so a trigger per passage writes one tiny segment per passage and made
            // a scan five times slower.
            try db.create(virtualTable: "passageFTS", using: FTS5()) { t in
                t.content = "passage"
                t.contentRowID = "id"
                t.tokenizer = .porter(wrapping: .unicode61(diacritics: .remove))
                t.column("text")
            }
            try db.create(table: "tag") { t in
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("competency", .text).notNull()
                t.column("domain", .text).notNull()
                t.column("score", .double).notNull()
                // The best-scoring evidence, copied beside its tag so that `query` and the matrix read one row per
                // tag; the evidence table holds every passage.
                t.column("bestText", .text)
                t.column("bestHeading", .text)
                t.column("bestPage", .integer)
                t.column("bestStartOffset", .integer)
                t.column("bestEndOffset", .integer)
                t.column("bestScore", .double)
                t.column("bestTerms", .text)
                t.column("bestSpans", .text)
                t.primaryKey(["documentID", "competency"])
            }
            // Evidence in rows rather than JSON: reading a whole catalog's evidence is then column reads, not
            // hundreds of thousands of JSON decodes.
            try db.create(table: "evidence") { t in
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("competency", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("text", .text).notNull()
                t.column("heading", .text).notNull()
                t.column("page", .integer)
                t.column("startOffset", .integer).notNull()
                t.column("endOffset", .integer).notNull()
                t.column("score", .double).notNull()
                t.column("terms", .text).notNull()
                t.column("spans", .text).notNull()
                t.primaryKey(["documentID", "competency", "position"])
            }
            try db.create(index: "tag_competency", on: "tag", columns: ["competency", "score"])
            try db.create(table: "review") { t in
                t.column("documentID", .text).notNull()
                t.column("competency", .text).notNull()
                t.column("verdict", .text).notNull()
                t.column("note", .text)
                t.column("reviewer", .text)
                t.column("decidedAt", .datetime).notNull()
                t.primaryKey(["documentID", "competency"])
            }
            try db.create(index: "review_competency", on: "review", columns: ["competency", "verdict"])
            try db.create(table: "documentVersion") { t in
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("scanID", .integer).notNull()
                t.column("snapshotSHA256", .text)
                t.column("textHash", .text).notNull()
                t.column("fetchedAt", .datetime)
                t.column("passageCount", .integer).notNull()
                t.primaryKey(["documentID", "scanID"])
            }
            try db.create(table: "fetchOutcome") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scanID", .integer).notNull().indexed()
                t.column("sourceID", .text).notNull()
                t.column("url", .text).notNull()
                t.column("documentID", .text)
                t.column("outcome", .text).notNull()
                t.column("httpStatus", .integer)
                t.column("error", .text)
            }
            try db.create(table: "documentEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scanID", .integer).notNull().indexed()
                t.column("documentID", .text).notNull()
                t.column("sourceID", .text).notNull()
                t.column("url", .text).notNull()
                t.column("title", .text).notNull()
                t.column("change", .text).notNull()
                t.column("detail", .text)
            }
            try db.create(table: "passageEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scanID", .integer).notNull().indexed()
                t.column("documentID", .text).notNull()
                t.column("change", .text).notNull()
                t.column("heading", .text).notNull()
                t.column("text", .text).notNull()
            }
            try db.create(table: "tagEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scanID", .integer).notNull().indexed()
                t.column("documentID", .text).notNull()
                t.column("competency", .text).notNull()
                t.column("change", .text).notNull()
                t.column("scoreBefore", .double)
                t.column("scoreAfter", .double)
            }
        }
        // What the current tags were computed with, so that a scan re-tags every document when the framework
        // or the tagger changes, and only the changed snapshots otherwise.
        migrator.registerMigration("v2: settings") { db in
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        // Each document's passages hold consecutive ids (the writer inserts them together), so a filtered search
        // can tell which matches a filter admits from the admitted documents' ranges alone, without looking up
        // every match's passage row. NULL means unknown (the ids are not consecutive); an empty document has
        // lastPassageID < firstPassageID.
        migrator.registerMigration("v3: each document's passage id range") { db in
            try db.alter(table: "document") { t in
                t.add(column: "firstPassageID", .integer)
                t.add(column: "lastPassageID", .integer)
            }
            try db.execute(
                sql: """
                    UPDATE document SET (firstPassageID, lastPassageID) = (
                        SELECT MIN(p.id), MAX(p.id) FROM passage p WHERE p.documentID = document.id
                        HAVING COUNT(*) = MAX(p.id) - MIN(p.id) + 1)
                    """)
            try db.execute(
                sql: """
                    UPDATE document SET firstPassageID = 1, lastPassageID = 0
                    WHERE NOT EXISTS (SELECT 1 FROM passage p WHERE p.documentID = document.id)
                    """)
        }
        // Extraction outcomes: why a document has no passages (empty, read by OCR) and the snapshots that could
        // not be read at all, remembered by content hash and extraction method so that a re-scan of the same
        // bytes neither extracts them again nor fails the run over them.
        migrator.registerMigration("v4: extraction outcomes and known-unreadable snapshots") { db in
            try db.create(table: "documentOutcome") { t in
                t.primaryKey("documentID", .text)
                t.column("outcome", .text).notNull()
                t.column("reason", .text)
            }
            try db.create(table: "unreadableSnapshot") { t in
                t.primaryKey("sha256", .text)
                t.column("extractionMethod", .integer).notNull()
                t.column("documentID", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("firstSeenAt", .datetime).notNull()
            }
        }
        // Each document's scope judgement: whether it belongs to the framework's field, why, and the passages that
        // show it. An out-of-scope document keeps its text and tags; coverage leaves it out. A person's decision
        // lives in `review` under the subject `scope` and is applied when documents are read.
        migrator.registerMigration("v5: document scope") { db in
            try db.alter(table: "document") { t in
                t.add(column: "inScope", .boolean).notNull().defaults(to: true)
                t.add(column: "scopeReason", .text)
                t.add(column: "scopeEvidence", .text)
            }
        }
        // Evidence by reference: an evidence row names its passage by id instead of copying the passage's text,
        // heading, page and offsets, and a tag names its best evidence by position instead of copying it. The
        // copies were most of the catalog (17 KB a document) and most of the index stage's bytes. Evidence
        // whose text matches none of its document's stored passages (a re-wrapped text with the same
        // fingerprint keeps the old passages) keeps its own copy, so that no evidence is ever lost.
        migrator.registerMigration("v6: evidence by passage reference") { db in
            // Without rowid: the primary key is the only way evidence is read, and one b-tree instead of a table
            // and an index halves the writes. No foreign key on passageID: SQLite would search evidence for every
            // passage deleted (no index serves it), and the writer replaces a document's evidence whenever it
            // replaces its passages.
            try db.create(table: "evidenceByReference", options: [.withoutRowID]) { t in
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("competency", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("passageID", .integer)
                t.column("text", .text)
                t.column("heading", .text)
                t.column("page", .integer)
                t.column("startOffset", .integer)
                t.column("endOffset", .integer)
                t.column("score", .double).notNull()
                t.column("terms", .text).notNull()
                t.column("spans", .text).notNull()
                t.primaryKey(["documentID", "competency", "position"])
            }
            try db.execute(
                sql: """
                    INSERT INTO evidenceByReference (documentID, competency, position, passageID, score, terms, spans)
                    SELECT e.documentID, e.competency, e.position,
                        (SELECT p.id FROM passage p
                         WHERE p.documentID = e.documentID AND p.startOffset = e.startOffset AND p.endOffset = e.endOffset
                           AND p.text = e.text AND p.heading = e.heading AND p.page IS e.page
                         ORDER BY p.position LIMIT 1),
                        e.score, e.terms, e.spans
                    FROM evidence e
                    """)
            try db.execute(
                sql: """
                    UPDATE evidenceByReference SET (text, heading, page, startOffset, endOffset) = (
                        SELECT e.text, e.heading, e.page, e.startOffset, e.endOffset FROM evidence e
                        WHERE e.documentID = evidenceByReference.documentID AND e.competency = evidenceByReference.competency
                          AND e.position = evidenceByReference.position)
                    WHERE passageID IS NULL
                    """)
            try db.drop(table: "evidence")
            try db.rename(table: "evidenceByReference", to: "evidence")

            // The tag's best evidence as the position of the first best-scoring evidence row, the rule the writer
            // used for the copies. The index serves `query`: a competency's tags best first, then by document id, in the
            // order it lists them, so that a page of the best hits reads only that page.
            try db.create(table: "tagByReference", options: [.withoutRowID]) { t in
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("competency", .text).notNull()
                t.column("domain", .text).notNull()
                t.column("score", .double).notNull()
                t.column("bestPosition", .integer)
                t.primaryKey(["documentID", "competency"])
            }
            try db.execute(
                sql: """
                    INSERT INTO tagByReference (documentID, competency, domain, score, bestPosition)
                    SELECT t.documentID, t.competency, t.domain, t.score,
                        (SELECT e.position FROM evidence e WHERE e.documentID = t.documentID AND e.competency = t.competency
                         ORDER BY e.score DESC, e.position LIMIT 1)
                    FROM tag t
                    """)
            try db.drop(table: "tag")
            try db.rename(table: "tagByReference", to: "tag")
            try db.execute(sql: "CREATE INDEX tag_competency_rank ON tag (competency, score DESC, documentID)")
        }
        // A document's scope evidence in rows by passage reference, as tag evidence since v6, instead of JSON in
        // `document.scopeEvidence`: the JSON copied each passage's text and every span, 4.6 KB a document, and
        // encoding it was three quarters of the index stage. The column stays, NULL from now on.
        migrator.registerMigration("v7: scope evidence by passage reference") { db in
            try db.create(table: "scopeEvidence", options: [.withoutRowID]) { t in
                t.column("documentID", .text).notNull().references("document", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("passageID", .integer)
                t.column("text", .text)
                t.column("heading", .text)
                t.column("page", .integer)
                t.column("startOffset", .integer)
                t.column("endOffset", .integer)
                t.column("score", .double).notNull()
                t.column("terms", .text).notNull()
                t.column("spans", .text).notNull()
                t.primaryKey(["documentID", "position"])
            }
            // The JSON's fields, read with SQLite's own JSON functions so that the migration depends on no Swift
            // type: terms and spans in the evidence table's separators (unit 0x1F, record 0x1E), in array order.
            try db.execute(
                sql: """
                    INSERT INTO scopeEvidence (documentID, position, passageID, text, heading, page, startOffset, endOffset,
                        score, terms, spans)
                    SELECT d.id, CAST(j.key AS INTEGER), NULL, json_extract(j.value, '$.text'),
                        COALESCE(json_extract(j.value, '$.heading'), ''), json_extract(j.value, '$.page'),
                        json_extract(j.value, '$.start'), json_extract(j.value, '$.end'), json_extract(j.value, '$.score'),
                        COALESCE((SELECT group_concat(t.value, char(31)) FROM
                            (SELECT value FROM json_each(j.value, '$.terms') ORDER BY key) t), ''),
                        COALESCE((SELECT group_concat(s.item, char(30)) FROM
                            (SELECT json_extract(value, '$.start') || char(31) || json_extract(value, '$.end') || char(31)
                                || json_extract(value, '$.term') AS item
                             FROM json_each(j.value, '$.spans') ORDER BY key) s), '')
                    FROM document d, json_each(d.scopeEvidence) j
                    WHERE d.scopeEvidence IS NOT NULL AND json_valid(d.scopeEvidence)
                    """)
            try db.execute(
                sql: """
                    UPDATE scopeEvidence SET passageID = (
                        SELECT p.id FROM passage p
                        WHERE p.documentID = scopeEvidence.documentID AND p.startOffset = scopeEvidence.startOffset
                          AND p.endOffset = scopeEvidence.endOffset AND p.text = scopeEvidence.text
                          AND p.heading = scopeEvidence.heading AND p.page IS scopeEvidence.page
                        ORDER BY p.position LIMIT 1)
                    """)
            try db.execute(
                sql: """
                    UPDATE scopeEvidence SET text = NULL, heading = NULL, page = NULL, startOffset = NULL, endOffset = NULL
                    WHERE passageID IS NOT NULL
                    """)
            try db.execute(sql: "UPDATE document SET scopeEvidence = NULL WHERE scopeEvidence IS NOT NULL")
        }
        return migrator
    }
}
