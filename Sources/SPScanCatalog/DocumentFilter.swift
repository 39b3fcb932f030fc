import GRDB
import SPScanModel

/// Which documents a read covers: every facet a user can filter queries, searches and the matrix by. A nil
/// facet does not filter; free-text facets (institution, region) match regardless of case.
public struct DocumentFilter: Hashable, Sendable, Codable {
    public var country: Country?
    public var region: String?
    public var targetGroup: TargetGroup?
    public var institution: String?
    public var institutionType: InstitutionType?
    public var kind: DocumentKind?

    public init(
        country: Country? = nil, region: String? = nil, targetGroup: TargetGroup? = nil, institution: String? = nil,
        institutionType: InstitutionType? = nil, kind: DocumentKind? = nil
    ) {
        self.country = country
        self.region = region
        self.targetGroup = targetGroup
        self.institution = institution
        self.institutionType = institutionType
        self.kind = kind
    }

    /// Every document.
    public static let all = DocumentFilter()

    public var isEmpty: Bool { self == .all }

    /// The filter as a SQL condition on the document table under `alias`; values are bound, never spliced.
    func condition(on alias: String) -> SQL {
        var parts: [SQL] = []
        if let country { parts.append("\(sql: alias).country = \(country.rawValue)") }
        if let region { parts.append("\(sql: alias).region = \(region) COLLATE NOCASE") }
        if let institution { parts.append("\(sql: alias).institution = \(institution) COLLATE NOCASE") }
        if let institutionType { parts.append("\(sql: alias).institutionType = \(institutionType.rawValue)") }
        if let kind { parts.append("\(sql: alias).kind = \(kind.rawValue)") }
        if let targetGroup {
            parts.append(
                """
                EXISTS (SELECT 1 FROM documentTargetGroup g
                        WHERE g.documentID = \(sql: alias).id AND g.targetGroup = \(targetGroup.rawValue))
                """)
        }
        if parts.isEmpty { return "1" }
        return parts.joined(separator: " AND ")
    }
}

/// A request from an SQL literal whose values are bound arguments.
func request(_ literal: SQL) -> SQLRequest<Row> {
    SQLRequest(literal: literal)
}
