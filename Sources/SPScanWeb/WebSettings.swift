import Foundation

/// Where `spscan serve` listens and which project files it serves.
public struct WebSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// Checked on every request when set; required on any address other than loopback.
    public var token: String?
    public var sources: URL
    public var framework: URL
    public var catalog: URL
    /// Reviews.yaml: where review buttons and `POST /api/reviews` record decisions, as `spscan review` does.
    public var reviews: URL
    /// Corpus/: where old versions of a document are read from (their text and diffs); nil leaves them out.
    public var corpus: URL?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, sources: URL, framework: URL, catalog: URL,
        reviews: URL, corpus: URL? = nil
    ) {
        self.corpus = corpus
        self.host = host
        self.port = port
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.sources = sources
        self.framework = framework
        self.catalog = catalog
        self.reviews = reviews
    }

    /// Refuses a setting that would expose the catalog: a non-loopback address without a token.
    public func check() throws {
        guard (0...65_535).contains(port) else { throw WebError.badPort(port) }
        if token == nil && !Self.isLoopback(host) { throw WebError.tokenRequired(host: host) }
    }

    /// Whether `host` names this machine only: only then may a server answer without a token.
    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower == "[::1]" || lower.hasPrefix("127.")
    }
}
