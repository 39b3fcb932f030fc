import Foundation
import SPScanCoverage
import SPScanModel
import Testing

@Suite("Exporters: golden text")
struct ExporterTests {
    let documents = Fixtures.documents
    let framework = Fixtures.framework

    func matrix(_ rows: RowDimension = .institution, _ value: CellValue = .count) -> CoverageMatrix {
        CoverageMatrix.build(documents: documents, framework: framework, rows: rows, columns: .competency, value: value)
    }

    func gaps() -> GapReport {
        Gaps.find(matrix: matrix(), documents: documents, framework: framework)
    }

    @Test("table") func table() throws {
        try assertSnapshot(TableExporter.render(matrix()), named: "table-institution-count")
        try assertSnapshot(TableExporter.render(matrix(.targetGroup, .share)), named: "table-target-group-share")
        try assertSnapshot(TableExporter.render(gaps()), named: "table-gaps")
    }

    @Test("table labels are cut to fit a narrow terminal, and no line is wider than needed")
    func narrowTable() {
        let long = Fixtures.document(
            "long", institution: "The Very Long Named Institute of Social Prescribing and Community Connection",
            tags: [Fixtures.tag("AS-1", 0.5)])
        let matrix = CoverageMatrix.build(documents: [long], framework: framework, rows: .institution, columns: .competency)
        let text = TableExporter.render(matrix, width: 60)
        let row = text.split(separator: "\n").first { $0.hasPrefix("The Very") }
        #expect(row.map { $0.hasPrefix("The Very Long Named Ins…  ") } == true, "\(text)")
        #expect(row.map(\.count) == 60)
    }

    @Test("csv") func csv() throws {
        try assertSnapshot(CSVExporter.render(matrix()), named: "csv-institution-count")
        try assertSnapshot(CSVExporter.render(matrix(.country, .maxScore)), named: "csv-country-max-score")
        try assertSnapshot(CSVExporter.render(gaps()), named: "csv-gaps")
    }

    @Test("markdown") func markdown() throws {
        try assertSnapshot(MarkdownExporter.render(matrix()), named: "md-institution-count")
        try assertSnapshot(MarkdownExporter.render(gaps()), named: "md-gaps")
    }

    @Test("json") func json() throws {
        try assertSnapshot(try JSONExporter.render(matrix(.targetGroup, .share)), named: "json-target-group-share")
        try assertSnapshot(try JSONExporter.render(gaps()), named: "json-gaps")
    }

    @Test("json reads back: rows, columns and values as numbers")
    func jsonShape() throws {
        let text = try JSONExporter.render(matrix(.targetGroup, .share), gaps: gaps())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["row_dimension"] as? String == "target-group")
        #expect(object["documents"] as? Int == 5)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { $0["key"] as? String } == ["clinicians", "link-workers", "volunteers"])
        #expect((rows[1]["values"] as? [Double])?.first == 0.6667)
        let gaps = try #require((object["gaps"] as? [String: Any])?["gaps"] as? [[String: Any]])
        #expect(gaps.first?["kind"] as? String == "uncovered-column")
    }

    @Test("html heatmap: caption, scoped headers, a number in every cell")
    func html() throws {
        let page = HTMLExporter.page(matrix())
        #expect(page.contains("<caption>Coverage by institution and competency: documents covering, 5 documents</caption>"))
        #expect(page.contains("<th scope=\"col\"><abbr title=\"What matters\">AS-1</abbr></th>"))
        #expect(page.contains("<th scope=\"row\">Gamma Network</th>"))
        let cells = page.components(separatedBy: "<td").count - 1
        // 4 rows and a total row, each with a documents cell and 5 columns.
        #expect(cells == 5 * 6)
        #expect(!page.contains("<td class=\"num\"></td>"))
        #expect(page.contains("style=\"background:#084594;color:#ffffff\">2</td>"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("http://") && !page.contains("https://"))
    }
}

@Suite("Escaping and formula neutralising")
struct EscapingTests {
    @Test("a spreadsheet never sees a formula", arguments: ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
    func formulas(text: String) {
        #expect(Escaping.spreadsheetText(text) == "'" + text)
        #expect(Escaping.csvField(text).hasPrefix("'") || Escaping.csvField(text).hasPrefix("\"'"))
    }

    @Test("ordinary text, and text with a formula sign inside, stays as written")
    func ordinary() {
        #expect(Escaping.spreadsheetText("Alpha = Beta") == "Alpha = Beta")
        #expect(Escaping.csvField("a, b") == "\"a, b\"")
        #expect(Escaping.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(Escaping.csvField("two\nlines") == "\"two\nlines\"")
        #expect(Escaping.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
    }

    @Test("csv export neutralises labels from documents")
    func csvExport() {
        let documents = [Fixtures.document("x", institution: "=cmd|' /C calc'!A0", tags: [Fixtures.tag("AS-1", 0.5)])]
        let matrix = CoverageMatrix.build(
            documents: documents, framework: Fixtures.framework, rows: .institution, columns: .competency)
        #expect(CSVExporter.render(matrix).contains("\r\n'=cmd|' /C calc'!A0,1,1,0,0,0,0\r\n"))
    }

    @Test("html and xml escape markup; xml drops the control characters XML forbids")
    func markup() {
        #expect(Escaping.html("<script>alert('x')</script> & \"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;")
        #expect(Escaping.xml("a\u{01}b<c>\u{0B}\td") == "ab&lt;c&gt;\td")
    }

    @Test("markdown escapes what would become markup, and keeps a row on one line")
    func markdown() {
        #expect(Escaping.markdown("a|b *c* <img> [x](y)\nz") == "a\\|b \\*c\\* \\<img\\> \\[x\\](y) z")
    }

    @Test("a heatmap shows a hostile institution name as text")
    func heatmap() {
        let documents = [
            Fixtures.document("x", institution: "<img src=x onerror=alert(1)>", tags: [Fixtures.tag("AS-1", 0.5)])
        ]
        let matrix = CoverageMatrix.build(
            documents: documents, framework: Fixtures.framework, rows: .institution, columns: .competency)
        let page = HTMLExporter.page(matrix)
        #expect(!page.contains("<img"))
        #expect(page.contains("<th scope=\"row\">&lt;img src=x onerror=alert(1)&gt;</th>"))
    }

    @Test("a terminal table drops control characters from a label")
    func terminal() {
        let documents = [Fixtures.document("x", institution: "Evil\u{1B}[31mRed", tags: [])]
        let matrix = CoverageMatrix.build(
            documents: documents, framework: Fixtures.framework, rows: .institution, columns: .domain)
        #expect(!TableExporter.render(matrix).contains("\u{1B}"))
    }
}
