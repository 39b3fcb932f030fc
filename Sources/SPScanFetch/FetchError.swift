import Foundation

/// Everything that can go wrong in the fetch stage and the snapshot store, in words a user can act on.
///
/// Transfer errors end up as values (a failed `SnapshotRecord` carries the message) so that one source never
/// stops the scan; store errors are thrown, because a corpus that cannot be written must stop the run.
public enum FetchError: Error, LocalizedError, Equatable, Sendable {
    // The snapshot store.
    case corpusUnwritable(path: String, reason: String)
    case corpusLocked(path: String)
    case objectMissing(sha256: String, path: String)
    case corruptLog(path: String, line: Int, reason: String)
    case unreadableFile(path: String, reason: String)
    // Policy, before any request.
    case unsupportedScheme(url: String)
    case privateAddress(url: String, address: String)
    /// Through a proxy: a host name that stands for this machine or a private network by its name alone.
    case privateName(url: String, host: String)
    case blockedByRobots(url: String, rule: String?)
    // Transfers.
    case connection(url: String, detail: String)
    case timeout(url: String, seconds: Double)
    case tooSlow(url: String, bytesPerSecond: Int, seconds: Double)
    case bodyTooLarge(url: String, limit: Int)
    case decodedTooLarge(url: String, limit: Int)
    case tooManyRedirects(url: String, limit: Int)
    case headersTooLarge(url: String)
    case redirectLoop(url: String, target: String)
    case badRedirect(url: String, location: String)
    case httpStatus(url: String, status: Int)
    case retryAfterTooLong(url: String, status: Int, seconds: Double, cap: Double)
    case gone(url: String, status: Int)
    case tls(url: String, detail: String)
    case curl(call: String, code: Int, detail: String)
    case offlineWithoutSnapshot(sourceID: String)

    public var errorDescription: String? {
        switch self {
        case .corpusUnwritable(let path, let reason):
            "cannot write the corpus at \(path): \(reason); check the folder exists and is writable, or point --corpus elsewhere"
        case .corpusLocked(let path):
            "another scan is using the corpus (lock \(path) is held); wait for it to finish, then run the scan again"
        case .objectMissing(let sha256, let path):
            "snapshot \(sha256) is missing from \(path); restore Corpus/ from a backup or run `spscan scan` to fetch it again"
        case .corruptLog(let path, let line, let reason):
            "\(path):\(line): unreadable log line (\(reason)); restore the file from a backup or remove that line"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason); check the path"
        case .unsupportedScheme(let url):
            "\(url): only http and https URLs are fetched; correct the url in Sources.yaml"
        case .privateAddress(let url, let address):
            "\(url) resolves to the private address \(address), which is refused; set `allow_private: true` on the source (or pass --allow-private) if this is intended"
        case .privateName(let url, let host):
            "\(url): the host name \(host) stands for this machine or a private network, which is refused (through the proxy it would reach the proxy's own network); set `allow_private: true` on the source (or pass --allow-private) if this is intended"
        case .blockedByRobots(let url, let rule):
            "\(url) is disallowed by the site's robots.txt" + (rule.map { " (\($0))" } ?? "")
                + "; ask the site owner, or add the document as a sample with `spscan corpus import-samples`"
        case .connection(let url, let detail):
            "\(url): cannot connect (\(detail)); check the address and the network, then scan again"
        case .timeout(let url, let seconds):
            "\(url): no complete answer within \(Self.format(seconds)) s; raise `timeout` for this source if the server is slow"
        case .tooSlow(let url, let rate, let seconds):
            "\(url): the server sent less than \(rate) bytes/s for \(Self.format(seconds)) s and was cut off; raise `low_speed_time` if it is just slow"
        case .bodyTooLarge(let url, let limit):
            "\(url): the body exceeds \(limit) bytes and was stopped; raise `max_body_size` for this source if the document is that large"
        case .decodedTooLarge(let url, let limit):
            "\(url): the decompressed body exceeds \(limit) bytes (a compression bomb?) and was stopped; raise `max_decoded_size` if it is genuine"
        case .tooManyRedirects(let url, let limit):
            "\(url): more than \(limit) redirects; point the source at the final address"
        case .headersTooLarge(let url):
            "\(url): the server's response headers are too large (over 100 KiB for one header or 300 KiB in all) and were refused; the site is misconfigured, tell its owner or scan again later"
        case .redirectLoop(let url, let target):
            "\(url): redirect loop (back to \(target)); point the source at a working address"
        case .badRedirect(let url, let location):
            "\(url): the server redirected to an unusable location '\(location)'; point the source at the final address"
        case .httpStatus(let url, let status):
            "\(url): the server answered HTTP \(status); check the URL in a browser"
        case .retryAfterTooLong(let url, let status, let seconds, let cap):
            "\(url): HTTP \(status) asking to retry after \(Self.format(seconds)) s, longer than max_retry_after (\(Self.format(cap)) s); scan again later"
        case .gone(let url, let status):
            "\(url): HTTP \(status), the document is gone; its earlier snapshots are kept; update the url in Sources.yaml"
        case .tls(let url, let detail):
            "\(url): TLS verification failed (\(detail)); the site's certificate is not trusted, so nothing was fetched"
        case .curl(let call, let code, let detail):
            "libcurl \(call) failed with code \(code) (\(detail)); this is a bug or a broken libcurl install, please report it"
        case .offlineWithoutSnapshot(let sourceID):
            "offline and no snapshot of \(sourceID) yet; scan once with network access, or import a sample with `spscan corpus import-samples`"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
