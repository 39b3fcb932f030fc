/// The matrix and the gaps as CSV (RFC 4180, CRLF line ends) for spreadsheets and R or pandas.
///
/// Text cells are neutralised (see `Escaping.spreadsheetText`) because a label comes from a fetched page and a
/// spreadsheet would otherwise run `=HYPERLINK(…)` as a formula.
public enum CSVExporter {
    public static func render(_ matrix: CoverageMatrix, provenance: Provenance? = nil) -> String {
        var lines: [[String]] = []
        lines.append([matrix.rowDimension.title, "Documents"] + matrix.columns.map(\.id))
        for (index, row) in matrix.rows.enumerated() {
            lines.append(
                [row.label, String(row.documents)]
                    + matrix.cells[index].map { ValueText.machine($0.value(matrix.value), as: matrix.value) })
        }
        lines.append(
            ["Total", String(matrix.documents)]
                + matrix.columnTotals.map { ValueText.machine($0.value(matrix.value), as: matrix.value) })
        return comments(provenance) + join(lines)
    }

    /// Provenance as `#` lines above the header: `read.csv(comment.char = "#")` and pandas' `comment="#"` skip them.
    static func comments(_ provenance: Provenance?) -> String {
        guard let provenance else { return "" }
        return provenance.fields.map { "# \(Escaping.spreadsheetText($0.label)): \(Escaping.spreadsheetText($0.value))\r\n" }.joined()
    }

    public static func render(_ gaps: GapReport, provenance: Provenance? = nil) -> String {
        var lines = [["rank", "kind", "kind_name", "row", "row_label", "column", "column_name", "institution", "documents", "summary"]]
        for (index, gap) in gaps.gaps.enumerated() {
            lines.append([
                String(index + 1), gap.kind.rawValue, gap.kind.label, gap.row ?? "", gap.rowLabel ?? "", gap.column ?? "",
                gap.columnName ?? "", gap.institution ?? "", String(gap.documents), gap.summary,
            ])
        }
        return comments(provenance) + join(lines)
    }

    private static func join(_ lines: [[String]]) -> String {
        lines.map { $0.map(Escaping.csvField).joined(separator: ",") + "\r\n" }.joined()
    }
}
