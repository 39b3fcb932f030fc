import Foundation
import SPScanCoverage
import SPScanModel

/// The matrix a page or `/api/matrix` asks for, checked value by value so that a misspelt filter is a 400
/// naming the allowed values, never an empty matrix that looks like a gap.
struct MatrixParameters: Sendable, Hashable {
    /// Target group by competency shows the most: a handful of rows, each a real audience, and the cells that
    /// a programme can act on. By institution, most rows hold one document.
    var rows: RowDimension = .targetGroup
    var columns: ColumnDimension = .competency
    var value: CellValue = .count
    var filter = DocumentFilter()
    /// How the page draws the matrix; the API ignores it.
    var view: MatrixView = .table

    /// The parameter names, as the command line spells its options.
    static let facetKeys = Facet.allCases.map(\.rawValue)

    init() {}

    init(_ query: FormQuery, known: FilterVocabulary) throws {
        if let text = query.first("rows") { rows = try Self.choice(text, name: "rows", RowDimension.self) }
        if let text = query.first("cols") { columns = try Self.choice(text, name: "cols", ColumnDimension.self) }
        if let text = query.first("value") { value = try Self.choice(text, name: "value", CellValue.self) }
        if let text = query.first("view") { view = try Self.choice(text, name: "view", MatrixView.self) }
        filter = try query.filter(known: known)
    }

    /// The query string of these choices, with `changes` replacing what they name: links between views.
    func query(_ changes: [(String, String)] = []) -> String {
        var pairs = [("rows", rows.rawValue), ("cols", columns.rawValue), ("value", value.rawValue), ("view", view.rawValue)]
        pairs += filter.queryPairs
        for (key, value) in changes {
            pairs.removeAll { $0.0 == key }
            pairs.append((key, value))
        }
        return FormQuery.encode(pairs)
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

/// The matrix as a table (the heatmap) or as an evidence gap map (bubbles).
enum MatrixView: String, CaseIterable, Sendable, Hashable {
    case table
    case bubbles
}

extension DocumentFilter {
    /// The filter as query parameters, as the forms send it: links keep the filters of the page they come from.
    var queryPairs: [(String, String)] { values.flatMap { entry in entry.values.map { (entry.facet.rawValue, $0) } } }
}

extension FormQuery {
    /// The one filter of the command line, from every value of each facet parameter (`country=CA&country=IE`).
    func filter(known: FilterVocabulary) throws -> DocumentFilter {
        try DocumentFilter.parse(Dictionary(uniqueKeysWithValues: Facet.allCases.map { ($0, all($0.rawValue)) }), known: known)
    }
}
