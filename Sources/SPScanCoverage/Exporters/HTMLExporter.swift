import Foundation

/// The matrix as a heatmap table in a self-contained page (no network: styles inline, no fonts or scripts
/// fetched), and the pieces the report reuses.
///
/// Accessible by construction: a caption, `<th scope>` on both axes, and the number written in every cell so
/// that colour is never the only signal. Every label is escaped: it may come from a fetched page.
public enum HTMLExporter {
    public static func page(_ matrix: CoverageMatrix, title: String = "Coverage matrix", provenance: Provenance? = nil) -> String {
        let caption =
            "Coverage by \(matrix.rowDimension.title.lowercased()) and \(matrix.columnDimension.title.lowercased()): "
            + "\(matrix.value.title), \(plural(matrix.documents, "document"))"
        return wrap(title: title, body: provenanceList(provenance) + heatmap(matrix, caption: caption) + legend(matrix))
    }

    public static func page(_ gaps: GapReport, title: String = "Coverage gaps", provenance: Provenance? = nil) -> String {
        wrap(title: title, body: provenanceList(provenance) + "<h2>Gaps, largest first</h2>\n" + gapList(gaps))
    }

    /// Provenance as a definition list: the page says what it counts before it counts.
    public static func provenanceList(_ provenance: Provenance?) -> String {
        guard let provenance else { return "" }
        var html = "<dl class=\"provenance\">\n"
        for field in provenance.fields {
            html += "<div><dt>\(Escaping.html(field.label))</dt><dd>\(Escaping.html(field.value))</dd></div>\n"
        }
        return html + "</dl>\n"
    }

    /// A heatmap `<table>`: rows by label, one column per domain or competency, totals in the footer.
    public static func heatmap(_ matrix: CoverageMatrix, caption: String, id: String? = nil) -> String {
        let scale = matrix.value == .count ? max(1, matrix.largestValue) : 1
        var html = "<table class=\"heatmap sortable\"\(id.map { " id=\"\(Escaping.html($0))\"" } ?? "")>\n"
        html += "<caption>\(Escaping.html(caption))</caption>\n<thead><tr>"
        html += "<th scope=\"col\">\(Escaping.html(matrix.rowDimension.title))</th><th scope=\"col\">Documents</th>"
        for column in matrix.columns {
            html += "<th scope=\"col\"><abbr title=\"\(Escaping.html(column.name))\">\(Escaping.html(column.id))</abbr></th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for (rowIndex, row) in matrix.rows.enumerated() {
            html += "<tr><th scope=\"row\">\(Escaping.html(row.label))</th><td class=\"num\">\(row.documents)</td>"
            for (columnIndex, cell) in matrix.cells[rowIndex].enumerated() {
                let column = matrix.columns[columnIndex]
                let value = cell.value(matrix.value)
                let hint = "\(row.label) × \(column.id) \(column.name): \(plural(cell.count, "document")) of \(row.documents)"
                html += self.cell(value: value, intensity: value / scale, kind: matrix.value, hint: hint)
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">\(matrix.documents)</td>"
        for total in matrix.columnTotals {
            html += "<td class=\"num\">\(ValueText.display(total.value(matrix.value), as: matrix.value))</td>"
        }
        html += "</tr></tfoot>\n</table>\n"
        return html
    }

    /// The column legend: ids in headers are short, names are not.
    public static func legend(_ matrix: CoverageMatrix) -> String {
        var html = "<dl class=\"legend\">\n"
        for column in matrix.columns {
            html += "<dt>\(Escaping.html(column.id))</dt><dd>\(Escaping.html(column.name))</dd>\n"
        }
        return html + "</dl>\n"
    }

    /// The gaps as an ordered list, largest first; `limit` keeps a summary short and says how many were left out.
    public static func gapList(_ gaps: GapReport, limit: Int? = nil) -> String {
        guard !gaps.isEmpty else { return "<p>No gaps: every row covers every column.</p>\n" }
        let shown = limit.map { Array(gaps.gaps.prefix($0)) } ?? gaps.gaps
        var html = "<ol class=\"gaps\">\n"
        for gap in shown {
            html += "<li data-kind=\"\(gap.kind.rawValue)\"><span class=\"kind\">\(Escaping.html(gap.kind.label))</span> "
            html += "\(Escaping.html(gap.summary))</li>\n"
        }
        html += "</ol>\n"
        if shown.count < gaps.gaps.count {
            html += "<p>\(gaps.gaps.count - shown.count) smaller gaps are not shown.</p>\n"
        }
        return html
    }

    /// One heatmap cell: the number, a background from a light-to-dark blue scale, and text that stays readable
    /// on it (WCAG contrast: white on the darker half).
    static func cell(value: Double, intensity: Double, kind: CellValue, hint: String) -> String {
        let text = ValueText.display(value, as: kind)
        guard value > 0 else {
            return "<td class=\"num zero\" data-value=\"0\" title=\"\(Escaping.html(hint))\">\(text)</td>"
        }
        let t = min(1, max(0, intensity))
        let light = (222.0, 235.0, 247.0)
        let dark = (8.0, 69.0, 148.0)
        let red = Int((light.0 + (dark.0 - light.0) * t).rounded())
        let green = Int((light.1 + (dark.1 - light.1) * t).rounded())
        let blue = Int((light.2 + (dark.2 - light.2) * t).rounded())
        let background = String(format: "#%02x%02x%02x", red, green, blue)
        let foreground = t > 0.5 ? "#ffffff" : "#0b1f33"
        return "<td class=\"num\" data-value=\"\(ValueText.trimmed(value))\" title=\"\(Escaping.html(hint))\" "
            + "style=\"background:\(background);color:\(foreground)\">\(text)</td>"
    }

    static func wrap(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>\(Escaping.html(title))</title>
        <style>\(styles)</style>
        </head>
        <body>
        <h1>\(Escaping.html(title))</h1>
        \(body)</body>
        </html>

        """
    }

    /// Shared with the report, so that a heatmap looks the same in both.
    static let styles = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:1.5rem auto;\
        max-width:84rem;padding:0 1rem}
        table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}
        th,td{border:1px solid #d0d7de;padding:.25rem .45rem}thead th{background:#f6f8fa;position:sticky;top:0;white-space:nowrap}
        th[scope=row]{text-align:left;font-weight:500;min-width:14rem;max-width:22rem}td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.zero{color:#8a8a8a;background:#fafafa}tfoot th,tfoot td{font-weight:600;background:#f6f8fa}
        abbr{text-decoration:none}dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;font-size:.9em}
        dl.legend dt{font-weight:600}dl.legend dd{margin:0}dl.provenance{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;\
        font-size:.85em;color:#444;margin:.5rem 0}dl.provenance dt{display:inline;font-weight:600}dl.provenance dt::after{content:": "}\
        dl.provenance dd{display:inline;margin:0}ol.gaps .kind{display:inline-block;min-width:8.5rem;\
        font-size:.8em;text-transform:uppercase;letter-spacing:.03em;color:#57606a}
        """
}
