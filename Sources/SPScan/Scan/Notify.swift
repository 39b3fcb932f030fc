import Foundation
import SPScanCatalog
import SPScanFetch
import SPScanModel

/// The JSON summary a `notify:` webhook receives after a scan that found changes (see docs/history.md).
///
/// A summary, not the whole change report: a receiver (a chat channel, a ticket queue) needs to know which
/// documents moved and where to look; `spscan changes` and `spscan diff` tell the rest.
public struct ScanNotification: Sendable, Hashable, Encodable {
    public struct Counts: Sendable, Hashable, Encodable {
        public var new = 0
        public var changed = 0
        public var gone = 0
        public var removed = 0
        public var failed = 0
        public var tagsGained = 0
        public var tagsLost = 0
    }

    public struct Document: Sendable, Hashable, Encodable {
        public var documentID: String
        public var sourceID: String
        public var title: String
        public var url: String
        /// `new`, `changed`, `gone`, `removed` or `failed`.
        public var change: String
        public var sentencesAdded: Int
        public var sentencesRemoved: Int
        /// The error or reason, for gone, removed and failed documents.
        public var detail: String?

        enum CodingKeys: String, CodingKey {
            case documentID, sourceID, title, url, change, sentencesAdded, sentencesRemoved, detail
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(documentID, forKey: .documentID)
            try container.encode(sourceID, forKey: .sourceID)
            try container.encode(title, forKey: .title)
            try container.encode(url, forKey: .url)
            try container.encode(change, forKey: .change)
            try container.encode(sentencesAdded, forKey: .sentencesAdded)
            try container.encode(sentencesRemoved, forKey: .sentencesRemoved)
            try container.encode(detail, forKey: .detail)
        }
    }

    public struct CoverageMove: Sendable, Hashable, Encodable {
        public var documentID: String
        public var competency: String
        /// `gained` or `lost`.
        public var direction: String
    }

    /// What the POST is about, also sent as `X-SPScan-Event`.
    public var event = ScanNotification.eventName
    public var scan: ScanID
    public var startedAt: Date
    public var finishedAt: Date?
    public var counts = Counts()
    public var documents: [Document] = []
    public var coverage: [CoverageMove] = []

    public static let eventName = "scan.changes"

    /// The summary of one scan's changes, or nil when it found none worth telling: no document new, changed,
    /// gone or removed and no coverage moved. Failures alone are not news here; the exit code carries them.
    public init?(report: ChangeReport) {
        guard let scan = report.scans.last else { return nil }
        self.scan = scan.id
        startedAt = scan.startedAt
        finishedAt = scan.finishedAt
        var added: [String: Int] = [:]
        var removed: [String: Int] = [:]
        for sentence in report.sentences {
            switch sentence.change {
            case .added: added[sentence.documentID, default: 0] += 1
            case .removed: removed[sentence.documentID, default: 0] += 1
            }
        }
        let groups: [(String, [ChangeReport.DocumentEntry])] = [
            ("new", report.newDocuments), ("changed", report.changedDocuments), ("gone", report.goneDocuments),
            ("removed", report.removedDocuments), ("failed", report.failedDocuments),
        ]
        for (change, entries) in groups {
            for entry in entries {
                documents.append(
                    Document(
                        documentID: entry.documentID, sourceID: entry.sourceID, title: entry.title, url: entry.url,
                        change: change, sentencesAdded: added[entry.documentID] ?? 0,
                        sentencesRemoved: removed[entry.documentID] ?? 0, detail: entry.detail))
            }
        }
        coverage = report.coverageMoves.map {
            CoverageMove(documentID: $0.documentID, competency: $0.competency, direction: $0.direction.rawValue)
        }
        counts = Counts(
            new: report.newDocuments.count, changed: report.changedDocuments.count, gone: report.goneDocuments.count,
            removed: report.removedDocuments.count, failed: report.failedDocuments.count,
            tagsGained: coverage.count { $0.direction == "gained" }, tagsLost: coverage.count { $0.direction == "lost" })
        guard counts.new + counts.changed + counts.gone + counts.removed > 0 || !coverage.isEmpty else { return nil }
    }
}

/// One line of `Corpus/notifications.jsonl`: which scan's changes were sent where, and how each hook answered.
struct NotificationLogEntry: Encodable {
    var scan: ScanID
    var sentAt: Date
    var deliveries: [WebhookDelivery]
}

extension ScanStage {
    /// Tells the `notify:` webhooks of the scan's changes, after the catalog has committed them. Never fails
    /// the scan: every outcome is a `WebhookDelivery` in the summary, the log and on standard error.
    public static let notify = ScanStage("notify") { context in
        let registry = try context.registry(in: "notify")
        let catalog = try context.catalog(in: "notify")
        // No scan recorded (nothing was indexed) or no hook: nothing to tell.
        guard !registry.notify.isEmpty, let scan = context.scanID else { return }
        let report: ChangeReport
        let body: Data
        do {
            report = try catalog.changes(scan: scan)
            guard let notification = ScanNotification(report: report) else {
                context.logger.info("no changes in this scan: no webhook told")
                return
            }
            body = try JSONStyle.encoder(pretty: false).encode(notification)
        } catch {
            context.logger.warning("webhooks not told: the scan's changes could not be read: \(error)")
            return
        }
        let sender = WebhookSender(userAgent: registry.defaults.userAgent, logger: context.logger)
        let deliveries = await sender.deliver(body, event: ScanNotification.eventName, to: registry.notify)
        context.notifications = deliveries
        do {
            try NotificationLog(corpus: context.paths.corpus).append(
                NotificationLogEntry(scan: scan, sentAt: ScanJournalEntry.wholeSecond(Date()), deliveries: deliveries))
        } catch {
            context.logger.warning("the webhook outcomes could not be written to Corpus/notifications.jsonl: \(error)")
        }
    }
}

/// `Corpus/notifications.jsonl`: appended under the corpus lock, one line per scan that told its webhooks.
struct NotificationLog {
    let url: URL

    init(corpus: URL) {
        url = corpus.appendingPathComponent("notifications.jsonl")
    }

    func append(_ entry: NotificationLogEntry) throws {
        var line = try JSONStyle.encoder(pretty: false).encode(entry)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }
}
