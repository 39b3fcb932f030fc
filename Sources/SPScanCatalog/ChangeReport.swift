import Foundation
import GRDB
import SPScanModel

/// What changed over one or more scans: documents new, changed, gone, failed or removed; the passages that
/// appeared and disappeared; the coverage cells (document × competency) that were gained or lost.
///
/// Over several scans the changes are netted: a passage added then removed again, or a tag lost then
/// regained, is not reported.
public struct ChangeReport: Hashable, Sendable, Codable {
    public struct DocumentEntry: Hashable, Sendable, Codable {
        public var documentID: String
        public var sourceID: String
        public var url: String
        public var title: String
        /// The error or reason, for failed, gone and removed documents.
        public var detail: String?
    }

    public struct PassageEntry: Hashable, Sendable, Codable {
        public var documentID: String
        public var heading: String
        public var text: String
    }

    /// A sentence of a changed document that is new, or no longer there: what a reader of `changes` wants
    /// instead of whole passages, whose openings often read the same.
    public struct SentenceChange: Hashable, Sendable, Codable {
        public var documentID: String
        public var heading: String
        public var change: PassageChange
        public var text: String

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case heading
            case change
            case text
        }
    }

    public enum PassageChange: String, Hashable, Sendable, Codable {
        case added
        case removed
    }

    public struct CoverageMove: Hashable, Sendable, Codable {
        public enum Direction: String, Hashable, Sendable, Codable {
            case gained
            case lost
        }

        public var documentID: String
        public var title: String?
        public var institution: String?
        public var competency: String
        public var direction: Direction
        public var scoreBefore: Double?
        public var scoreAfter: Double?
    }

    /// The scans the report covers, oldest first.
    public var scans: [ScanSummary]
    public var since: Date?
    public var newDocuments: [DocumentEntry]
    public var changedDocuments: [DocumentEntry]
    public var goneDocuments: [DocumentEntry]
    public var failedDocuments: [DocumentEntry]
    /// Documents whose source was taken out of Sources.yaml.
    public var removedDocuments: [DocumentEntry]
    public var passagesAdded: [PassageEntry]
    public var passagesRemoved: [PassageEntry]
    public var coverageMoves: [CoverageMove]
    /// The sentences added and removed, document by document, in reading order (see `SentenceDiff`).
    public var sentences: [SentenceChange] = []
    /// Documents fetched with new bytes whose main text stayed the same (a date, a counter, a cookie banner, a
    /// paragraph split): they made no version. Not news, so not counted in `isEmpty`; listed so that a reader
    /// knows the page was seen to change, and why it is not among the changed documents.
    public var layoutOnlyDocuments: [DocumentEntry] = []

    public var isEmpty: Bool {
        newDocuments.isEmpty && changedDocuments.isEmpty && goneDocuments.isEmpty && failedDocuments.isEmpty
            && removedDocuments.isEmpty && passagesAdded.isEmpty && passagesRemoved.isEmpty && coverageMoves.isEmpty
    }
}

extension CatalogDatabase {
    /// The changes of the scans started at or after `since`. Without a date, those of the latest scan (what
    /// it found against the one before), reaching back to the latest scan that found anything, so that a
    /// scan that found nothing (or a scan of one source) does not hide the news of the one before it. With no
    /// scan recorded yet, an empty report.
    public func changes(since: Date? = nil) throws -> ChangeReport {
        let allScans = try scans()
        if let since { return try changes(of: allScans.filter { $0.startedAt >= since }, since: since) }
        var report = try changes(of: allScans.suffix(1), since: nil)
        var reach = 1
        while report.isEmpty, reach < allScans.count {
            reach += 1
            report = try changes(of: allScans.suffix(reach), since: nil)
        }
        return report
    }

    /// The changes one scan found against the one before it, without reaching back: what a webhook is told.
    public func changes(scan: ScanID) throws -> ChangeReport {
        try changes(of: try scans().filter { $0.id == scan }, since: nil)
    }

    private func changes(of covered: some Collection<ScanSummary>, since: Date?) throws -> ChangeReport {
        let covered = Array(covered)
        let ids = covered.map(\.id.rawValue)
        return try read("list changes") { db in
            var report = ChangeReport(
                scans: covered, since: since, newDocuments: [], changedDocuments: [], goneDocuments: [], failedDocuments: [],
                removedDocuments: [], passagesAdded: [], passagesRemoved: [], coverageMoves: [])
            guard !ids.isEmpty else { return report }
            try collectDocuments(db, scans: ids, into: &report)
            try collectPassages(db, scans: ids, into: &report)
            try collectCoverage(db, scans: ids, into: &report)
            report.sentences = SentenceDiff.changes(added: report.passagesAdded, removed: report.passagesRemoved)
            let elsewhere = Set((report.goneDocuments + report.failedDocuments).map(\.documentID))
            report.layoutOnlyDocuments.removeAll { elsewhere.contains($0.documentID) }
            report.layoutOnlyDocuments.sort { $0.documentID < $1.documentID }
            return report
        }
    }

    private func collectDocuments(_ db: Database, scans ids: [Int64], into report: inout ChangeReport) throws {
        let events = try DocumentEventRecord.filter(ids.contains(DocumentEventRecord.Columns.scanID))
            .order(Column("id")).fetchAll(db)
        var latest: [String: DocumentEventRecord] = [:]
        var wasNew: Set<String> = []
        for event in events {
            latest[event.documentID] = event
            if event.change == DocumentEventKind.new.rawValue { wasNew.insert(event.documentID) }
        }
        for (documentID, event) in latest.sorted(by: { $0.key < $1.key }) {
            let entry = ChangeReport.DocumentEntry(
                documentID: documentID, sourceID: event.sourceID, url: event.url, title: event.title, detail: event.detail)
            if event.change == DocumentEventKind.removed.rawValue {
                // Added and taken out again within the period: nothing a reader needs to hear about.
                if !wasNew.contains(documentID) { report.removedDocuments.append(entry) }
            } else if wasNew.contains(documentID) {
                report.newDocuments.append(entry)
            } else {
                report.changedDocuments.append(entry)
            }
        }

        // Failures and disappearances: the last outcome in the period for each URL decides, so that a fetch that
        // failed and then succeeded is not reported.
        let outcomes = try Row.fetchAll(
            db,
            request(
                """
                SELECT f.sourceID, f.url, f.documentID, f.outcome, f.httpStatus, f.error, d.id AS knownID, d.title
                FROM fetchOutcome f LEFT JOIN document d ON d.id = f.documentID
                WHERE f.scanID IN \(ids) ORDER BY f.id
                """))
        var last: [String: Row] = [:]
        for row in outcomes {
            let key = "\(row["sourceID"] as String)\u{0}\(row["url"] as String)"
            last[key] = row
        }
        // New bytes without a new version: the main text stayed the same.
        let listed = Set(latest.keys)
        var seenChanged: Set<String> = []
        for row in outcomes where (row["outcome"] as String) == FetchOutcome.changed.rawValue {
            guard let documentID: String = row["documentID"], !listed.contains(documentID), row["knownID"] as String? != nil,
                seenChanged.insert(documentID).inserted
            else { continue }
            report.layoutOnlyDocuments.append(
                ChangeReport.DocumentEntry(
                    documentID: documentID, sourceID: row["sourceID"], url: row["url"], title: row["title"] ?? row["url"],
                    detail: nil))
        }
        let failing: Set<String> = [FetchOutcome.failed.rawValue, FetchOutcome.refused.rawValue, FetchOutcome.blockedByRobots.rawValue]
        for (_, row) in last.sorted(by: { $0.key < $1.key }) {
            let outcome: String = row["outcome"]
            let sourceID: String = row["sourceID"]
            let url: String = row["url"]
            let status: Int? = row["httpStatus"]
            let error: String? = row["error"]
            let documentID: String = row["documentID"] ?? sourceID
            let title: String = row["title"] ?? url
            let statusText = status.map { "HTTP \($0)" }
            if outcome == FetchOutcome.gone.rawValue {
                report.goneDocuments.append(
                    ChangeReport.DocumentEntry(
                        documentID: documentID, sourceID: sourceID, url: url, title: title, detail: error ?? statusText))
            } else if failing.contains(outcome) {
                let detail = [outcome, statusText, error].compactMap { $0 }.joined(separator: ": ")
                report.failedDocuments.append(
                    ChangeReport.DocumentEntry(documentID: documentID, sourceID: sourceID, url: url, title: title, detail: detail))
            }
        }
    }

    private func collectPassages(_ db: Database, scans ids: [Int64], into report: inout ChangeReport) throws {
        let events = try PassageEventRecord.filter(ids.contains(PassageEventRecord.Columns.scanID))
            .order(Column("id")).fetchAll(db)
        struct Key: Hashable {
            var documentID: String
            var heading: String
            var text: String
        }
        var net: [Key: Int] = [:]
        var order: [Key] = []
        for event in events {
            let key = Key(documentID: event.documentID, heading: event.heading, text: event.text)
            if net[key] == nil { order.append(key) }
            net[key, default: 0] += event.change == PassageEventKind.added.rawValue ? 1 : -1
        }
        let sorted = order.enumerated().sorted { lhs, rhs in
            lhs.element.documentID != rhs.element.documentID ? lhs.element.documentID < rhs.element.documentID : lhs.offset < rhs.offset
        }
        for (_, key) in sorted {
            let count = net[key] ?? 0
            let entry = ChangeReport.PassageEntry(documentID: key.documentID, heading: key.heading, text: key.text)
            if count > 0 { report.passagesAdded += Array(repeating: entry, count: count) }
            if count < 0 { report.passagesRemoved += Array(repeating: entry, count: -count) }
        }
    }

    private func collectCoverage(_ db: Database, scans ids: [Int64], into report: inout ChangeReport) throws {
        let events = try TagEventRecord.filter(ids.contains(TagEventRecord.Columns.scanID)).order(Column("id")).fetchAll(db)
        struct Key: Hashable, Comparable {
            var documentID: String
            var competency: String

            static func < (lhs: Key, rhs: Key) -> Bool {
                (lhs.documentID, lhs.competency) < (rhs.documentID, rhs.competency)
            }
        }
        var first: [Key: TagEventRecord] = [:]
        var last: [Key: TagEventRecord] = [:]
        for event in events {
            let key = Key(documentID: event.documentID, competency: event.competency)
            if first[key] == nil { first[key] = event }
            last[key] = event
        }
        var titles: [String: (String, String?)] = [:]
        // A document removed from the catalog keeps the title its removal was recorded with.
        let removed = try Row.fetchAll(
            db, request("SELECT documentID, title FROM documentEvent WHERE scanID IN \(ids) AND change = 'removed'"))
        for row in removed { titles[row["documentID"]] = (row["title"], nil) }
        for row in try Row.fetchAll(
            db, request("SELECT id, title, institution FROM document WHERE id IN \(Set(first.keys.map(\.documentID)).sorted())"))
        {
            titles[row["id"]] = (row["title"], row["institution"] as String)
        }
        let reviews = try reviewsByKey(db)
        for key in first.keys.sorted() {
            guard let opening = first[key], let closing = last[key] else { continue }
            // Covered before the period when its first event was a loss; covered after when its last was a gain.
            let coveredBefore = opening.change == TagEventKind.lost.rawValue
            let coveredAfter = closing.change == TagEventKind.gained.rawValue
            guard coveredBefore != coveredAfter else { continue }
            // On a tag a reviewer has decided, the reader always sees the decision, so the tagger's coming and
            // going is no news.
            if reviews["\(key.documentID)\u{0}\(key.competency.uppercased())"] != nil { continue }
            report.coverageMoves.append(
                ChangeReport.CoverageMove(
                    documentID: key.documentID, title: titles[key.documentID]?.0, institution: titles[key.documentID]?.1,
                    competency: key.competency, direction: coveredAfter ? .gained : .lost, scoreBefore: opening.scoreBefore,
                    scoreAfter: closing.scoreAfter))
        }
    }

    private func reviewsByKey(_ db: Database) throws -> [String: ReviewDecision.Verdict] {
        var verdicts: [String: ReviewDecision.Verdict] = [:]
        for record in try ReviewRecord.fetchAll(db) {
            if let decision = record.decision {
                verdicts["\(decision.documentID)\u{0}\(decision.competency.uppercased())"] = decision.verdict
            }
        }
        return verdicts
    }
}
