import Foundation

/// One entry of Sources.yaml: a published document (or a landing page for several) and its facets.
public struct Source: Hashable, Sendable, Codable, Identifiable {
    /// Stable, kebab-case; snapshots, reviews and exports refer to it.
    public var id: String
    public var url: URL
    public var title: String
    public var country: Country
    /// Province, territory or nation, e.g. `ON`, `BC`, `England`, `Wales`.
    public var region: String?
    /// The publishing body's name: the entry's name when the source names an entry of `institutions:` by id,
    /// otherwise the free text of the file.
    public var institution: String
    /// The id of the `institutions:` entry, when the source names one; matrix rows and filters count by it.
    public var institutionID: String?
    /// More about who published the document, beyond the body itself (e.g. "reported by L'Express").
    public var institutionNote: String?
    public var institutionType: InstitutionType
    public var kind: DocumentKind
    public var targetGroups: [TargetGroup]
    public var populations: [Population]
    public var language: Language
    /// The format the document is published in, when known in advance; detection by content still decides.
    public var format: DocumentFormat?
    /// What the source covers, in our own words (free text, shown in reports).
    public var notes: String?
    /// Year of publication, when the document states one.
    public var year: Int?
    public var follow: FollowRules?
    public var schedule: Schedule?
    /// The effective crawl settings: the registry defaults with this source's overrides applied.
    public var settings: CrawlSettings

    public init(
        id: String, url: URL, title: String, country: Country, region: String? = nil, institution: String,
        institutionType: InstitutionType, kind: DocumentKind, targetGroups: [TargetGroup],
        populations: [Population] = [], language: Language = .english, format: DocumentFormat? = nil,
        notes: String? = nil, year: Int? = nil, follow: FollowRules? = nil, schedule: Schedule? = nil,
        settings: CrawlSettings = CrawlSettings(), institutionID: String? = nil, institutionNote: String? = nil
    ) {
        self.institutionID = institutionID
        self.institutionNote = institutionNote
        self.id = id
        self.url = url
        self.title = title
        self.country = country
        self.region = region
        self.institution = institution
        self.institutionType = institutionType
        self.kind = kind
        self.targetGroups = targetGroups
        self.populations = populations
        self.language = language
        self.format = format
        self.notes = notes
        self.year = year
        self.follow = follow
        self.schedule = schedule
        self.settings = settings
    }
}

/// How a fetch behaves: identity, limits and politeness. Set at the top of Sources.yaml under `defaults:` and
/// overridable per source under `crawl:`.
public struct CrawlSettings: Hashable, Sendable, Codable {
    public var userAgent: String
    /// Seconds to establish a connection.
    public var connectTimeout: Double
    /// Seconds for a whole transfer.
    public var timeout: Double
    /// A transfer slower than `lowSpeedLimit` bytes per second for `lowSpeedTime` seconds is cut off.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Double
    /// Largest body accepted, counted as it streams in.
    public var maxBodyBytes: Int
    /// Largest body accepted after gzip, deflate or brotli decoding: stops decompression bombs.
    public var maxDecodedBytes: Int
    public var maxRedirects: Int
    /// Seconds between two requests to the same host (robots.txt `Crawl-delay` raises it).
    public var politenessDelay: Double
    /// Transfers in flight at once across all hosts.
    public var concurrency: Int
    /// Transfers in flight at once to one host.
    public var perHostConcurrency: Int
    /// Attempts after the first for transient failures (timeouts, 429, 5xx).
    public var retries: Int
    /// Longest wait honoured from a `Retry-After` header, in seconds.
    public var maxRetryAfter: Double
    /// Allows private, loopback and link-local addresses (refused by default).
    public var allowPrivate: Bool
    public var respectRobots: Bool

    public static let defaultUserAgent =
        "spscan/0.1 (+https://socialprescribing.ca/; environmental scan of link worker training)"

    public init(
        userAgent: String = CrawlSettings.defaultUserAgent, connectTimeout: Double = 10, timeout: Double = 120,
        lowSpeedLimit: Int = 256, lowSpeedTime: Double = 20, maxBodyBytes: Int = 25 * 1024 * 1024,
        maxDecodedBytes: Int = 100 * 1024 * 1024, maxRedirects: Int = 10, politenessDelay: Double = 1,
        concurrency: Int = 8, perHostConcurrency: Int = 1, retries: Int = 3, maxRetryAfter: Double = 120,
        allowPrivate: Bool = false, respectRobots: Bool = true
    ) {
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxBodyBytes = maxBodyBytes
        self.maxDecodedBytes = maxDecodedBytes
        self.maxRedirects = maxRedirects
        self.politenessDelay = politenessDelay
        self.concurrency = concurrency
        self.perHostConcurrency = perHostConcurrency
        self.retries = retries
        self.maxRetryAfter = maxRetryAfter
        self.allowPrivate = allowPrivate
        self.respectRobots = respectRobots
    }
}

/// Which linked documents a landing-page source also collects.
public struct FollowRules: Hashable, Sendable, Codable {
    /// Link hops from the source's page; 1 collects the documents it links to directly.
    public var depth: Int
    /// Glob patterns (`*` matches any run of characters) on the absolute URL; empty means every link.
    public var include: [String]
    public var exclude: [String]
    /// Only links on the same registrable host as the source page.
    public var sameSite: Bool
    /// Formats worth collecting; links to other formats are skipped.
    public var types: [DocumentFormat]
    /// A ceiling on documents collected from one source, so that a hub cannot flood the corpus.
    public var maxDocuments: Int

    public init(
        depth: Int = 1, include: [String] = [], exclude: [String] = [], sameSite: Bool = true,
        types: [DocumentFormat] = [.html, .pdf, .docx], maxDocuments: Int = 25
    ) {
        self.depth = depth
        self.include = include
        self.exclude = exclude
        self.sameSite = sameSite
        self.types = types
        self.maxDocuments = maxDocuments
    }

    /// Whether a link's absolute URL passes the include and exclude patterns.
    public func admits(_ url: String) -> Bool {
        if exclude.contains(where: { Glob.matches($0, url) }) { return false }
        return include.isEmpty || include.contains(where: { Glob.matches($0, url) })
    }
}

/// How often a source is due for a fetch in scheduled scans.
public enum Schedule: Hashable, Sendable, Codable {
    case every(seconds: Double)

    public static let daily = Schedule.every(seconds: 86_400)
    public static let weekly = Schedule.every(seconds: 7 * 86_400)
    public static let monthly = Schedule.every(seconds: 30 * 86_400)

    public var interval: Double {
        switch self {
        case .every(let seconds): seconds
        }
    }

    /// Parses `daily`, `weekly`, `monthly` or a duration such as `12h`, `3d`, `90m`.
    public init?(spelling: String) {
        switch spelling.lowercased() {
        case "daily": self = .daily
        case "weekly": self = .weekly
        case "monthly": self = .monthly
        default:
            guard let seconds = Duration.seconds(from: spelling), seconds > 0 else { return nil }
            self = .every(seconds: seconds)
        }
    }
}

/// A publishing body, listed once under `institutions:` in Sources.yaml so that each is counted once however
/// its sources spell it.
public struct Institution: Hashable, Sendable, Codable, Identifiable {
    /// Stable, kebab-case; sources name the institution by it.
    public var id: String
    public var name: String
    public var type: InstitutionType?
    public var country: Country?
    public var website: URL?
    /// Other spellings and names (abbreviations, former names, the name in French) that mean this body.
    public var aliases: [String]

    public init(
        id: String, name: String, type: InstitutionType? = nil, country: Country? = nil, website: URL? = nil,
        aliases: [String] = []
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.country = country
        self.website = website
        self.aliases = aliases
    }

    /// Whether the text is this institution's id, name or one of its aliases (case and spacing ignored).
    public func isNamed(_ text: String) -> Bool {
        let key = Self.key(text)
        return Self.key(id) == key || Self.key(name) == key || aliases.contains { Self.key($0) == key }
    }

    /// Lower-case letters and digits only, so that "All Ireland" and "All-Ireland" are one spelling.
    static func key(_ text: String) -> String {
        String(
            text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
                .unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}

/// Sources.yaml, loaded and validated.
public struct Registry: Hashable, Sendable {
    public var defaults: CrawlSettings
    public var sources: [Source]
    public var institutions: [Institution]
    /// `defaults: notify:`: the webhooks told after each scan that found changes.
    public var notify: [Webhook]

    public init(
        defaults: CrawlSettings = CrawlSettings(), sources: [Source], institutions: [Institution] = [], notify: [Webhook] = []
    ) {
        self.defaults = defaults
        self.sources = sources
        self.institutions = institutions
        self.notify = notify
    }

    public func source(id: String) -> Source? {
        sources.first { $0.id == id }
    }

    /// The institution whose id, name or alias is the text, for filters that accept either.
    public func institution(named text: String) -> Institution? {
        institutions.first { $0.id == text } ?? institutions.first { $0.isNamed(text) }
    }

    /// The entry nearest to a free-text institution that matches none: one whose name or alias the text
    /// contains (the longest such), else the closest spelling.
    public func closestInstitution(to text: String) -> Institution? {
        let key = Institution.key(text)
        guard !key.isEmpty else { return nil }
        var best: (Institution, Int)?
        for institution in institutions {
            for name in [institution.name] + institution.aliases {
                let candidate = Institution.key(name)
                if candidate.count >= 3, key.contains(candidate), candidate.count > (best?.1 ?? 0) { best = (institution, candidate.count) }
            }
        }
        if let best { return best.0 }
        let scored = institutions.map { institution in
            let distance =
                ([institution.name] + institution.aliases).map {
                    YAMLReader.editDistance(text.lowercased(), $0.lowercased())
                }.min() ?? Int.max
            return (institution, distance)
        }
        guard let nearest = scored.min(by: { $0.1 < $1.1 }), nearest.1 <= max(3, text.count / 3) else { return nil }
        return nearest.0
    }
}

/// Glob matching for follow patterns: `*` matches any run of characters, everything else is literal.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let t = Array(text.unicodeScalars)
        var pi = 0
        var ti = 0
        var starPattern = -1
        var starText = 0
        while ti < t.count {
            if pi < p.count, p[pi] != "*", p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                starPattern = pi
                starText = ti
                pi += 1
            } else if starPattern >= 0 {
                pi = starPattern + 1
                starText += 1
                ti = starText
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// Durations and sizes as users write them in YAML.
public enum Duration {
    /// `90`, `1.5`, `500ms`, `30s`, `5m`, `12h`, `7d` → seconds.
    public static func seconds(from text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            if let value = Double(number), value >= 0 { return value * factor }
        }
        if let value = Double(trimmed), value >= 0 { return value }
        return nil
    }
}

public enum ByteSize {
    /// `1048576`, `500 KiB`, `25MiB`, `1 GB` → bytes.
    public static func bytes(from text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [
            ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824),
            ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("b", 1),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            if let value = Double(number), value >= 0 { return Int(value * factor) }
        }
        return Int(trimmed).flatMap { $0 >= 0 ? $0 : nil }
    }
}

/// A URL that receives a JSON summary (POST) after each scan that found changes: `notify:` under `defaults:`.
///
/// The secret that signs the body is never written in Sources.yaml, which is committed: `secret_env` names
/// the environment variable that holds it.
public struct Webhook: Hashable, Sendable {
    public var url: URL
    /// The environment variable holding the HMAC-SHA256 key; nil sends the body unsigned.
    public var secretEnv: String?
    /// Loopback, private and link-local addresses are refused unless the hook allows them, as for sources.
    public var allowPrivate: Bool
    /// Attempts after the first one, with backoff, before the delivery is given up.
    public var retries: Int

    public init(url: URL, secretEnv: String? = nil, allowPrivate: Bool = false, retries: Int = 3) {
        self.url = url
        self.secretEnv = secretEnv
        self.allowPrivate = allowPrivate
        self.retries = retries
    }
}
