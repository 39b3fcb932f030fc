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
    private struct Job {
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

    private final class Host {
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
    private struct JobQueue {
        private var jobs: [Job] = []
        private var head = 0

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

    private final class SourceState {
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

    private enum Running {
        case document(Job)
        /// The host's key, the source whose settings apply, and the robots.txt URL this hop asked for.
        case robots(key: String, source: Int, url: URL, hops: Int)
    }

    /// RFC 9309 §2.3.1.2: follow at least five consecutive redirects to a robots.txt.
    static let robotsRedirects = 5

    private let store: SnapshotStore
    private let options: FetchOptions
    private let logger: Logger
    private var sources: [SourceState]
    private var hosts: [String: Host] = [:]
    private var hostOrder: [String] = []
    private var delayed: [Job] = []
    private var running: [ObjectIdentifier: (CurlTransfer, Running)] = [:]
    private var finishedSources = 0
    private let committer: Committer
    private let proxies = ProxyPolicy()
    /// For proxied hosts: what makes each private, or nil when public or unresolvable.
    private var proxiedTargets: [String: ProxyPolicy.PrivateTarget?] = [:]

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

    private func abandon(because message: String) {
        for state in sources where state.pending > 0 {
            state.result.outcome = .failed
            state.result.error = message
        }
        logger.error("the fetch stopped: \(message)")
    }

    // MARK: Scheduling

    private static func hostKey(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }

    private func host(_ key: String) -> Host {
        if let host = hosts[key] { return host }
        let host = Host()
        hosts[key] = host
        hostOrder.append(key)
        return host
    }

    private func enqueue(_ job: Job) {
        sources[job.source].pending += 1
        place(job)
    }

    /// Puts a job (new, retried or redirected) where it waits: its host's queue or the delayed list.
    private func place(_ job: Job) {
        if job.notBefore > Date() {
            delayed.append(job)
        } else {
            host(Self.hostKey(job.current)).queue.append(job)
        }
    }

    private func releaseDelayed(now: Date) {
        guard !delayed.isEmpty else { return }
        let due = delayed.filter { $0.notBefore <= now }
        delayed.removeAll { $0.notBefore <= now }
        for job in due { host(Self.hostKey(job.current)).queue.append(job) }
    }

    /// When the loop must look again without socket activity: a delayed retry falls due or a host's politeness
    /// wait ends. When `idle` (nothing in flight), a host with work that is not waiting counts as due now.
    private func nextWake(now: Date, idle: Bool) -> Date {
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

    private func startReady(multi: CurlMulti, now: Date) {
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
    private func policyRefusal(_ job: Job) -> (FetchOutcome, FetchError)? {
        let scheme = job.current.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", job.current.host?.isEmpty == false else {
            return (.refused, .unsupportedScheme(url: job.current.absoluteString))
        }
        if let refusal = proxyRefusal(job) { return (.refused, refusal) }
        return nil
    }

    private func request(for url: URL, settings: CrawlSettings, headers: [String] = []) -> TransferRequest {
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
    private func proxyRefusal(_ job: Job) -> FetchError? {
        proxyRefusal(job.current, settings: sources[job.source].source.settings)
    }

    private func proxyRefusal(_ url: URL, settings: CrawlSettings) -> FetchError? {
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

    private func startRobots(_ key: String, for job: Job, multi: CurlMulti) {
        guard let url = URL(string: key + "/robots.txt") else {
            host(key).robots = .allowAll
            return
        }
        requestRobots(key, source: job.source, url: url, hops: 0, multi: multi)
    }

    /// Asks for one hop of robots.txt. Redirects come back here rather than being followed by libcurl, so that
    /// each target passes the same address checks as a document (through a proxy, the socket check cannot).
    private func requestRobots(_ key: String, source: Int, url: URL, hops: Int, multi: CurlMulti) {
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

    private func startDocument(_ job: Job, host: Host, multi: CurlMulti) {
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

    // MARK: Outcomes

    private func robotsArrived(_ key: String, source: Int, url: URL, hops: Int, _ result: TransferResult, multi: CurlMulti) {
        let host = host(key)
        if let failure = result.failure {
            switch failure {
            case .privateAddress(let address) where hops > 0:
                host.robotsRefusal = .privateAddress(url: url.absoluteString, address: address)
            case .privateAddress, .connection, .tls, .timeout, .tooSlow:
                host.unreachable = failure
            default:
                host.robots = .disallowAll
            }
        } else if let status = result.status {
            switch status {
            case 301, 302, 303, 307, 308:
                robotsRedirected(key, source: source, from: url, hops: hops, location: result.headers["location"], multi: multi)
                return
            case 200..<300: host.robots = robotsPolicy(key, result.body)
            case 400..<500: host.robots = .allowAll
            default: host.robots = .disallowAll
            }
        } else {
            host.robots = .disallowAll
        }
        logger.debug("robots.txt for \(key): \(host.robots.map { "\($0.basis)" } ?? "unreachable or refused")")
    }

    /// Follows one robots.txt redirect after checking its target as a document's: http or https only, and
    /// through a proxy, a target that is private by address or name is refused. More than five hops, or an
    /// unusable location, count as a robots.txt that fails (the site is treated as closed).
    private func robotsRedirected(_ key: String, source: Int, from url: URL, hops: Int, location: String?, multi: CurlMulti) {
        let host = host(key)
        guard hops < Self.robotsRedirects, let location, let target = URL(string: location, relativeTo: url)?.absoluteURL else {
            host.robots = .disallowAll
            logger.debug("robots.txt for \(key): too many or unusable redirects; the site is treated as closed")
            return
        }
        let scheme = target.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            host.robotsRefusal = .unsupportedScheme(url: target.absoluteString)
            return
        }
        guard target.host?.isEmpty == false else {
            host.robots = .disallowAll
            return
        }
        if let refusal = proxyRefusal(target, settings: sources[source].source.settings) {
            host.robotsRefusal = refusal
            return
        }
        requestRobots(key, source: source, url: target, hops: hops + 1, multi: multi)
    }

    /// Parses a robots.txt, saying so when it is longer than RFC 9309's 500 KiB and only that much was read.
    private func robotsPolicy(_ key: String, _ body: Data) -> RobotsPolicy {
        if let note = RobotsPolicy.truncationNote(size: body.count) { logger.warning("\(key): \(note)") }
        return RobotsPolicy(parsing: body)
    }

    private func documentArrived(_ job: Job, _ result: TransferResult) {
        let key = Self.hostKey(job.current)
        host(key).inFlight -= 1
        let state = sources[job.source]
        let settings = state.source.settings
        let url = job.current.absoluteString

        if let failure = result.failure {
            if Self.isTransient(failure), job.attempt < settings.retries {
                retry(job, after: backoff(job.attempt, settings: settings))
                return
            }
            finish(job, record: transferFailureRecord(job, failure))
            return
        }
        guard let status = result.status else {
            finish(job, record: transferFailureRecord(job, .connection("no response")))
            return
        }
        switch status {
        case 301, 302, 303, 307, 308:
            redirect(job, location: result.headers["location"], status: status, settings: settings)
        case 304:
            guard let previous = job.previous else {
                finish(job, record: failureRecord(job, outcome: .failed, error: .httpStatus(url: url, status: status), status: status))
                return
            }
            var record = baseRecord(job, status: status, headers: result.headers, finalURL: result.effectiveURL)
            record.outcome = .unchanged
            record.etag = result.headers["etag"] ?? previous.etag
            record.lastModified = result.headers["last-modified"] ?? previous.lastModified
            record.contentType = previous.contentType
            record.size = previous.size
            record.sha256 = previous.sha256
            // Links first: finishing the page may otherwise close the source before its documents are queued.
            if let sha = previous.sha256, let body = try? store.data(sha256: sha) {
                follow(job, body: body, contentType: previous.contentType, base: URL(string: previous.finalURL ?? url))
            }
            finish(job, record: record)
        case 200..<300:
            stored(job, result, status: status)
        case 404, 410:
            finish(job, record: failureRecord(job, outcome: .gone, error: .gone(url: url, status: status), status: status))
        case 429, 500, 502, 503, 504:
            let wait = Self.retryAfter(result.headers["retry-after"])
            if let wait, wait > settings.maxRetryAfter {
                let error = FetchError.retryAfterTooLong(url: url, status: status, seconds: wait, cap: settings.maxRetryAfter)
                finish(job, record: failureRecord(job, outcome: .failed, error: error, status: status))
            } else if job.attempt < settings.retries {
                retry(job, after: wait ?? backoff(job.attempt, settings: settings))
            } else {
                finish(job, record: failureRecord(job, outcome: .failed, error: .httpStatus(url: url, status: status), status: status))
            }
        default:
            finish(job, record: failureRecord(job, outcome: .failed, error: .httpStatus(url: url, status: status), status: status))
        }
    }

    private func stored(_ job: Job, _ result: TransferResult, status: Int) {
        var record = baseRecord(job, status: status, headers: result.headers, finalURL: result.effectiveURL)
        let previous = job.previous
        let sha = SHA256.hex(result.body)
        record.sha256 = sha
        record.size = result.body.count
        record.outcome = previous == nil ? .new : (previous?.sha256 == sha ? .unchanged : .changed)
        follow(job, body: result.body, contentType: record.contentType, base: URL(string: result.effectiveURL))
        finish(job, record: record, body: result.body)
    }

    private func redirect(_ job: Job, location: String?, status: Int, settings: CrawlSettings) {
        let url = job.current.absoluteString
        guard let location, let target = URL(string: location, relativeTo: job.current)?.absoluteURL else {
            finish(
                job, record: failureRecord(job, outcome: .failed, error: .badRedirect(url: url, location: location ?? ""), status: status))
            return
        }
        let scheme = target.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            finish(
                job, record: failureRecord(job, outcome: .refused, error: .unsupportedScheme(url: target.absoluteString), status: status))
            return
        }
        let visited = Set(job.chain + [url])
        if visited.contains(target.absoluteString) {
            finish(
                job,
                record: failureRecord(
                    job, outcome: .failed, error: .redirectLoop(url: job.requested, target: target.absoluteString), status: status))
            return
        }
        if job.chain.count >= settings.maxRedirects {
            finish(
                job,
                record: failureRecord(
                    job, outcome: .failed, error: .tooManyRedirects(url: job.requested, limit: settings.maxRedirects), status: status))
            return
        }
        var next = job
        next.chain.append(url)
        next.current = target
        next.attempt = 0
        next.notBefore = .distantPast
        place(next)
    }

    private func retry(_ job: Job, after seconds: Double) {
        var next = job
        next.attempt += 1
        next.notBefore = Date().addingTimeInterval(seconds)
        logger.debug("retrying \(job.current.absoluteString) in \(String(format: "%.2f", seconds)) s")
        place(next)
    }

    /// Exponential backoff with jitter (half to full of the doubled delay), never beyond `max_retry_after`.
    private func backoff(_ attempt: Int, settings: CrawlSettings) -> Double {
        let doubled = options.retryBaseDelay * pow(2, Double(attempt))
        return min(settings.maxRetryAfter, doubled * Double.random(in: 0.5...1))
    }

    /// `Retry-After` as delay-seconds or an HTTP date.
    static func retryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    private static func isTransient(_ failure: TransferFailure) -> Bool {
        switch failure {
        // A low-speed cut-off is a timeout too (docs/fetch.md: timeouts are retried).
        case .connection, .timeout, .tooSlow: true
        default: false
        }
    }

    // MARK: Following links

    private func follow(_ job: Job, body: Data, contentType: String?, base: URL?) {
        let state = sources[job.source]
        guard let rules = state.source.follow, job.depth < rules.depth, let extractor = options.linkExtractor,
            let base, contentType?.lowercased().contains("html") ?? Self.looksLikeHTML(body)
        else { return }
        for link in extractor(body, base, contentType) {
            guard state.followed < rules.maxDocuments else { break }
            guard let clean = URL(string: Self.withoutFragment(link)), Self.admits(clean, rules: rules, from: state.source.url)
            else { continue }
            guard state.seen.insert(clean.absoluteString).inserted else { continue }
            state.followed += 1
            enqueue(Job(source: job.source, requested: clean.absoluteString, current: clean, depth: job.depth + 1))
        }
    }

    static func admits(_ link: URL, rules: FollowRules, from page: URL) -> Bool {
        let scheme = link.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", let host = link.host?.lowercased() else { return false }
        if rules.sameSite, site(host) != site(page.host?.lowercased() ?? "") { return false }
        guard rules.admits(link.absoluteString) else { return false }
        let ext = link.pathExtension.lowercased()
        let format: DocumentFormat =
            switch ext {
            case "pdf": .pdf
            case "docx": .docx
            default: .html
            }
        if format == .html, !["", "html", "htm", "php", "aspx", "asp", "jsp"].contains(ext) { return false }
        return rules.types.contains(format)
    }

    /// The registrable part of a host, approximately: the last two labels, or three under a two-letter
    /// country code with a generic second level (`nhs.uk`, `gov.sg`, `gc.ca`).
    static func site(_ host: String) -> String {
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        let secondLevel = ["co", "ac", "gov", "org", "nhs", "com", "edu", "net", "gc"]
        let keep = labels.last?.count == 2 && secondLevel.contains(String(labels[labels.count - 2])) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    private static func looksLikeHTML(_ body: Data) -> Bool {
        let head = String(decoding: body.prefix(512), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html")
    }

    static func withoutFragment(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url.absoluteString }
        components.fragment = nil
        return components.url?.absoluteString ?? url.absoluteString
    }

    // MARK: Records

    private func baseRecord(_ job: Job, status: Int?, headers: [String: String], finalURL: String?) -> SnapshotRecord {
        SnapshotRecord(
            sourceID: sources[job.source].source.id, url: job.requested, finalURL: finalURL, fetchedAt: Date(),
            outcome: .failed, httpStatus: status, etag: headers["etag"], lastModified: headers["last-modified"],
            contentType: headers["content-type"], depth: job.depth
        )
    }

    private func failureRecord(_ job: Job, outcome: FetchOutcome, error: FetchError, status: Int? = nil) -> SnapshotRecord {
        var record = baseRecord(job, status: status, headers: [:], finalURL: job.current.absoluteString)
        record.outcome = outcome
        record.error = error.errorDescription
        return record
    }

    private func transferFailureRecord(_ job: Job, _ failure: TransferFailure) -> SnapshotRecord {
        let settings = sources[job.source].source.settings
        let url = job.current.absoluteString
        let (outcome, error): (FetchOutcome, FetchError) =
            switch failure {
            case .privateAddress(let address): (.refused, .privateAddress(url: url, address: address))
            case .bodyTooLarge: (.failed, .bodyTooLarge(url: url, limit: settings.maxBodyBytes))
            case .decodedTooLarge: (.failed, .decodedTooLarge(url: url, limit: settings.maxDecodedBytes))
            case .timeout: (.failed, .timeout(url: url, seconds: settings.timeout))
            case .tooSlow:
                (.failed, .tooSlow(url: url, bytesPerSecond: settings.lowSpeedLimit, seconds: settings.lowSpeedTime))
            case .tooManyRedirects: (.failed, .tooManyRedirects(url: url, limit: settings.maxRedirects))
            case .headersTooLarge: (.failed, .headersTooLarge(url: url))
            case .tls(let detail): (.failed, .tls(url: url, detail: detail))
            case .connection(let detail): (.failed, .connection(url: url, detail: detail))
            }
        if case .connection = failure, job.depth == 0 { sources[job.source].result.unreachable = true }
        return failureRecord(job, outcome: outcome, error: error)
    }

    /// Logs a record, folds it into its source's result, and closes the source when nothing is pending.
    private func finish(_ job: Job, record: SnapshotRecord, body: Data? = nil) {
        let state = sources[job.source]
        committer.submit(PendingSnapshot(data: body, record: record))
        state.result.records.append(record)
        if job.depth == 0 {
            state.result.outcome = record.outcome
            state.result.httpStatus = record.httpStatus
            state.result.error = record.error
            state.result.snapshot = record.sha256
            if record.sha256 == nil {
                let current = try? store.current(sourceID: state.source.id).first { $0.depth == 0 }
                state.result.snapshot = current?.sha256
                if let current, record.outcome == .failed || record.outcome == .gone, let error = record.error {
                    let date = ISO8601DateFormatter().string(from: current.fetchedAt)
                    state.result.error = error + " (the snapshot of \(date) stays current)"
                }
            }
        } else if state.result.outcome == .unchanged, record.outcome == .new || record.outcome == .changed {
            state.result.outcome = .changed
        }
        state.pending -= 1
        if state.pending == 0 {
            finishedSources += 1
            let result = state.result
            let detail = [result.httpStatus.map { "HTTP \($0)" }, result.records.count > 1 ? "\(result.records.count) documents" : nil]
                .compactMap { $0 }.joined(separator: ", ")
            let line = "\(result.sourceID): \(result.outcome.rawValue)" + (detail.isEmpty ? "" : " (\(detail))")
            if result.outcome == .failed {
                logger.error("\(line): \(result.error ?? "")")
            } else {
                logger.info("\(line)")
            }
        }
    }
}
