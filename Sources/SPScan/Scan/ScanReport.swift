import Foundation
import SPScanFetch
import SPScanModel

/// What a scan did to each source, and the totals: printed as the summary and as `--format json`.
public struct ScanReport: Sendable, Hashable, Encodable {
    public struct Entry: Sendable, Hashable, Encodable {
        public var id: String
        public var url: String
        public var outcome: FetchOutcome
        public var httpStatus: Int?
        /// SHA-256 of the source page's current snapshot.
        public var snapshot: String?
        public var error: String?
        /// Documents fetched for the source in this run: its page and those it links to.
        public var documents: Int

        enum CodingKeys: String, CodingKey {
            case id, url, outcome, snapshot, error, documents
            case httpStatus = "http_status"
        }

        // Absent values are written as null, so every entry has every key.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(url, forKey: .url)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(httpStatus, forKey: .httpStatus)
            try container.encode(snapshot, forKey: .snapshot)
            try container.encode(error, forKey: .error)
            try container.encode(documents, forKey: .documents)
        }
    }

    /// A document a source's page links to that failed or was refused (a private address, another scheme):
    /// work not done, as much as a source's own failure.
    public struct LinkFailure: Sendable, Hashable, Encodable {
        public var sourceID: String
        public var url: String
        public var outcome: FetchOutcome
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case url, outcome, error
            case sourceID = "source_id"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sourceID, forKey: .sourceID)
            try container.encode(url, forKey: .url)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(error, forKey: .error)
        }
    }

    public var sources: [Entry]
    /// Followed links that failed or were refused, source by source.
    public var linkFailures: [LinkFailure]
    /// Every outcome with its number of sources, zeros included.
    public var counts: [String: Int]
    /// Whether the run stood on the last snapshots (asked with --offline, or the network was down).
    public var offline: Bool
    /// What the extract, tag and index stages did.
    public var documents = DocumentCounts()
    public var documentFailures: [DocumentFailure] = []
    /// Snapshots whose same bytes could not be read in an earlier scan: listed, not extracted again, and not a
    /// failure of this run.
    public var knownUnreadable: [DocumentFailure] = []
    public var coverage: CoverageSummary?
    /// The sources `--due` did not fetch because their schedule says they are not due yet.
    public var notDue: [NotDueSource] = []
    /// The `notify:` webhooks told of this scan's changes, and how each answered; empty when none was due.
    public var notifications: [WebhookDelivery] = []

    enum CodingKeys: String, CodingKey {
        case sources, counts, offline, documents, coverage, notifications
        case documentFailures = "document_failures"
        case linkFailures = "link_failures"
        case knownUnreadable = "known_unreadable"
        case notDue = "not_due"
    }

    public init(results: [SourceFetchResult], offline: Bool) {
        sources = results.map {
            Entry(
                id: $0.sourceID, url: $0.url, outcome: $0.outcome, httpStatus: $0.httpStatus, snapshot: $0.snapshot,
                error: $0.error, documents: $0.records.count)
        }
        linkFailures = results.flatMap { result in
            result.records.filter { $0.depth > 0 && ($0.outcome == .failed || $0.outcome == .refused) }.map {
                LinkFailure(sourceID: result.sourceID, url: $0.url, outcome: $0.outcome, error: $0.error)
            }
        }
        var counts = Dictionary(uniqueKeysWithValues: FetchOutcome.allCases.map { ($0.rawValue, 0) })
        for entry in sources { counts[entry.outcome.rawValue, default: 0] += 1 }
        self.counts = counts
        self.offline = offline || (!sources.isEmpty && sources.contains { $0.outcome == .offline })
    }

    public func count(_ outcome: FetchOutcome) -> Int { counts[outcome.rawValue] ?? 0 }

    /// Exit 1 when any source failed to fetch, was refused by the address or scheme policy (a registry entry
    /// that needs fixing), or any document failed to extract. A robots.txt refusal is the site's choice, not
    /// a failure: the summary lists it. A followed link that failed or was refused counts as its source's would.
    /// A document known to be unreadable from an earlier scan (the same bytes) is listed too, but is not news:
    /// a scheduled scan succeeds while it stays as it was.
    public var hasFailures: Bool {
        count(.failed) > 0 || count(.refused) > 0 || !documentFailures.isEmpty || !linkFailures.isEmpty
    }

    /// The summary a person reads after a scan.
    public var summary: String {
        var lines: [String] = []
        if offline {
            lines.append("Offline: no source was fetched; the last snapshot of each source was used.")
        }
        let order: [FetchOutcome] = [.new, .changed, .unchanged, .failed, .gone, .blockedByRobots, .refused, .offline]
        let parts = order.compactMap { outcome in count(outcome) > 0 ? "\(count(outcome)) \(outcome.rawValue)" : nil }
        lines.append(
            "Scanned \(sources.count) source\(sources.count == 1 ? "" : "s"): "
                + (parts.isEmpty ? "nothing to do" : parts.joined(separator: ", ")) + ".")
        for entry in sources where [.failed, .gone, .blockedByRobots, .refused].contains(entry.outcome) {
            lines.append("  \(entry.outcome.rawValue): \(entry.id): \(entry.error ?? "")")
        }
        if !linkFailures.isEmpty {
            lines.append("Linked documents not fetched: \(linkFailures.count).")
            for failure in linkFailures {
                lines.append("  \(failure.outcome.rawValue) link: \(failure.sourceID): \(failure.error ?? failure.url)")
            }
        }
        if let next = notDue.min(by: { $0.dueAt < $1.dueAt }) {
            let date = ISO8601DateFormatter().string(from: next.dueAt)
            lines.append(
                "Not due (by their schedule): \(notDue.count) source\(notDue.count == 1 ? "" : "s"); the next is \(next.id), due \(date).")
        }
        if documents != DocumentCounts() {
            lines.append(
                "Documents: \(documents.processed) extracted and tagged (\(documents.new) new, \(documents.changed) changed, "
                    + "\(documents.textUnchanged) with the same text), \(documents.alreadyIndexed) already indexed, "
                    + "\(documents.failed) could not be extracted"
                    + (documents.knownUnreadable > 0 ? ", \(documents.knownUnreadable) unreadable (known)." : "."))
            if documents.empty > 0 || documents.ocr > 0 {
                lines.append("  Of those extracted: \(documents.empty) empty (no text), \(documents.ocr) read by OCR.")
            }
        }
        for failure in documentFailures {
            let outcome = failure.outcome == "error" ? "not extracted" : failure.outcome
            lines.append("  \(outcome): \(failure.documentID) (\(failure.url)): \(failure.error)")
        }
        for failure in knownUnreadable {
            lines.append("  unreadable (known): \(failure.documentID) (\(failure.url)): \(failure.error)")
        }
        if let coverage { lines.append(coverage.text) }
        if !notifications.isEmpty {
            let delivered = notifications.filter(\.delivered).count
            lines.append("Webhooks: \(delivered) of \(notifications.count) told of the changes.")
            for delivery in notifications where !delivery.delivered {
                lines.append("  not delivered: \(delivery.url): \(delivery.error ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
