import Foundation

/// What became of one fetch of one URL: one line of a source's log in `Corpus/log/<source-id>.jsonl`.
///
/// The log is append-only: a later line never rewrites an earlier one, so the corpus keeps every version and
/// every failure. Bytes live once, by content hash, in `Corpus/objects/`.
public struct SnapshotRecord: Hashable, Sendable, Codable {
    public var sourceID: String
    /// The URL asked for: the source's own URL, or a document it links to under follow rules.
    public var url: String
    /// The URL after redirects.
    public var finalURL: String?
    public var fetchedAt: Date
    public var outcome: FetchOutcome
    public var httpStatus: Int?
    public var etag: String?
    public var lastModified: String?
    public var contentType: String?
    public var size: Int?
    /// SHA-256 of the body, lower-case hex; names the object file. Nil when no body was stored.
    public var sha256: String?
    /// Whether the bytes were captured from the web or written by us as a stand-in.
    public var origin: SnapshotOrigin
    /// The error, for failed and refused outcomes, in words a user can act on.
    public var error: String?
    /// Link depth from the source's page: 0 for the source itself.
    public var depth: Int

    public init(
        sourceID: String, url: String, finalURL: String? = nil, fetchedAt: Date, outcome: FetchOutcome,
        httpStatus: Int? = nil, etag: String? = nil, lastModified: String? = nil, contentType: String? = nil,
        size: Int? = nil, sha256: String? = nil, origin: SnapshotOrigin = .capture, error: String? = nil,
        depth: Int = 0
    ) {
        self.sourceID = sourceID
        self.url = url
        self.finalURL = finalURL
        self.fetchedAt = fetchedAt
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.origin = origin
        self.error = error
        self.depth = depth
    }

    enum CodingKeys: String, CodingKey {
        case sourceID = "source"
        case url
        case finalURL = "final_url"
        case fetchedAt = "time"
        case outcome
        case httpStatus = "http_status"
        case etag
        case lastModified = "last_modified"
        case contentType = "content_type"
        case size
        case sha256
        case origin
        case error
        case depth
    }
}

/// The outcome of fetching one source or document; skips and failures are values, never thrown.
public enum FetchOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// First snapshot of this URL.
    case new
    /// Bytes differ from the previous snapshot.
    case changed
    /// 304, or a 200 whose bytes hash the same as the previous snapshot.
    case unchanged
    /// A transfer or HTTP error after retries; the previous snapshot stays current.
    case failed
    /// 404 or 410: the document is gone; its snapshots are kept.
    case gone
    case blockedByRobots = "blocked-by-robots"
    /// Refused by policy before any request: a private address, a scheme other than http or https.
    case refused
    /// Not fetched: the scan was offline, so the last snapshot stands in.
    case offline
}

/// Whether a snapshot's bytes came from the web or were authored by us as a stand-in for a capture.
public enum SnapshotOrigin: String, Hashable, Sendable, Codable {
    case capture
    /// Written by the spscan team to summarise a published document in our own words, for offline use.
    case sample
}
