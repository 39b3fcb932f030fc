import Foundation
import Logging
import SPScanModel

/// The single-threaded loop behind `Fetcher`: per-host queues, robots.txt, politeness and retries around
/// one libcurl multi handle.
///
/// One thread owns all state, so there are no locks here; libcurl does the concurrency on its sockets.
/// Scheduling rules: at most `concurrency` transfers overall, at most `perHostConcurrency` per host, and
/// starts on one host at least `max(politenessDelay, Crawl-delay)` apart.
final class FetchEngine {
    struct Job {
        var source: Int
        /// The URL asked for: the log's `url`, stable across redirects.
        var requested: String
        /// The URL to request next (differs from `requested` after a redirect).
        var current: URL
        var depth: Int
        var attempt = 0
        var notBefore = Date.distantPast
        var chain: [String] = []
        /// The latest capture of `requested` before this run: what the conditional GET and the outcome compare
        /// against. Read once, when the job first starts.
        var previous: SnapshotRecord?
        var previousLoaded = false
    }

    final class Host {
        var robots: RobotsPolicy?
        /// Set when robots.txt could not be fetched at all: the same failure applies to every document.
        var unreachable: TransferFailure?
        /// Set when robots.txt (or a redirect it took) is refused by the address policy: every document is.
        var robotsRefusal: FetchError?
        var robotsRequested = false
        var inFlight = 0
        var nextStart = Date.distantPast
        var queue = JobQueue()
        /// robots.txt's Crawl-delay by user agent, worked out once: every start on the host needs it.
        var crawlDelays: [String: Double] = [:]

        func crawlDelay(agent: String) -> Double {
            if let known = crawlDelays[agent] { return known }
            let delay = robots?.crawlDelay(agent: agent) ?? 0
            if robots != nil { crawlDelays[agent] = delay }
            return delay
        }
    }

    /// First in, first out, with O(1) removal at the front (a host may queue thousands of documents).
    struct JobQueue {
        var jobs: [Job] = []
        var head = 0

        var isEmpty: Bool { head == jobs.count }
        var first: Job? { isEmpty ? nil : jobs[head] }

        mutating func append(_ job: Job) { jobs.append(job) }

        mutating func removeFirst() {
            head += 1
            if head > 1024, head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
        }
    }

    final class SourceState {
        let source: Source
        var result: SourceFetchResult
        var pending = 0
        var seen: Set<String> = []
        var followed = 0

        init(_ source: Source) {
            self.source = source
            result = SourceFetchResult(sourceID: source.id, url: source.url.absoluteString, outcome: .failed)
        }
    }

    enum Running {
        case document(Job)
        /// The host's key, the source whose settings apply, and the robots.txt URL this hop asked for.
        case robots(key: String, source: Int, url: URL, hops: Int)
    }

    /// RFC 9309 §2.3.1.2: follow at least five consecutive redirects to a robots.txt.
    static let robotsRedirects = 5

    let store: SnapshotStore
    let options: FetchOptions
    let logger: Logger
    var sources: [SourceState]
    var hosts: [String: Host] = [:]
    var hostOrder: [String] = []
    var delayed: [Job] = []
    var running: [ObjectIdentifier: (CurlTransfer, Running)] = [:]
    var finishedSources = 0
    let committer: Committer
    let proxies = ProxyPolicy()
    /// For proxied hosts: what makes each private, or nil when public or unresolvable.
    var proxiedTargets: [String: ProxyPolicy.PrivateTarget?] = [:]

    init(sources: [Source], store: SnapshotStore, options: FetchOptions, logger: Logger) {
        self.sources = sources.map(SourceState.init)
        self.store = store
        self.options = options
        self.logger = logger
        committer = Committer(store: store)
    }

    func run() -> [SourceFetchResult] {
        let multi: CurlMulti
        do {
            multi = try CurlMulti()
        } catch {
            _ = committer.close()
            return sources.map {
                var result = $0.result
                result.error = (error as? LocalizedError)?.errorDescription
                return result
            }
        }
        for (index, state) in sources.enumerated() {
            enqueue(Job(source: index, requested: state.source.url.absoluteString, current: state.source.url, depth: 0))
            state.seen.insert(Self.withoutFragment(state.source.url))
        }
        while finishedSources < sources.count {
            let now = Date()
            releaseDelayed(now: now)
            startReady(multi: multi, now: now)
            if running.isEmpty {
                // Nothing in flight: sleep until the next delayed job or host slot opens.
                let wake = nextWake(now: now, idle: true)
                if wake == .distantFuture { break }
                Thread.sleep(forTimeInterval: min(1, max(0.001, wake.timeIntervalSince(now))))
                continue
            }
            let wait = min(0.25, max(0.001, nextWake(now: now, idle: false).timeIntervalSince(now)))
            let finished: [(CurlTransfer, TransferResult)]
            do {
                finished = try multi.step(timeout: wait)
            } catch {
                // libcurl itself failed (out of memory, a bug): no transfer can go on, so report it on every
                // source not finished yet rather than loop.
                abandon(because: (error as? LocalizedError)?.errorDescription ?? "\(error)")
                break
            }
            for (transfer, result) in finished {
                guard let (_, what) = running.removeValue(forKey: ObjectIdentifier(transfer)) else { continue }
                switch what {
                case .robots(let key, let source, let url, let hops):
                    robotsArrived(key, source: source, url: url, hops: hops, result, multi: multi)
                case .document(let job): documentArrived(job, result)
                }
            }
        }
        // Everything recorded must be on disk before the results are reported.
        let storageFailures = committer.close()
        return sources.map { state in
            var result = state.result
            if let failure = storageFailures[result.sourceID] {
                result.outcome = .failed
                result.error = failure
            }
            return result
        }
    }

    func abandon(because message: String) {
        for state in sources where state.pending > 0 {
            state.result.outcome = .failed
            state.result.error = message
        }
        logger.error("the fetch stopped: \(message)")
    }

    // MARK: Scheduling

    static func hostKey(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }

    func host(_ key: String) -> Host {
        if let host = hosts[key] { return host }
        let host = Host()
        hosts[key] = host
        hostOrder.append(key)
        return host
    }

    func enqueue(_ job: Job) {
        sources[job.source].pending += 1
        place(job)
    }

    /// Puts a job (new, retried or redirected) where it waits: its host's queue or the delayed list.
    func place(_ job: Job) {
        if job.notBefore > Date() {
            delayed.append(job)
        } else {
            host(Self.hostKey(job.current)).queue.append(job)
        }
    }

    func releaseDelayed(now: Date) {
        guard !delayed.isEmpty else { return }
        let due = delayed.filter { $0.notBefore <= now }
        delayed.removeAll { $0.notBefore <= now }
        for job in due { host(Self.hostKey(job.current)).queue.append(job) }
    }

    /// When the loop must look again without socket activity: a delayed retry falls due or a host's politeness
    /// wait ends. When `idle` (nothing in flight), a host with work that is not waiting counts as due now.
    func nextWake(now: Date, idle: Bool) -> Date {
        var wake = delayed.map(\.notBefore).min() ?? .distantFuture
        for key in hostOrder {
            guard let host = hosts[key], !host.queue.isEmpty else { continue }
            if host.nextStart > now {
                wake = min(wake, host.nextStart)
            } else if idle {
                wake = now
            }
        }
        return wake
    }

    func startReady(multi: CurlMulti, now: Date) {
        for key in hostOrder {
            guard let host = hosts[key], !host.queue.isEmpty else { continue }
            while let job = host.queue.first, running.count < max(1, options.concurrency) {
                let state = sources[job.source]
                let settings = state.source.settings
                if let refusal = policyRefusal(job) {
                    host.queue.removeFirst()
                    finish(job, record: failureRecord(job, outcome: refusal.0, error: refusal.1))
                    continue
                }
                if settings.respectRobots, host.robots == nil, host.unreachable == nil, host.robotsRefusal == nil {
                    if !host.robotsRequested {
                        host.robotsRequested = true
                        startRobots(key, for: job, multi: multi)
                    }
                    break
                }
                if settings.respectRobots, let refusal = host.robotsRefusal {
                    host.queue.removeFirst()
                    finish(job, record: failureRecord(job, outcome: .refused, error: refusal))
                    continue
                }
                if let failure = host.unreachable {
                    host.queue.removeFirst()
                    finish(job, record: transferFailureRecord(job, failure))
                    continue
                }
                if settings.respectRobots, let robots = host.robots {
                    let decision = robots.decision(for: job.current, agent: settings.userAgent)
                    if !decision.allowed {
                        host.queue.removeFirst()
                        let error = FetchError.blockedByRobots(url: job.current.absoluteString, rule: decision.rule)
                        finish(job, record: failureRecord(job, outcome: .blockedByRobots, error: error))
                        continue
                    }
                }
                guard host.inFlight < max(1, settings.perHostConcurrency), host.nextStart <= now else { break }
                host.queue.removeFirst()
                let crawlDelay = settings.respectRobots ? host.crawlDelay(agent: settings.userAgent) : 0
                host.nextStart = now.addingTimeInterval(max(settings.politenessDelay, crawlDelay))
                startDocument(job, host: host, multi: multi)
            }
        }
    }

    /// Refusals decided from the URL alone, before any request.
    func policyRefusal(_ job: Job) -> (FetchOutcome, FetchError)? {
        let scheme = job.current.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", job.current.host?.isEmpty == false else {
            return (.refused, .unsupportedScheme(url: job.current.absoluteString))
        }
        if let refusal = proxyRefusal(job) { return (.refused, refusal) }
        return nil
    }

    func request(for url: URL, settings: CrawlSettings, headers: [String] = []) -> TransferRequest {
        // Through a proxy the socket goes to the proxy; the target was checked in `proxyRefusal` instead.
        let proxied = proxies.proxy(for: url) != nil
        return TransferRequest(
            url: url.absoluteString, headers: headers, userAgent: settings.userAgent,
            connectTimeout: settings.connectTimeout, timeout: settings.timeout, lowSpeedLimit: settings.lowSpeedLimit,
            lowSpeedTime: settings.lowSpeedTime, maxBodyBytes: settings.maxBodyBytes,
            maxDecodedBytes: settings.maxDecodedBytes,
            allowPrivate: settings.allowPrivate || options.allowPrivate || proxied
        )
    }

    /// For a proxied request, the private-address check on the target host (see `ProxyPolicy`).
    func proxyRefusal(_ job: Job) -> FetchError? {
        proxyRefusal(job.current, settings: sources[job.source].source.settings)
    }

    func proxyRefusal(_ url: URL, settings: CrawlSettings) -> FetchError? {
        guard !(settings.allowPrivate || options.allowPrivate), proxies.proxy(for: url) != nil,
            let host = url.host?.lowercased()
        else { return nil }
        // Resolved once per host: a job waiting at the head of its queue is checked on every loop turn.
        let target: ProxyPolicy.PrivateTarget?
        if let known = proxiedTargets[host] {
            target = known
        } else {
            target = ProxyPolicy.privateTarget(of: host)
            proxiedTargets[host] = .some(target)
        }
        switch target {
        case .address(let address): return .privateAddress(url: url.absoluteString, address: address)
        case .name(let name): return .privateName(url: url.absoluteString, host: name)
        case nil: return nil
        }
    }

    func startRobots(_ key: String, for job: Job, multi: CurlMulti) {
        guard let url = URL(string: key + "/robots.txt") else {
            host(key).robots = .allowAll
            return
        }
        requestRobots(key, source: job.source, url: url, hops: 0, multi: multi)
    }

    /// Asks for one hop of robots.txt. Redirects come back here rather than being followed by libcurl, so that
    /// each target passes the same address checks as a document (through a proxy, the socket check cannot).
    func requestRobots(_ key: String, source: Int, url: URL, hops: Int, multi: CurlMulti) {
        let settings = sources[source].source.settings
        var request = request(for: url, settings: settings)
        request.maxBodyBytes = max(request.maxBodyBytes, RobotsPolicy.parseLimit)
        request.maxDecodedBytes = max(request.maxDecodedBytes, RobotsPolicy.parseLimit)
        do {
            let transfer = try CurlTransfer(request)
            try multi.add(transfer)
            running[ObjectIdentifier(transfer)] = (transfer, .robots(key: key, source: source, url: url, hops: hops))
        } catch {
            host(key).robots = .allowAll
            logger.warning("robots.txt for \(key) not requested: \(error)")
        }
    }

    func startDocument(_ job: Job, host: Host, multi: CurlMulti) {
        var job = job
        let settings = sources[job.source].source.settings
        if !job.previousLoaded {
            job.previous = try? store.latestCapture(sourceID: sources[job.source].source.id, url: job.requested)
            job.previousLoaded = true
        }
        var headers: [String] = []
        if let previous = job.previous {
            if let etag = previous.etag { headers.append("If-None-Match: \(etag)") }
            if let modified = previous.lastModified { headers.append("If-Modified-Since: \(modified)") }
        }
        do {
            let transfer = try CurlTransfer(request(for: job.current, settings: settings, headers: headers))
            try multi.add(transfer)
            host.inFlight += 1
            running[ObjectIdentifier(transfer)] = (transfer, .document(job))
            logger.debug("GET \(job.current.absoluteString) (\(sources[job.source].source.id), attempt \(job.attempt + 1))")
        } catch {
            finish(
                job,
                record: failureRecord(
                    job, outcome: .failed, error: error as? FetchError ?? .connection(url: job.current.absoluteString, detail: "\(error)")))
        }
    }
}
