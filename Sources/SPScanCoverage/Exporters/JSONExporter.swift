import Foundation
import SPScanModel

/// The matrix and the gaps as JSON for programs: snake_case keys, sorted, so that output diffs cleanly.
public enum JSONExporter {
    public static func render(_ matrix: CoverageMatrix, gaps: GapReport? = nil, provenance: Provenance? = nil) throws -> String {
        var json = MatrixJSON(matrix, gaps: gaps)
        json.provenance = provenance
        return try encode(json)
    }

    public static func render(_ gaps: GapReport, provenance: Provenance? = nil) throws -> String {
        var json = GapsJSON(gaps)
        json.provenance = provenance
        return try encode(json)
    }

    static func encode(_ value: some Encodable) throws -> String {
        try JSONStyle.string(value) + "\n"
    }
}

private struct CellJSON: Encodable {
    var count: Int
    var maxScore: Double
    var share: Double

    init(_ cell: CoverageMatrix.Cell) {
        count = cell.count
        maxScore = ValueText.rounded(cell.maxScore)
        share = ValueText.rounded(cell.share)
    }
}

private struct MatrixJSON: Encodable {
    struct Column: Encodable {
        var id: String
        var name: String
        var domain: String
        var total: CellJSON
    }

    struct Row: Encodable {
        var key: String
        var label: String
        var documents: Int
        /// The chosen value per column, in column order: what a chart plots.
        var values: [Double]
        var cells: [CellJSON]
    }

    var rows: String
    var columns: String
    var value: String
    var documents: Int
    var leftOutOfScope: Int
    var columnList: [Column]
    var rowList: [Row]
    var gaps: GapsJSON?
    /// Written only when the export carries it (downloads and the command line), so the API keeps its shape.
    var provenance: Provenance?

    init(_ matrix: CoverageMatrix, gaps: GapReport?) {
        rows = matrix.rowDimension.rawValue
        columns = matrix.columnDimension.rawValue
        value = matrix.value.rawValue
        documents = matrix.documents
        leftOutOfScope = matrix.leftOutOfScope
        columnList = matrix.columns.enumerated().map { index, column in
            Column(id: column.id, name: column.name, domain: column.domain, total: CellJSON(matrix.columnTotals[index]))
        }
        rowList = matrix.rows.enumerated().map { index, row in
            Row(
                key: row.key, label: row.label, documents: row.documents,
                values: matrix.cells[index].map { ValueText.rounded($0.value(matrix.value)) },
                cells: matrix.cells[index].map(CellJSON.init))
        }
        self.gaps = gaps.map(GapsJSON.init)
    }

    enum CodingKeys: String, CodingKey {
        case rows = "row_dimension"
        case columns = "column_dimension"
        case value
        case documents
        case leftOutOfScope = "left_out_of_scope"
        case columnList = "columns"
        case rowList = "rows"
        case gaps
        case provenance
    }
}

private struct GapsJSON: Encodable {
    var rowDimension: String
    var columnDimension: String
    var gaps: [GapReport.Gap]
    var provenance: Provenance?

    init(_ report: GapReport) {
        rowDimension = report.rowDimension.rawValue
        columnDimension = report.columnDimension.rawValue
        gaps = report.gaps
    }
}
