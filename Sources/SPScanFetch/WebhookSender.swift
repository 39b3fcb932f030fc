import Foundation
import Logging
import SPScanModel

/// How one webhook delivery ended: what the scan summary and `Corpus/notifications.jsonl` record.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    public var url: String
    public var delivered: Bool
    /// Requests sent; 0 when the hook was not tried (its secret is not set, its address is refused).
    public var attempts: Int
    /// The last HTTP status received, if any.
    public var httpStatus: Int?
    /// Why the last attempt failed, in words that say what to fix; nil once delivered.
    public var error: String?
    /// Whether the body carried an `X-SPScan-Signature`.
    public var signed: Bool

    public init(url: String, delivered: Bool, attempts: Int, httpStatus: Int? = nil, error: String? = nil, signed: Bool) {
        self.url = url
        self.delivered = delivered
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.error = error
        self.signed = signed
    }

    enum CodingKeys: String, CodingKey {
        case url, delivered, attempts, error, signed
        case httpStatus = "http_status"
    }

    // Absent values are written as null, so every delivery has every key.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(url, forKey: .url)
        try container.encode(delivered, forKey: .delivered)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(httpStatus, forKey: .httpStatus)
        try container.encode(error, forKey: .error)
        try container.encode(signed, forKey: .signed)
    }
}

/// Posts a scan's summary to the `notify:` webhooks: signed, retried with backoff, and bounded in time.
///
/// A webhook is a courtesy to its receiver, never part of the scan's work: every failure ends as a
/// `WebhookDelivery` value, nothing is thrown, and each hook gets at most `budget` seconds (plus one request's
/// timeout) however its receiver behaves. Hooks are told side by side, so a dead one does not delay the others.
/// Redirects are not followed: a webhook URL that moved is a registry entry to fix, and following it would
/// send a signed body to wherever the redirect points.
public struct WebhookSender: Sendable {
    public var userAgent: String
    /// Seconds for one request, and to connect.
    public var timeout: Double = 10
    public var connectTimeout: Double = 5
    /// The pause before the first retry; each further one doubles it.
    public var backoff: Double = 1
    /// Seconds one hook may take in all before it is given up.
    public var budget: Double = 30
    public var environment: [String: String]
    public let logger: Logger

    /// The header that carries the body's HMAC-SHA256 under the hook's secret, as `sha256=<hex>`.
    public static let signatureHeader = "X-SPScan-Signature"

    public init(userAgent: String, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) {
        self.userAgent = userAgent
        self.environment = environment
        self.logger = logger
    }

    /// Posts `body` (JSON) to every hook at once and returns their outcomes in the order of `hooks`.
    public func deliver(_ body: Data, event: String, to hooks: [Webhook]) async -> [WebhookDelivery] {
        await withTaskGroup(of: (Int, WebhookDelivery).self) { group in
            for (index, hook) in hooks.enumerated() {
                group.addTask {
                    // libcurl's easy interface blocks its thread for the whole exchange (backoff included): keep it
                    // off the cooperative pool that the rest of the scan runs on.
                    let delivery = await withCheckedContinuation { continuation in
                        Thread.detachNewThread { continuation.resume(returning: deliverBlocking(body, event: event, to: hook)) }
                    }
                    return (index, delivery)
                }
            }
            var deliveries = [WebhookDelivery?](repeating: nil, count: hooks.count)
            for await (index, delivery) in group { deliveries[index] = delivery }
            return deliveries.compactMap { $0 }
        }
    }

    /// One hook: attempts until delivered, refused for good, out of retries or out of time.
    func deliverBlocking(_ body: Data, event: String, to hook: Webhook) -> WebhookDelivery {
        let url = hook.url.absoluteString
        var headers = ["Content-Type: application/json", "X-SPScan-Event: \(event)"]
        var signed = false
        if let name = hook.secretEnv {
            guard let secret = environment[name], !secret.isEmpty else {
                let error =
                    "not sent: the environment variable \(name) named by secret_env is not set; export it before the scan, "
                    + "or remove secret_env to send unsigned"
                logger.warning("webhook \(url): \(error)")
                return WebhookDelivery(url: url, delivered: false, attempts: 0, error: error, signed: true)
            }
            headers.append("\(Self.signatureHeader): sha256=\(HMACSHA256.hex(key: Data(secret.utf8), message: body))")
            signed = true
        }
        let proxied = ProxyPolicy().proxy(for: hook.url) != nil
        if proxied, !hook.allowPrivate, let host = hook.url.host?.lowercased(), let target = ProxyPolicy.privateTarget(of: host) {
            let address: String
            switch target {
            case .address(let text), .name(let text): address = text
            }
            let error = Self.privateRefusal(address)
            logger.warning("webhook \(url): \(error)")
            return WebhookDelivery(url: url, delivered: false, attempts: 0, error: error, signed: signed)
        }
        let request = TransferRequest(
            url: url, headers: headers, userAgent: userAgent, connectTimeout: connectTimeout, timeout: timeout,
            lowSpeedLimit: 1, lowSpeedTime: timeout, maxBodyBytes: 1 << 20, maxDecodedBytes: 1 << 20,
            allowPrivate: hook.allowPrivate || proxied, postBody: body)
        let started = Date()
        var attempt = 0
        var pause = backoff
        while true {
            attempt += 1
            let outcome = send(request)
            if outcome.delivered {
                logger.info("webhook \(url): delivered (HTTP \(outcome.status ?? 0), attempt \(attempt))")
                return WebhookDelivery(url: url, delivered: true, attempts: attempt, httpStatus: outcome.status, signed: signed)
            }
            let error = outcome.error ?? "no answer"
            var wait = pause
            if let retryAfter = outcome.retryAfter { wait = max(wait, retryAfter) }
            let elapsed = Date().timeIntervalSince(started)
            guard outcome.retryable, attempt <= hook.retries, elapsed + wait <= budget else {
                let why: String
                if !outcome.retryable {
                    why = error
                } else if attempt > hook.retries {
                    why = "\(error); gave up after \(attempt) attempt\(attempt == 1 ? "" : "s")"
                } else {
                    why =
                        "\(error); gave up after \(attempt) attempt\(attempt == 1 ? "" : "s") in \(Int(elapsed.rounded())) s (the time allowed)"
                }
                logger.warning("webhook \(url): not delivered: \(why)")
                return WebhookDelivery(
                    url: url, delivered: false, attempts: outcome.sent ? attempt : attempt - 1, httpStatus: outcome.status,
                    error: why, signed: signed)
            }
            logger.info("webhook \(url): attempt \(attempt) failed (\(error)); retrying in \(YAMLDuration.text(wait))")
            Thread.sleep(forTimeInterval: wait)
            pause *= 2
        }
    }

    struct AttemptOutcome {
        var delivered = false
        var status: Int?
        var error: String?
        var retryable = false
        var retryAfter: Double?
        /// False when the request never left: the address was refused before connecting.
        var sent = true
    }

    private func send(_ request: TransferRequest) -> AttemptOutcome {
        let result: TransferResult
        do {
            result = try CurlTransfer(request).perform()
        } catch {
            return AttemptOutcome(error: (error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
        if let failure = result.failure, !(failure == .bodyTooLarge && result.status.map { (200..<300).contains($0) } == true) {
            switch failure {
            case .privateAddress(let address):
                return AttemptOutcome(error: Self.privateRefusal(address), sent: false)
            case .tls(let detail):
                return AttemptOutcome(error: "TLS failed: \(detail); check the receiver's certificate")
            case .timeout, .tooSlow:
                return AttemptOutcome(error: "no answer within \(YAMLDuration.text(timeout))", retryable: true)
            case .connection(let detail):
                return AttemptOutcome(error: "cannot connect: \(detail)", retryable: true)
            case .bodyTooLarge, .decodedTooLarge, .headersTooLarge, .tooManyRedirects:
                return AttemptOutcome(error: "the receiver's answer was too large to read", retryable: true)
            }
        }
        let status = result.status ?? 0
        switch status {
        case 200..<300:
            return AttemptOutcome(delivered: true, status: status)
        case 300..<400:
            let target = result.headers["location"].map { " to \($0)" } ?? ""
            return AttemptOutcome(
                status: status,
                error: "HTTP \(status): the URL redirects\(target); put the final URL in notify: (redirects are not followed)")
        case 408, 425, 429, 500..<600:
            return AttemptOutcome(
                status: status, error: "HTTP \(status)", retryable: true,
                retryAfter: FetchEngine.retryAfter(result.headers["retry-after"]))
        default:
            return AttemptOutcome(
                status: status, error: "HTTP \(status): the receiver refused the summary; check the URL and the secret")
        }
    }

    static func privateRefusal(_ address: String) -> String {
        "refused: \(address) is a private, loopback or link-local address; add `allow_private: true` to this notify item "
            + "if the receiver is meant to be on this network"
    }
}

/// Seconds as a person writes them in Sources.yaml (`1s`, `1.5s`, `2m`).
enum YAMLDuration {
    static func text(_ seconds: Double) -> String {
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return String(format: "%.1fs", seconds)
    }
}
