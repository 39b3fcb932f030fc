import Foundation
import SPScanCatalog
import SPScanModel

// The JSON answers that `spscan query|search --format json` print and `/api/query`, `/api/search` return: one type
// each, so that the command line and the web page cannot drift apart (docs/json.md documents each shape once).

/// Which documents cover a competency, best first.
public struct QueryAnswer: Encodable, Sendable {
    public var competency: String
    public var name: String
    public var filter: DocumentFilter
    public var count: Int
    /// Documents that cover it but were judged out of scope, not listed (0 when they are listed, marked).
    public var leftOutOfScope: Int
    public var documents: [QueryHit]

    public init(competency: Competency, filter: DocumentFilter, hits: [QueryHit], leftOutOfScope: Int = 0) {
        self.competency = competency.id
        name = competency.name
        self.filter = filter
        count = hits.count
        self.leftOutOfScope = leftOutOfScope
        documents = hits
    }
}

/// The passages that match a full-text search, most relevant first.
public struct SearchAnswer: Encodable, Sendable {
    public var query: String
    public var filter: DocumentFilter
    public var count: Int
    public var passages: [SearchHit]

    public init(query: String, filter: DocumentFilter, hits: [SearchHit]) {
        self.query = query
        self.filter = filter
        count = hits.count
        passages = hits
    }
}
