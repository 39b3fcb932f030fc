/// The matrix and the gaps as GitHub-flavoured Markdown, to paste into notes, issues or a report draft.
public enum MarkdownExporter {
    public static func render(_ matrix: CoverageMatrix, provenance: Provenance? = nil) -> String {
        var lines: [String] = []
        lines.append(
            "**Coverage by \(matrix.rowDimension.title.lowercased()) and \(matrix.columnDimension.title.lowercased())**: "
                + "\(matrix.value.title), \(plural(matrix.documents, "document")).")
        lines.append("")
        lines.append(row([Escaping.markdown(matrix.rowDimension.title), "Documents"] + matrix.columns.map { Escaping.markdown($0.id) }))
        lines.append(row([":---", "---:"] + matrix.columns.map { _ in "---:" }))
        for (index, entry) in matrix.rows.enumerated() {
            lines.append(
                row(
                    [Escaping.markdown(entry.label), String(entry.documents)]
                        + matrix.cells[index].map { ValueText.display($0.value(matrix.value), as: matrix.value) }))
        }
        lines.append(
            row(
                ["**Total**", "**\(matrix.documents)**"]
                    + matrix.columnTotals.map { "**" + ValueText.display($0.value(matrix.value), as: matrix.value) + "**" }))
        lines.append("")
        for column in matrix.columns {
            lines.append("- **\(Escaping.markdown(column.id))**: \(Escaping.markdown(column.name))")
        }
        return lines.joined(separator: "\n") + "\n" + footer(provenance)
    }

    /// Provenance as a list under a rule, after the table it describes.
    static func footer(_ provenance: Provenance?) -> String {
        guard let provenance else { return "" }
        return "\n---\n\n" + provenance.fields.map { "- \($0.label): \(Escaping.markdown($0.value))\n" }.joined()
    }

    public static func render(_ gaps: GapReport, provenance: Provenance? = nil) -> String {
        var lines = [
            "**Gaps by \(gaps.rowDimension.title.lowercased()) and \(gaps.columnDimension.title.lowercased())**, largest first:", "",
        ]
        if gaps.isEmpty { lines.append("No gaps: every row covers every column.") }
        for (index, gap) in gaps.gaps.enumerated() {
            lines.append("\(index + 1). **\(gap.kind.label)**: \(Escaping.markdown(gap.summary))")
        }
        return lines.joined(separator: "\n") + "\n" + footer(provenance)
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }
}
