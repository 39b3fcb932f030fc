import Foundation
import Logging
import SPScanModel

/// How a fetch run behaves beyond each source's own crawl settings.
public struct FetchOptions: Sendable {
    /// Transfers in flight at once across all hosts (the registry default's `concurrency`).
    public var concurrency: Int
    /// `--allow-private`: allows private, loopback and link-local addresses for every source.
    public var allowPrivate: Bool
    /// The first retry waits about this long; each further retry doubles it, with jitter.
    public var retryBaseDelay: Double
    /// Absolute links of an HTML document (its bytes, the address it came from, its Content-Type), for follow
    /// rules; filled by the pipeline from the Extract stage, so that Fetch does not depend on Extract. Without it
    /// no links are followed.
    public var linkExtractor: (@Sendable (Data, URL, String?) -> [URL])?

    public init(
        concurrency: Int = 8, allowPrivate: Bool = false, retryBaseDelay: Double = 1,
        linkExtractor: (@Sendable (Data, URL, String?) -> [URL])? = nil
    ) {
        self.concurrency = concurrency
        self.allowPrivate = allowPrivate
        self.retryBaseDelay = retryBaseDelay
        self.linkExtractor = linkExtractor
    }
}

/// What became of one source in a fetch run: its page's outcome and every record appended for it.
public struct SourceFetchResult: Sendable, Hashable {
    public var sourceID: String
    public var url: String
    public var outcome: FetchOutcome
    public var httpStatus: Int?
    /// SHA-256 of the source page's current snapshot (after this run), if there is one.
    public var snapshot: String?
    /// Why the source failed or was skipped, in words a user can act on.
    public var error: String?
    /// The records appended in this run: the source's page first, then the documents it links to.
    public var records: [SnapshotRecord]
    /// The page could not be reached at all (no connection): when every source says so, the network is down.
    public var unreachable: Bool

    public init(
        sourceID: String, url: String, outcome: FetchOutcome, httpStatus: Int? = nil, snapshot: String? = nil,
        error: String? = nil, records: [SnapshotRecord] = [], unreachable: Bool = false
    ) {
        self.sourceID = sourceID
        self.url = url
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.snapshot = snapshot
        self.error = error
        self.records = records
        self.unreachable = unreachable
    }
}

/// Fetches sources into the snapshot store: politely, conditionally, with retries and limits.
///
/// Runs libcurl's multi interface on a thread of its own and returns when every source and every document
/// it links to has an outcome. Skips and failures are values in the results; nothing here throws.
public struct Fetcher: Sendable {
    public let store: SnapshotStore
    public let options: FetchOptions
    public let logger: Logger

    public init(store: SnapshotStore, options: FetchOptions = FetchOptions(), logger: Logger) {
        self.store = store
        self.options = options
        self.logger = logger
    }

    /// Fetches every source (or, offline, reports the last snapshot of each), in the order given.
    public func fetch(_ sources: [Source], offline: Bool) async -> [SourceFetchResult] {
        if offline { return sources.map { offlineResult($0, reason: nil) } }
        if networkIsDown(for: sources) {
            logger.warning("no source's host name could be resolved: the network seems down; using the last snapshot of each source")
            return sources.map { offlineResult($0, reason: "no host name could be resolved") }
        }
        let results = await withCheckedContinuation { (continuation: CheckedContinuation<[SourceFetchResult], Never>) in
            let (store, options, logger) = (store, options, logger)
            let thread = Thread {
                let engine = FetchEngine(sources: sources, store: store, options: options, logger: logger)
                continuation.resume(returning: engine.run())
            }
            thread.name = "spscan-fetch"
            thread.start()
        }
        // Every source failing to connect means no network: say so and stand on the last snapshots.
        if !results.isEmpty, results.allSatisfy({ $0.outcome == .failed && $0.unreachable }) {
            logger.warning("no source could be reached: the network seems down; using the last snapshot of each source")
            return zip(sources, results).map { source, result in
                var fallback = offlineResult(source, reason: result.error)
                fallback.records = result.records
                return fallback
            }
        }
        return results
    }

    /// No host of these sources resolves, so nothing can be fetched. Through a proxy the proxy resolves names,
    /// so a scan with any proxied source is left to find out from its transfers, as is one with a URL the
    /// policy refuses anyway (a scheme other than http or https), which must say so whatever the network.
    private func networkIsDown(for sources: [Source]) -> Bool {
        let proxies = ProxyPolicy()
        guard !sources.isEmpty,
            sources.allSatisfy({ ["http", "https"].contains($0.url.scheme?.lowercased()) && proxies.proxy(for: $0.url) == nil })
        else { return false }
        return !NetworkCheck.anyHostResolves(sources.compactMap(\.url.host))
    }

    /// The last snapshot stands in for a source that was not fetched.
    private func offlineResult(_ source: Source, reason: String?) -> SourceFetchResult {
        let current = (try? store.current(sourceID: source.id)) ?? []
        let page = current.first { $0.depth == 0 } ?? current.first
        guard let page, let sha = page.sha256 else {
            let error = FetchError.offlineWithoutSnapshot(sourceID: source.id).errorDescription
            return SourceFetchResult(sourceID: source.id, url: source.url.absoluteString, outcome: .failed, error: error)
        }
        // The log's own formatter: an ISO8601DateFormatter per source cost more than the offline decision itself.
        let date = LogDate.format(page.fetchedAt)
        let what = page.origin == .sample ? "the sample" : "the snapshot"
        let note = "offline: using \(what) of \(date)" + (reason.map { " (\($0))" } ?? "")
        return SourceFetchResult(
            sourceID: source.id, url: source.url.absoluteString, outcome: .offline, httpStatus: page.httpStatus,
            snapshot: sha, error: note)
    }
}
