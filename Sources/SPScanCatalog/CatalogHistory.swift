import Foundation
import GRDB
import SPScanModel

extension CatalogWriter {
    /// Takes these sources (and their documents) out of the catalog, recording the removals against `scan`:
    /// a replayed scan removes exactly the sources the original one did, whatever Sources.yaml says now.
    public func removeSources(_ ids: [String], scan: ScanID) throws {
        let known = Set(try String.fetchAll(db, sql: "SELECT id FROM source UNION SELECT DISTINCT sourceID FROM document"))
        try removeSourcesNotIn(ids: known.subtracting(ids), scan: scan)
    }
}

extension CatalogDatabase {
    /// Every row of every table, each as one line of `column=value` pairs, sorted: what a catalog rebuilt by
    /// `spscan index` must reproduce. Fetch outcomes leave out their row id, whose order within one scan
    /// follows the order transfers finished in; the search index is left out, being derived from `passage`.
    public func contentsByTable() throws -> [String: [String]] {
        try read("read every table") { db in
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                        AND name NOT LIKE 'passageFTS%' AND name NOT LIKE 'grdb_%'
                    ORDER BY name
                    """)
            var contents: [String: [String]] = [:]
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"")
                contents[table] = rows.map { row in
                    row.columnNames.filter { !(table == "fetchOutcome" && $0 == "id") }.map { name in
                        "\(name)=\(row[name] as DatabaseValue)"
                    }.joined(separator: " | ")
                }.sorted()
            }
            return contents
        }
    }
}

/// The sentences that differ between a document's removed and added passages.
///
/// A passage that changed by one word is removed and added whole; comparing their sentences as multisets
/// leaves only the sentences a reader has not seen before, and those that are gone. A sentence that merely
/// moved to another passage is neither.
public enum SentenceDiff {
    public static func changes(
        added: [ChangeReport.PassageEntry], removed: [ChangeReport.PassageEntry]
    ) -> [ChangeReport.SentenceChange] {
        var documents: [String] = []
        var byDocument: [String: (added: [ChangeReport.PassageEntry], removed: [ChangeReport.PassageEntry])] = [:]
        for entry in removed {
            if byDocument[entry.documentID] == nil { documents.append(entry.documentID) }
            byDocument[entry.documentID, default: ([], [])].removed.append(entry)
        }
        for entry in added {
            if byDocument[entry.documentID] == nil { documents.append(entry.documentID) }
            byDocument[entry.documentID, default: ([], [])].added.append(entry)
        }
        var changes: [ChangeReport.SentenceChange] = []
        for documentID in documents.sorted() {
            guard let passages = byDocument[documentID] else { continue }
            let old = passages.removed.flatMap { entry in sentences(in: entry.text).map { (entry.heading, $0) } }
            let new = passages.added.flatMap { entry in sentences(in: entry.text).map { (entry.heading, $0) } }
            var remaining: [String: Int] = [:]
            for (_, sentence) in old { remaining[sentence, default: 0] += 1 }
            var addedSentences: [(String, String)] = []
            for (heading, sentence) in new {
                if let count = remaining[sentence], count > 0 {
                    remaining[sentence] = count - 1
                } else {
                    addedSentences.append((heading, sentence))
                }
            }
            for (heading, sentence) in old {
                if let count = remaining[sentence], count > 0 {
                    remaining[sentence] = count - 1
                    changes.append(.init(documentID: documentID, heading: heading, change: .removed, text: sentence))
                }
            }
            for (heading, sentence) in addedSentences {
                changes.append(.init(documentID: documentID, heading: heading, change: .added, text: sentence))
            }
        }
        return changes
    }

    /// A passage's sentences: split after `.`, `!`, `?` or `;` followed by a space, and at line breaks (list
    /// items, table rows); white space inside folded to single spaces.
    public static func sentences(in text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var previous: Character?
        func close() {
            let sentence = current.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !sentence.isEmpty { sentences.append(sentence) }
            current = ""
        }
        for character in text {
            if character.isNewline {
                close()
            } else if character.isWhitespace, let previous, ".!?;".contains(previous) {
                close()
            } else {
                current.append(character)
            }
            previous = character
        }
        close()
        return sentences
    }
}

/// What coverage over time is computed from: every tag gained or lost, and when each document came and went.
public struct CoverageEvents: Sendable, Hashable {
    public struct TagChange: Sendable, Hashable {
        public var scan: ScanID
        public var documentID: String
        public var competency: String
        /// The score after a gain; nil for a loss.
        public var score: Double?
    }

    public struct DocumentChange: Sendable, Hashable {
        public var scan: ScanID
        public var documentID: String
        /// True when the document entered the catalog, false when its source was removed.
        public var entered: Bool
    }

    public var scans: [ScanSummary]
    /// In the order they were recorded.
    public var tagChanges: [TagChange]
    public var documentChanges: [DocumentChange]
}

extension CatalogDatabase {
    /// Every scan, tag event and document arrival and removal, oldest first.
    public func coverageEvents() throws -> CoverageEvents {
        let scans = try scans()
        return try read("read the coverage history") { db in
            let tags = try Row.fetchCursor(
                db, sql: "SELECT scanID, documentID, competency, change, scoreAfter FROM tagEvent ORDER BY id")
            var tagChanges: [CoverageEvents.TagChange] = []
            while let row = try tags.next() {
                let gained = (row[3] as String) == TagEventKind.gained.rawValue
                tagChanges.append(
                    CoverageEvents.TagChange(
                        scan: ScanID(row[0]), documentID: row[1], competency: row[2],
                        score: gained ? (row[4] as Double?) ?? 0 : nil))
            }
            let documents = try Row.fetchAll(
                db,
                sql: "SELECT scanID, documentID, change FROM documentEvent WHERE change IN ('new', 'removed') ORDER BY id")
            let documentChanges = documents.map { row in
                CoverageEvents.DocumentChange(
                    scan: ScanID(row[0]), documentID: row[1], entered: (row[2] as String) == DocumentEventKind.new.rawValue)
            }
            return CoverageEvents(scans: scans, tagChanges: tagChanges, documentChanges: documentChanges)
        }
    }
}
