import Foundation
import SPScanCoverage
import SPScanModel

/// The matrix a page or `/api/matrix` asks for, checked value by value so that a misspelt filter is a 400
/// naming the allowed values, never an empty matrix that looks like a gap.
struct MatrixParameters: Sendable, Hashable {
    var rows: RowDimension = .institution
    var columns: ColumnDimension = .domain
    var value: CellValue = .count
    var filter = DocumentFilter()

    /// The parameter names, as the command line spells its options.
    static let facetKeys = Facet.allCases.map(\.rawValue)

    init() {}

    init(_ query: FormQuery, known: FilterVocabulary) throws {
        if let text = query.first("rows") { rows = try Self.choice(text, name: "rows", RowDimension.self) }
        if let text = query.first("cols") { columns = try Self.choice(text, name: "cols", ColumnDimension.self) }
        if let text = query.first("value") { value = try Self.choice(text, name: "value", CellValue.self) }
        filter = try query.filter(known: known)
    }

    /// A stable key for the rendered answer: the same request in another parameter order is the same matrix.
    var key: String { [rows.rawValue, columns.rawValue, value.rawValue, filter.key].joined(separator: "|") }

    static func choice<Value: CaseIterable & RawRepresentable>(_ text: String, name: String, _: Value.Type) throws -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: text.lowercased()) else {
            throw WebError.badParameter(name: name, value: text, allowed: Value.allowedList)
        }
        return value
    }
}

extension FormQuery {
    /// The one filter of the command line, from every value of each facet parameter (`country=CA&country=IE`).
    func filter(known: FilterVocabulary) throws -> DocumentFilter {
        try DocumentFilter.parse(Dictionary(uniqueKeysWithValues: Facet.allCases.map { ($0, all($0.rawValue)) }), known: known)
    }
}
