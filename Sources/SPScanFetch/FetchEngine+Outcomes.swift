import Foundation
import Logging
import SPScanModel

// What the fetch loop does with each finished transfer: robots.txt answers, documents, retries and failures.
extension FetchEngine {
    func robotsArrived(_ key: String, source: Int, url: URL, hops: Int, _ result: TransferResult, multi: CurlMulti) {
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
    func robotsRedirected(_ key: String, source: Int, from url: URL, hops: Int, location: String?, multi: CurlMulti) {
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
    func robotsPolicy(_ key: String, _ body: Data) -> RobotsPolicy {
        if let note = RobotsPolicy.truncationNote(size: body.count) { logger.warning("\(key): \(note)") }
        return RobotsPolicy(parsing: body)
    }

    func documentArrived(_ job: Job, _ result: TransferResult) {
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

    func stored(_ job: Job, _ result: TransferResult, status: Int) {
        var record = baseRecord(job, status: status, headers: result.headers, finalURL: result.effectiveURL)
        let previous = job.previous
        let sha = SHA256.hex(result.body)
        record.sha256 = sha
        record.size = result.body.count
        record.outcome = previous == nil ? .new : (previous?.sha256 == sha ? .unchanged : .changed)
        follow(job, body: result.body, contentType: record.contentType, base: URL(string: result.effectiveURL))
        finish(job, record: record, body: result.body)
    }

    func redirect(_ job: Job, location: String?, status: Int, settings: CrawlSettings) {
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

    func retry(_ job: Job, after seconds: Double) {
        var next = job
        next.attempt += 1
        next.notBefore = Date().addingTimeInterval(seconds)
        logger.debug("retrying \(job.current.absoluteString) in \(String(format: "%.2f", seconds)) s")
        place(next)
    }

    /// Exponential backoff with jitter (half to full of the doubled delay), never beyond `max_retry_after`.
    func backoff(_ attempt: Int, settings: CrawlSettings) -> Double {
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

    static func isTransient(_ failure: TransferFailure) -> Bool {
        switch failure {
        // A low-speed cut-off is a timeout too (docs/fetch.md: timeouts are retried).
        case .connection, .timeout, .tooSlow: true
        default: false
        }
    }
}
