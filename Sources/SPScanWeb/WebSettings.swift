import Foundation

/// Where `spscan serve` listens and which project files it serves.
public struct WebSettings: Sendable, Hashable {
    /// As given: `127.0.0.1`, `::1` or `[::1]`, `0.0.0.0`, a name.
    public var host: String
    public var port: Int
    /// Checked on every request when set; required on any address other than loopback.
    public var token: String?
    /// Host names the server answers to besides its own address (`--allowed-host`): what a reverse proxy or a
    /// DNS name in front of it sends as `Host`. One starting with a dot allows every name under it.
    public var allowedHosts: [String]
    public var limits: ConnectionLimits
    public var sources: URL
    public var framework: URL
    public var catalog: URL
    /// Reviews.yaml: where review buttons and `POST /api/reviews` record decisions, as `spscan review` does.
    public var reviews: URL
    /// Corpus/: where old versions of a document are read from (their text and diffs); nil leaves them out.
    public var corpus: URL?

    /// Shorter tokens can be guessed; 16 characters of a random alphabet are beyond any login limit's reach.
    public static let minimumTokenLength = 16

    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, allowedHosts: [String] = [],
        limits: ConnectionLimits = ConnectionLimits(), sources: URL, framework: URL, catalog: URL, reviews: URL, corpus: URL? = nil
    ) {
        self.corpus = corpus
        self.host = host
        self.port = port
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.allowedHosts = allowedHosts
        self.limits = limits
        self.sources = sources
        self.framework = framework
        self.catalog = catalog
        self.reviews = reviews
    }

    /// The address to bind: `[::1]` as written in a URL is `::1` to the socket.
    public var bindHost: String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// The address as a URL shows it, brackets around IPv6.
    public var urlHost: String { bindHost.contains(":") ? "[\(bindHost)]" : bindHost }

    /// Refuses a setting that would expose the catalog (a non-loopback address without a token), a token that
    /// could be guessed, and allowed hosts that are not names.
    public func check() throws {
        guard (0...65_535).contains(port) else { throw WebError.badPort(port) }
        if let token {
            let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed == token, token.count >= Self.minimumTokenLength,
                !token.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw WebError.weakToken(length: trimmed.count) }
        }
        if token == nil && !Self.isLoopback(host) { throw WebError.tokenRequired(host: host) }
        for name in allowedHosts {
            let body = name.hasPrefix(".") ? String(name.dropFirst()) : name
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-.:[]_"))
            guard !body.isEmpty, body.unicodeScalars.allSatisfy({ allowed.contains($0) }), !body.contains("//") else {
                throw WebError.badAllowedHost(name)
            }
        }
    }

    /// Whether `host` names this machine only: only then may a server answer without a token.
    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower == "[::1]" || lower.hasPrefix("127.")
    }

    /// A new random token for `--token` / `SPSCAN_TOKEN`: 32 bytes from the system's secure generator, as
    /// 43 URL-safe base64 characters (no padding), so it needs no quoting in a shell, a header or a cookie.
    public static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
