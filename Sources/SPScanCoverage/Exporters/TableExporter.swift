import SPScanModel

/// The matrix as aligned text for a terminal: short column ids in the header, a legend below, row labels cut to
/// fit the width so that a row never wraps.
public enum TableExporter {
    /// The widest a row label gets even on a wide terminal: longer names are cut, the legend has the rest.
    static let longestLabel = 40
    /// The narrowest a row label gets, even when the columns alone overflow the terminal.
    static let shortestLabel = 12

    public static func render(_ matrix: CoverageMatrix, width: Int = 120, provenance: Provenance? = nil) -> String {
        let valueColumns = matrix.columns.indices.map { index in
            let texts = matrix.cells.map { cellText($0[index], matrix.value) } + [totalText(matrix, index)]
            return max(matrix.columns[index].id.count, texts.map(\.count).max() ?? 1)
        }
        let documentsHeader = "Docs"
        let documentsWidth = max(documentsHeader.count, String(matrix.documents).count)
        let fixed = valueColumns.reduce(documentsWidth) { $0 + $1 + 2 } + 2
        let labels = matrix.rows.map(\.label) + [matrix.rowDimension.title, "Total"]
        let longest = labels.map(\.count).max() ?? shortestLabel
        // Cut labels only when that makes the table fit; a table too wide anyway keeps its labels readable.
        let fits = fixed + min(longest, shortestLabel) <= width
        let labelWidth = fits ? min(longest, longestLabel, width - fixed) : min(longest, longestLabel)

        var lines: [String] = []
        lines.append(
            "Coverage by \(matrix.rowDimension.title.lowercased()) and \(matrix.columnDimension.title.lowercased()): "
                + "\(matrix.value.title) (\(plural(matrix.documents, "document")))")
        lines.append("")
        var header = alignLeft(fit(matrix.rowDimension.title, labelWidth), labelWidth) + "  " + alignRight(documentsHeader, documentsWidth)
        for (index, column) in matrix.columns.enumerated() { header += "  " + alignRight(column.id, valueColumns[index]) }
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for (rowIndex, row) in matrix.rows.enumerated() {
            var line = alignLeft(fit(row.label, labelWidth), labelWidth) + "  " + alignRight(String(row.documents), documentsWidth)
            for (index, cell) in matrix.cells[rowIndex].enumerated() {
                line += "  " + alignRight(cellText(cell, matrix.value), valueColumns[index])
            }
            lines.append(line)
        }
        lines.append(String(repeating: "-", count: header.count))
        var total = alignLeft("Total", labelWidth) + "  " + alignRight(String(matrix.documents), documentsWidth)
        for index in matrix.columns.indices { total += "  " + alignRight(totalText(matrix, index), valueColumns[index]) }
        lines.append(total)
        lines.append("")
        let idWidth = matrix.columns.map(\.id.count).max() ?? 0
        for column in matrix.columns { lines.append(alignLeft(column.id, idWidth) + "  " + column.name) }
        lines.append("")
        lines.append("· no document covers it. Docs: documents in the row (a document with several target groups counts in each).")
        if matrix.leftOutOfScope > 0 { lines.append(ScopeCount.leftOutSentence(matrix.leftOutOfScope)) }
        if !fits {
            lines.append(
                "The table is wider than \(width) columns: --cols domain or --format csv gives a narrower or more portable view.")
        }
        return lines.joined(separator: "\n") + "\n" + footer(provenance)
    }

    /// The gaps as a numbered list, largest first.
    static func footer(_ provenance: Provenance?) -> String {
        guard let provenance else { return "" }
        return "\n" + provenance.fields.map { "\($0.label): \(oneLine($0.value))\n" }.joined()
    }

    public static func render(_ gaps: GapReport, provenance: Provenance? = nil) -> String {
        guard !gaps.isEmpty else { return "No gaps: every row covers every column.\n" + footer(provenance) }
        let digits = String(gaps.gaps.count).count
        var lines = ["Gaps by \(gaps.rowDimension.title.lowercased()) and \(gaps.columnDimension.title.lowercased()), largest first:", ""]
        for (index, gap) in gaps.gaps.enumerated() {
            lines.append(alignRight(String(index + 1), digits) + ". " + gap.kind.label + ": " + oneLine(gap.summary))
        }
        return lines.joined(separator: "\n") + "\n" + footer(provenance)
    }

    private static func cellText(_ cell: CoverageMatrix.Cell, _ kind: CellValue) -> String {
        cell.count == 0 ? "·" : ValueText.display(cell.value(kind), as: kind)
    }

    private static func totalText(_ matrix: CoverageMatrix, _ column: Int) -> String {
        cellText(matrix.columnTotals[column], matrix.value)
    }

    /// Cuts text to `width` characters with an ellipsis, and keeps it on one line.
    static func fit(_ text: String, _ width: Int) -> String {
        let line = oneLine(text)
        guard line.count > width else { return line }
        return String(line.prefix(max(0, width - 1))) + "…"
    }

    /// Control characters from a fetched title must not move the terminal's cursor or colour it.
    static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    private static func alignLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func alignRight(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
