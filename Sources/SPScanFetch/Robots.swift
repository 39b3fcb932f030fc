import Foundation

/// A parsed robots.txt and the RFC 9309 decision for a URL.
///
/// The rules: groups are chosen by user-agent product token (case-insensitive; all groups naming our agent
/// are merged, else the `*` groups); within them the longest matching path pattern wins, `Allow` winning a tie;
/// `*` matches any run of characters and a final `$` anchors the end; paths and patterns are compared after
/// normalising percent-encoding; only the first 500 KiB are parsed. `Crawl-delay` is not in the RFC but is
/// widely used, so it is read from the chosen groups and honoured as a politeness floor.
public struct RobotsPolicy: Sendable, Hashable {
    /// What the fetch of robots.txt told us, which decides how to read the rules.
    public enum Basis: Sendable, Hashable {
        case rules
        /// 4xx: no robots.txt, everything is allowed.
        case allowAll
        /// 5xx or unreachable: the site is treated as fully disallowed until it answers.
        case disallowAll
    }

    public struct Rule: Sendable, Hashable {
        public var allow: Bool
        /// The pattern as written in the file, for reporting.
        public var pattern: String
        /// The pattern as matching tokens: bytes after percent-encoding normalisation, `wildcard` for `*`.
        var tokens: [Int16]
        /// A final `$`: the path must end where the pattern does.
        var anchored: Bool
        /// Specificity: the longest rule (in octets, as written) decides.
        var length: Int { pattern.utf8.count }

        public var description: String { "\(allow ? "Allow" : "Disallow"): \(pattern)" }
    }

    public struct Group: Sendable, Hashable {
        public var agents: [String]
        public var rules: [Rule]
        public var crawlDelay: Double?
    }

    /// The answer for one URL: whether it may be fetched and the rule that decided (nil when none matched).
    public struct Decision: Sendable, Hashable, Codable {
        public var allowed: Bool
        public var rule: String?

        public init(allowed: Bool, rule: String?) {
            self.allowed = allowed
            self.rule = rule
        }
    }

    /// RFC 9309 §2.5: crawlers must parse at least 500 kibibytes; more is ignored.
    public static let parseLimit = 500 * 1024

    /// What to tell the user about a robots.txt of `size` bytes: nil when all of it is read, else that only the
    /// first 500 KiB are (rules after that are ignored, as the RFC allows).
    public static func truncationNote(size: Int) -> String? {
        guard size > parseLimit else { return nil }
        return
            "robots.txt is \(size) bytes; only its first \(parseLimit / 1024) KiB are read (RFC 9309's minimum), rules after that are ignored"
    }

    public var basis: Basis
    public var groups: [Group]

    public static let allowAll = RobotsPolicy(basis: .allowAll, groups: [])
    public static let disallowAll = RobotsPolicy(basis: .disallowAll, groups: [])

    public init(basis: Basis, groups: [Group]) {
        self.basis = basis
        self.groups = groups
    }

    /// Parses a robots.txt body; lines that are not rules are skipped, as the RFC asks.
    public init(parsing data: Data) {
        let text = String(decoding: data.prefix(Self.parseLimit), as: UTF8.self)
        var groups: [Group] = []
        var current: Group?
        var lastWasAgent = false
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if !lastWasAgent {
                    if let current { groups.append(current) }
                    current = Group(agents: [], rules: [], crawlDelay: nil)
                }
                current?.agents.append(Self.productToken(value))
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                // An empty Disallow allows everything; it is no rule at all.
                guard !value.isEmpty else { continue }
                let (tokens, anchored) = Self.compile(value)
                current?.rules.append(Rule(allow: key == "allow", pattern: value, tokens: tokens, anchored: anchored))
            case "crawl-delay":
                lastWasAgent = false
                if let seconds = Double(value), seconds >= 0 { current?.crawlDelay = seconds }
            default:
                // Sitemap and unknown keys do not end a group of user-agent lines' rules.
                continue
            }
        }
        if let current { groups.append(current) }
        self.init(basis: .rules, groups: groups)
    }

    /// The groups that apply to a user agent: every group naming its product token, else every `*` group.
    func applicableGroups(agent: String) -> [Group] {
        let token = Self.productToken(agent).lowercased()
        let named = groups.filter { $0.agents.contains { $0.lowercased() == token } }
        return named.isEmpty ? groups.filter { $0.agents.contains("*") } : named
    }

    /// The `Crawl-delay` of the groups that apply to this agent, if any.
    public func crawlDelay(agent: String) -> Double? {
        applicableGroups(agent: agent).compactMap(\.crawlDelay).max()
    }

    /// Whether `url` may be fetched by `agent`, and which rule decided.
    public func decision(for url: URL, agent: String) -> Decision {
        switch basis {
        case .allowAll: return Decision(allowed: true, rule: nil)
        case .disallowAll: return Decision(allowed: false, rule: "robots.txt unreachable (5xx or no answer)")
        case .rules: break
        }
        let path = Self.normalise(Self.pathAndQuery(url)).map { $0 < 0 ? Int16(UInt8(ascii: "*")) : $0 }.map(UInt8.init)
        // RFC 9309 §2.2.2: /robots.txt itself is always allowed.
        if path == Array("/robots.txt".utf8) { return Decision(allowed: true, rule: nil) }
        var best: Rule?
        for group in applicableGroups(agent: agent) {
            for rule in group.rules where Self.matches(rule.tokens, anchored: rule.anchored, path) {
                guard let current = best else {
                    best = rule
                    continue
                }
                if rule.length > current.length || (rule.length == current.length && rule.allow && !current.allow) {
                    best = rule
                }
            }
        }
        guard let best else { return Decision(allowed: true, rule: nil) }
        return Decision(allowed: best.allow, rule: best.description)
    }

    /// The product token of a user-agent string: `spscan/0.1 (+https://…)` → `spscan`.
    static func productToken(_ agent: String) -> String {
        let token = agent.trimmingCharacters(in: .whitespaces).prefix { $0.isLetter || $0 == "-" || $0 == "_" || $0 == "*" }
        return token.isEmpty ? agent.trimmingCharacters(in: .whitespaces) : String(token)
    }

    /// The path and query as sent on the wire, `/` when empty.
    static func pathAndQuery(_ url: URL) -> String {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url.path }
        var result = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery { result += "?" + query }
        return result
    }

    /// Marks a `*` wildcard among pattern tokens (bytes are 0...255).
    static let wildcard: Int16 = -1

    /// A rule's pattern as tokens: a final `$` anchors, `*` is a wildcard, and `%2A` / `%24` stand for a
    /// literal `*` / `$` (RFC 9309 §2.2.3).
    static func compile(_ pattern: String) -> (tokens: [Int16], anchored: Bool) {
        let anchored = pattern.hasSuffix("$")
        return (normalise(anchored ? String(pattern.dropLast()) : pattern), anchored)
    }

    /// Percent-encoding normalised both ways so that `/a%7Eb`, `/a~b` and `/ä` compare as the RFC says:
    /// escapes of unreserved characters (and of `*` and `$`, as literals) are decoded, other escapes get
    /// upper-case hex, and bytes outside printable ASCII are escaped. A bare `*` becomes `wildcard`.
    static func normalise(_ text: String) -> [Int16] {
        let bytes = Array(text.utf8)
        var out: [Int16] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                let decoded = high << 4 | low
                if isUnreserved(decoded) || decoded == UInt8(ascii: "*") || decoded == UInt8(ascii: "$") {
                    out.append(Int16(decoded))
                } else {
                    out.append(contentsOf: percent(decoded))
                }
                index += 3
                continue
            }
            if byte == UInt8(ascii: "*") {
                out.append(wildcard)
            } else if byte <= 0x20 || byte >= 0x7F {
                out.append(contentsOf: percent(byte))
            } else {
                out.append(Int16(byte))
            }
            index += 1
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func percent(_ byte: UInt8) -> [Int16] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [Int16(UInt8(ascii: "%")), Int16(digits[Int(byte >> 4)]), Int16(digits[Int(byte & 0x0F)])]
    }

    /// Pattern match from the start of the path: a wildcard is any run; `anchored` requires the path's end.
    static func matches(_ pattern: [Int16], anchored: Bool, _ path: [UInt8]) -> Bool {
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < path.count {
            if p == pattern.count, !anchored { return true }
            if p < pattern.count, pattern[p] == wildcard {
                starP = p
                starT = t
                p += 1
            } else if p < pattern.count, pattern[p] == Int16(path[t]) {
                p += 1
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == wildcard { p += 1 }
        return p == pattern.count
    }
}
