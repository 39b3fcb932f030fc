import GRDB
import SPScanModel

extension DocumentFilter {
    /// The filter as a SQL condition on the document table under `alias`; values are bound, never spliced.
    ///
    /// Institutions and regions come resolved to the catalog's own spelling by `DocumentFilter.parse`;
    /// `COLLATE NOCASE` keeps a filter built in code (`institutions: ["national academy"]`) working too.
    func condition(on alias: String) -> SQL {
        var parts: [SQL] = []
        // GRDB writes an array as `(?, ?, …)` with each value bound.
        func list(_ values: some Collection<String>) -> [String] { values.sorted() }
        if !countries.isEmpty { parts.append("\(sql: alias).country IN \(list(countries.map(\.rawValue)))") }
        if !regions.isEmpty { parts.append("\(sql: alias).region COLLATE NOCASE IN \(list(regions))") }
        if !institutions.isEmpty { parts.append("\(sql: alias).institution COLLATE NOCASE IN \(list(institutions))") }
        if !institutionTypes.isEmpty {
            parts.append("\(sql: alias).institutionType IN \(list(institutionTypes.map(\.rawValue)))")
        }
        if !kinds.isEmpty { parts.append("\(sql: alias).kind IN \(list(kinds.map(\.rawValue)))") }
        if !targetGroups.isEmpty {
            parts.append(
                """
                EXISTS (SELECT 1 FROM documentTargetGroup g
                        WHERE g.documentID = \(sql: alias).id AND g.targetGroup IN \(list(targetGroups.map(\.rawValue))))
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
