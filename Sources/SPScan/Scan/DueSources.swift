import Foundation
import SPScanFetch
import SPScanModel

/// A source `--due` left out: its schedule says its last capture is still fresh.
public struct NotDueSource: Sendable, Hashable, Encodable {
    public var id: String
    /// When the last capture was fetched.
    public var lastFetched: Date
    /// When the source is next due.
    public var dueAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case lastFetched = "last_fetched"
        case dueAt = "due_at"
    }
}

/// Which sources `spscan scan --due` fetches, so that a daily cron job honours each source's `schedule:`.
///
/// The clock is the corpus, not the catalog: the last time the source's page was answered by its server (a
/// capture that came back new, changed, unchanged or gone). A failed or refused fetch does not reset it, so a
/// source that failed is due again on the next run; an authored sample is not a capture, so a source with only
/// a sample is due at once. A source without `schedule:` is due on every run.
public enum DueSources {
    /// A scheduler fires at about the same time each day; one that runs a little early (the last capture
    /// took a few seconds, the job starts a minute early) must not skip a whole period.
    public static let earlyTolerance: TimeInterval = 600

    public static func split(_ sources: [Source], store: SnapshotStore, now: Date) throws -> (due: [Source], notDue: [NotDueSource]) {
        var due: [Source] = []
        var notDue: [NotDueSource] = []
        for source in sources {
            guard let interval = source.schedule?.interval, let last = try lastCapture(of: source.id, in: store) else {
                due.append(source)
                continue
            }
            let dueAt = last.addingTimeInterval(interval)
            if dueAt.addingTimeInterval(-earlyTolerance) <= now {
                due.append(source)
            } else {
                notDue.append(NotDueSource(id: source.id, lastFetched: last, dueAt: dueAt))
            }
        }
        return (due, notDue)
    }

    /// The last capture of each source that has one: where a scheduler's clock starts.
    public static func lastCaptures(of sources: [Source], corpus: URL) throws -> [String: Date] {
        let store = try SnapshotStore(corpus: corpus)
        var captures: [String: Date] = [:]
        for source in sources {
            if let last = try lastCapture(of: source.id, in: store) { captures[source.id] = last }
        }
        return captures
    }

    static func lastCapture(of sourceID: String, in store: SnapshotStore) throws -> Date? {
        let answered: Set<FetchOutcome> = [.new, .changed, .unchanged, .gone]
        return try store.records(sourceID: sourceID)
            .filter { $0.depth == 0 && $0.origin == .capture && answered.contains($0.outcome) }
            .map(\.fetchedAt).max()
    }
}

extension ScanStage {
    /// With `--due`, keeps only the sources whose schedule says they are due; without it, does nothing.
    public static let chooseDue = ScanStage("choose-due") { context in
        guard context.options.due, let store = context.store else { return }
        let (due, notDue) = try DueSources.split(context.sources, store: store, now: Date())
        context.sources = due
        context.notDue = notDue
        if !notDue.isEmpty {
            context.logger.info("\(notDue.count) source\(notDue.count == 1 ? " is" : "s are") not due yet; \(due.count) to fetch")
        }
    }
}
