import Foundation
import SPScanModel
import ServiceLifecycle

/// The sources a scheduled scan is asked to fetch.
public struct ScanRequest: Sendable, Hashable {
    public var sourceIDs: [String]

    public init(sourceIDs: [String]) {
        self.sourceIDs = sourceIDs
    }
}

/// What a scan reports back to the scheduler: a line for the scans page, and whether all of it worked (as
/// `spscan scan` exits 0) or some sources failed (exit 1).
public struct ScanRunResult: Sendable, Hashable, Codable {
    public var summary: String
    public var succeeded: Bool

    public init(summary: String, succeeded: Bool) {
        self.summary = summary
        self.succeeded = succeeded
    }
}

/// The scan function the scheduler calls: the pipeline's scan of the sources named, taking the same run lock
/// as `spscan scan` so that a scan from the command line and a scheduled one never write at once.
public typealias ScanFunction = @Sendable (ScanRequest) async throws -> ScanRunResult

/// When the next scheduled scan runs and which sources it fetches.
public struct PlannedScan: Sendable, Hashable, Codable {
    public var at: Date
    public var sourceIDs: [String]
}

/// Which sources are due and when: pure, so that tests give it any clock.
///
/// A source's interval is its own `schedule:` in Sources.yaml, else `--scan-every`; a source with neither is
/// never scanned by the server. A source never scanned is due at once. Sources due within `batchWindow` of the
/// first are fetched in the same scan, so that twenty daily sources make one scan a day, not twenty.
public enum SchedulePlan {
    public static let batchWindow: TimeInterval = 600

    public static func next(sources: [Source], every: TimeInterval?, lastRuns: [String: Date], now: Date) -> PlannedScan? {
        let due = dueTimes(sources: sources, every: every, lastRuns: lastRuns, now: now)
        guard let first = due.map(\.at).min() else { return nil }
        let ids = due.filter { $0.at <= first.addingTimeInterval(batchWindow) }.map(\.id).sorted()
        return PlannedScan(at: first, sourceIDs: ids)
    }

    /// When each scheduled source is next due (never before `now`).
    public static func dueTimes(sources: [Source], every: TimeInterval?, lastRuns: [String: Date], now: Date) -> [(id: String, at: Date)] {
        sources.compactMap { source in
            guard let interval = source.schedule?.interval ?? every, interval > 0 else { return nil }
            let at = lastRuns[source.id].map { $0.addingTimeInterval(interval) } ?? now
            return (source.id, max(at, now))
        }
    }

    /// The coming runs in a sentence a person takes in at a glance: "3 sources due now, 12 in 3 h, 57 tomorrow".
    public static func summary(of due: [Date], now: Date, calendar: Calendar = utcCalendar) -> String {
        guard !due.isEmpty else { return "no source has a schedule" }
        var groups: [(String, Int)] = []
        func add(_ label: String) {
            if let last = groups.last, last.0 == label { groups[groups.count - 1].1 += 1 } else { groups.append((label, 1)) }
        }
        let today = calendar.startOfDay(for: now)
        for at in due.sorted() {
            let wait = at.timeIntervalSince(now)
            let day = calendar.dateComponents([.day], from: today, to: calendar.startOfDay(for: at)).day ?? 0
            if wait < 60 {
                add("now")
            } else if day == 0 {
                let hours = Int((wait / 3_600).rounded())
                add(hours < 1 ? "within the hour" : "in \(hours) h")
            } else if day == 1 {
                add("tomorrow")
            } else if day < 7 {
                add("in \(day) days")
            } else {
                add("in \(day / 7 == 1 ? "a week" : "\(day / 7) weeks")")
            }
        }
        return groups.enumerated().map { index, group in
            let count = index == 0 ? "\(group.1) source\(group.1 == 1 ? "" : "s")" : String(group.1)
            return "\(count) \(group.0 == "now" ? "due now" : (index == 0 ? "due " : "") + group.0)"
        }.joined(separator: ", ")
    }

    public static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()
}

/// What the scans page and `/api/scans` say about the schedule.
public struct ScheduleStatus: Sendable, Hashable, Codable {
    public struct LastRun: Sendable, Hashable, Codable {
        public var startedAt: Date
        public var finishedAt: Date
        public var sourceIDs: [String]
        public var summary: String
        public var succeeded: Bool
    }

    /// `--scan-every` in seconds; nil when only per-source schedules apply.
    public var every: TimeInterval?
    public var running: Bool
    public var runningSince: Date?
    public var next: PlannedScan?
    public var lastRun: LastRun?
}

/// Runs scans in the server's process when they are due, one at a time.
///
/// A `Service` in the server's service group: on SIGTERM it stops waiting, and a scan in progress is cancelled
/// cooperatively, so that the pipeline finishes the write it is in and the process exits cleanly. The pages
/// keep answering meanwhile: they read the catalog, which a scan writes in short transactions.
public actor ScanScheduler: Service {
    /// The shortest `--scan-every`: the batching window, within which due sources are fetched together anyway;
    /// scans every few seconds would hammer the sites and never let the previous one finish.
    public static let minimumInterval: TimeInterval = SchedulePlan.batchWindow
    private let sources: [Source]
    private let every: TimeInterval?
    private var lastRuns: [String: Date]
    private let scan: ScanFunction
    private var runningSince: Date?
    private var lastRun: ScheduleStatus.LastRun?

    public init(sources: [Source], every: TimeInterval?, lastRuns: [String: Date], scan: @escaping ScanFunction) {
        self.sources = sources
        self.every = every
        self.lastRuns = lastRuns
        self.scan = scan
    }

    public func status(now: Date = Date()) -> ScheduleStatus {
        ScheduleStatus(
            every: every, running: runningSince != nil, runningSince: runningSince,
            next: SchedulePlan.next(sources: sources, every: every, lastRuns: lastRuns, now: now), lastRun: lastRun)
    }

    /// When each scheduled source is next due.
    public func dueTimes(now: Date = Date()) -> [Date] {
        SchedulePlan.dueTimes(sources: sources, every: every, lastRuns: lastRuns, now: now).map(\.at)
    }

    /// Starts a scan of every registered source now, beside the schedule ("scan now" on the scans page); false
    /// when a scan is already running. The scan runs on its own task: the page that asked answers at once.
    @discardableResult
    public func startNow(now: Date = Date()) -> Bool {
        guard runningSince == nil else { return false }
        runningSince = now
        let ids = sources.map(\.id).sorted()
        Task { await self.perform(ids, startedAt: now) }
        return true
    }

    private func perform(_ ids: [String], startedAt: Date) async {
        let result: ScanRunResult
        do {
            result = try await scan(ScanRequest(sourceIDs: ids))
        } catch {
            result = ScanRunResult(summary: "failed: \((error as? LocalizedError)?.errorDescription ?? "\(error)")", succeeded: false)
        }
        for id in ids { lastRuns[id] = startedAt }
        lastRun = ScheduleStatus.LastRun(
            startedAt: startedAt, finishedAt: Date(), sourceIDs: ids, summary: result.summary, succeeded: result.succeeded)
        runningSince = nil
    }

    /// Runs the scan that is due at `now`, if any; nil when nothing is due or a scan is already running.
    ///
    /// A failed scan counts as a run for the schedule: retrying at once would hammer the same failing sites.
    @discardableResult
    public func runDue(now: Date = Date()) async -> ScanRunResult? {
        guard runningSince == nil,
            let plan = SchedulePlan.next(sources: sources, every: every, lastRuns: lastRuns, now: now), plan.at <= now
        else { return nil }
        runningSince = now
        let result: ScanRunResult
        do {
            result = try await scan(ScanRequest(sourceIDs: plan.sourceIDs))
        } catch is CancellationError {
            result = ScanRunResult(summary: "stopped: the server was shutting down", succeeded: false)
        } catch {
            let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            result = ScanRunResult(summary: "failed: \(message)", succeeded: false)
        }
        for id in plan.sourceIDs { lastRuns[id] = now }
        lastRun = ScheduleStatus.LastRun(
            startedAt: now, finishedAt: Date(), sourceIDs: plan.sourceIDs, summary: result.summary, succeeded: result.succeeded)
        runningSince = nil
        return result
    }

    /// Sleeps until the next scan is due and runs it, until the server shuts down.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = Date()
            guard let plan = SchedulePlan.next(sources: sources, every: every, lastRuns: lastRuns, now: now) else {
                // Nothing is scheduled: wait for the shutdown only.
                try? await gracefulShutdown()
                return
            }
            let wait = plan.at.timeIntervalSince(now)
            if wait > 0 {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(wait)) }
                } catch {
                    return
                }
                continue
            }
            _ = await cancelWhenGracefulShutdown { await self.runDue(now: Date()) }
        }
    }
}
