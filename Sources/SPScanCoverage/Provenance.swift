import Foundation
import SPScanModel

/// Where an export's figures come from, written into every export (page and command line alike) so that a table
/// passed on without its context still says what it counts: the scan, the framework, the filters, and what was
/// counted or left out.
public struct Provenance: Sendable, Hashable, Encodable {
    /// The latest scan the catalog holds; nil for documents that came from elsewhere (a JSON file).
    public var scannedAt: Date?
    public var scan: Int?
    public var frameworkID: String
    public var frameworkVersion: String
    /// The filter, as a person reads it ("Country: Canada; Target group: Volunteers and peer supporters"), or
    /// "none".
    public var filters: String
    /// Documents counted, after the filter.
    public var documents: Int
    /// Documents counted that were tagged from an authored sample rather than a capture of a real page.
    public var samples: Int
    /// Documents judged out of the field's scope and left out; nil when the catalog makes no such judgement.
    /// (No generation time: the same catalog and request give the same bytes, as every export does.)
    public var outOfScopeLeftOut: Int?
    /// Tag decisions a person recorded (Reviews.yaml) on the documents counted: the figures apply them, and a reader
    /// should know that some were checked by hand.
    public var reviewsAccepted: Int
    public var reviewsRejected: Int

    public init(
        scannedAt: Date?, scan: Int?, framework: Framework, filter: DocumentFilter, documents: [TaggedDocument],
        outOfScopeLeftOut: Int? = nil, reviews: [ReviewDecision] = []
    ) {
        self.scannedAt = scannedAt
        self.scan = scan
        frameworkID = framework.id
        frameworkVersion = framework.version
        filters = Self.describe(filter)
        self.documents = documents.count
        samples = documents.filter { $0.origin == .sample }.count
        self.outOfScopeLeftOut = outOfScopeLeftOut
        let counted = Set(documents.map(\.id))
        let tagDecisions = reviews.filter { !$0.isScope && counted.contains($0.documentID) }
        reviewsAccepted = tagDecisions.filter { $0.verdict == .accept }.count
        reviewsRejected = tagDecisions.filter { $0.verdict == .reject }.count
    }

    /// Label and value, in the order every format writes them.
    public var fields: [(label: String, value: String)] {
        [
            ("Scan", scannedAt.map { Self.timestamp($0) + (scan.map { " (scan \($0))" } ?? "") } ?? "not from a scan"),
            ("Framework", "\(frameworkID) version \(frameworkVersion)"),
            ("Filters", filters),
            ("Documents counted", String(documents)),
            ("Samples among them", String(samples)),
            ("Out of scope, left out", outOfScopeLeftOut.map(String.init) ?? "not judged in this catalog"),
            ("Reviewed by a person", Self.reviewSentence(accepted: reviewsAccepted, rejected: reviewsRejected)),
        ]
    }

    /// One line: what a footer or a caption has room for.
    public var line: String { fields.map { "\($0.label): \($0.value)" }.joined(separator: " · ") }

    /// "3 tags accepted, 1 rejected", or "none".
    static func reviewSentence(accepted: Int, rejected: Int) -> String {
        guard accepted + rejected > 0 else { return "none" }
        return "\(accepted) \(accepted == 1 ? "tag" : "tags") accepted, \(rejected) rejected"
    }

    public static func describe(_ filter: DocumentFilter) -> String {
        guard !filter.isEmpty else { return "none" }
        var parts: [String] = []
        func add(_ title: String, _ values: [String]) {
            if !values.isEmpty { parts.append("\(title): " + values.joined(separator: " or ")) }
        }
        add("Country", filter.countries.sorted().map(\.name))
        add("Region", filter.regions.sorted())
        add("Target group", filter.targetGroups.map(\.label).sorted())
        add("Institution", filter.institutions.sorted())
        add("Institution type", filter.institutionTypes.map(\.label).sorted())
        add("Kind", filter.kinds.map(\.label).sorted())
        return parts.joined(separator: "; ")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    enum CodingKeys: String, CodingKey {
        case scannedAt, scan, frameworkID = "framework_id", frameworkVersion, filters, documents, samples, outOfScopeLeftOut
        case reviewsAccepted, reviewsRejected
    }

    /// Every key is written, null where there is none, so that a script reads one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scannedAt, forKey: .scannedAt)
        try container.encode(scan, forKey: .scan)
        try container.encode(frameworkID, forKey: .frameworkID)
        try container.encode(frameworkVersion, forKey: .frameworkVersion)
        try container.encode(filters, forKey: .filters)
        try container.encode(documents, forKey: .documents)
        try container.encode(samples, forKey: .samples)
        try container.encode(outOfScopeLeftOut, forKey: .outOfScopeLeftOut)
        try container.encode(reviewsAccepted, forKey: .reviewsAccepted)
        try container.encode(reviewsRejected, forKey: .reviewsRejected)
    }
}
