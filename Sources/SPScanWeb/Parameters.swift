import Foundation
import SPScanCatalog
import SPScanCoverage
import SPScanModel

/// The matrix a page or `/api/matrix` asks for, checked value by value so that a misspelt filter is a 400
/// naming the allowed values, never an empty matrix that looks like a gap.
struct MatrixParameters: Sendable, Hashable {
    var rows: RowDimension = .institution
    var columns: ColumnDimension = .domain
    var value: CellValue = .count
    var filter = CoverageFilter()

    /// The parameter names, as the command line spells its options.
    static let facetKeys = ["country", "region", "target-group", "institution", "institution-type", "kind"]

    init() {}

    init(_ query: FormQuery) throws {
        if let text = query.first("rows") { rows = try Self.choice(text, name: "rows", RowDimension.self) }
        if let text = query.first("cols") { columns = try Self.choice(text, name: "cols", ColumnDimension.self) }
        if let text = query.first("value") { value = try Self.choice(text, name: "value", CellValue.self) }
        filter = CoverageFilter(
            countries: Set(try query.all("country").map(Self.country)),
            regions: query.all("region"),
            targetGroups: Set(try query.all("target-group").map { try Self.choice($0, name: "target-group", TargetGroup.self) }),
            institutions: query.all("institution"),
            institutionTypes: Set(
                try query.all("institution-type").map { try Self.choice($0, name: "institution-type", InstitutionType.self) }),
            kinds: Set(try query.all("kind").map { try Self.choice($0, name: "kind", DocumentKind.self) }))
    }

    /// A stable key for the rendered answer: the same request in another parameter order is the same matrix.
    var key: String {
        [
            rows.rawValue, columns.rawValue, value.rawValue, filter.countries.map(\.rawValue).sorted().joined(separator: ","),
            filter.regions.map { $0.lowercased() }.sorted().joined(separator: ","),
            filter.targetGroups.map(\.rawValue).sorted().joined(separator: ","),
            filter.institutions.map { $0.lowercased() }.sorted().joined(separator: ","),
            filter.institutionTypes.map(\.rawValue).sorted().joined(separator: ","),
            filter.kinds.map(\.rawValue).sorted().joined(separator: ","),
        ].joined(separator: "|")
    }

    static func country(_ text: String) throws -> Country {
        guard let country = Country(spelling: text) else {
            throw WebError.badParameter(name: "country", value: text, allowed: Country.allowedList + " (UK for GB)")
        }
        return country
    }

    static func choice<Value: CaseIterable & RawRepresentable>(_ text: String, name: String, _: Value.Type) throws -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: text.lowercased()) else {
            throw WebError.badParameter(name: name, value: text, allowed: Value.allowedList)
        }
        return value
    }
}

/// The one-value-per-facet filter of queries and searches, as the command line's filter options read it.
enum FilterParameters {
    static func documentFilter(_ query: FormQuery, regions: [String], institutions: () throws -> [String]) throws
        -> DocumentFilter
    {
        var filter = DocumentFilter()
        filter.country = try query.first("country").map(MatrixParameters.country)
        filter.targetGroup = try query.first("target-group").map {
            try MatrixParameters.choice($0, name: "target-group", TargetGroup.self)
        }
        filter.institutionType = try query.first("institution-type").map {
            try MatrixParameters.choice($0, name: "institution-type", InstitutionType.self)
        }
        filter.kind = try query.first("kind").map { try MatrixParameters.choice($0, name: "kind", DocumentKind.self) }
        if let region = query.first("region") {
            filter.region = try known(region, name: "region", among: regions)
        }
        if let institution = query.first("institution") {
            filter.institution = try known(institution, name: "institution", among: try institutions())
        }
        return filter
    }

    private static func known(_ text: String, name: String, among values: [String]) throws -> String {
        if let value = values.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) { return value }
        let allowed = values.isEmpty ? "none: the catalog has no \(name) yet" : values.map { "'\($0)'" }.joined(separator: ", ")
        throw WebError.badParameter(name: name, value: text, allowed: allowed)
    }
}
