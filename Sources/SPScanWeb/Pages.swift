import Foundation
import SPScanCatalog
import SPScanCoverage
import SPScanModel

/// The HTML pages, as pure functions of what the catalog answered: easy to test, nothing to wire.
enum Pages {
    /// How a matrix row narrows the competency page a cell links to: the query parameter for the row's facet.
    static func rowParameter(_ rows: RowDimension) -> String? {
        switch rows {
        case .institution: "institution"
        case .institutionType: "institution-type"
        case .targetGroup: "target-group"
        case .country: "country"
        case .region: "region"
        case .kind: "kind"
        case .source: nil
        }
    }

    // MARK: Matrix

    static func matrix(
        _ matrix: CoverageMatrix, parameters: MatrixParameters, regions: [String], sample: Bool, schedule: ScheduleStatus?
    ) -> String {
        var body = matrixForm(parameters, regions: regions)
        if let next = schedule?.next {
            body += "<p class=\"muted\">Next scheduled scan: \(HTML.date(next.at)) (\(HTML.plural(next.sourceIDs.count, "source"))). "
            body += "<a href=\"/scans\">Scans</a></p>\n"
        }
        guard matrix.documents > 0 else {
            body += "<p class=\"problem\">No document matches these filters. Clear a filter, or run <code>spscan scan</code> "
            body += "if the catalog is empty.</p>\n"
            return HTML.page(title: "Coverage matrix", body: body, sample: sample)
        }
        body += "<nav class=\"tabs\" aria-label=\"Views of the matrix\">"
        for (view, label) in [(MatrixView.table, "Table"), (.bubbles, "Bubble map")] {
            let current = parameters.view == view ? " aria-current=\"page\"" : ""
            body += "<a href=\"/?\(HTML.text(parameters.query([("view", view.rawValue)])))\"\(current)>\(label)</a>"
        }
        body += "</nav>\n"
        body += parameters.view == .table ? heatmap(matrix, parameters: parameters) : bubbles(matrix, parameters: parameters)
        body += leftOutNote(matrix.leftOutOfScope)
        body += downloads("matrix", parameters)
        body += "<h2>Columns</h2>\n<dl class=\"facets legend\">\n"
        for column in matrix.columns {
            body += "<dt>\(HTML.text(column.id))</dt><dd>\(HTML.text(column.name))</dd>\n"
        }
        body += "</dl>\n"
        return HTML.page(title: "Coverage matrix", body: body, sample: sample)
    }

    /// "3 documents judged out of scope are left out", with the page that lists them.
    static func leftOutNote(_ count: Int, competency: String? = nil) -> String {
        guard count > 0 else { return "" }
        let subject = count == 1 ? "1 document judged out of scope is" : "\(count) documents judged out of scope are"
        var html = "<p class=\"muted\">\(HTML.text(subject)) left out: <a href=\"/out-of-scope\">see them</a>"
        if let competency {
            html += " or <a href=\"/competencies/\(HTML.text(path(competency)))?scope=all\">list them here too</a>"
        }
        return html + ".</p>\n"
    }

    /// The documents judged out of scope, each with the reason, its evidence and a button to count it after all.
    static func outOfScope(_ documents: [TaggedDocument], sample: Bool) -> String {
        var body = "<p>These documents are in the catalog, with their text and tags, but were judged not to be about the "
        body += "field (see docs/match.md, \"Document scope\"), so no matrix, gap list, report or trend counts them. "
        body += "A person's decision overrides the judgement.</p>\n"
        guard !documents.isEmpty else {
            return HTML.page(title: "Documents out of scope", body: body + "<p>None: every document counts.</p>\n", sample: sample)
        }
        body += "<ol>\n"
        for document in documents {
            body += "<li><h3><a href=\"/documents/\(HTML.text(path(document.id)))\">\(HTML.text(document.title))</a></h3>\n"
            body += "<p>\(HTML.text(document.institution)) · \(HTML.text(document.country.name)) · "
            body += HTML.text(document.scopeReviewed ? "put out of scope by a reviewer" : (document.scopeReason ?? "judged out of scope"))
            body += "</p>\n"
            for evidence in document.scopeEvidence.prefix(1) { body += evidenceBlock(evidence) }
            body += scopeButtons(document: document.id, inScope: false, reviewed: document.scopeReviewed, returnTo: "/out-of-scope")
            body += "</li>\n"
        }
        body += "</ol>\n"
        return HTML.page(title: "Documents out of scope", body: body, sample: sample)
    }

    /// In scope / out of scope / undo, as POST forms like the tag review buttons.
    static func scopeButtons(document: String, inScope: Bool, reviewed: Bool, returnTo: String) -> String {
        var choices = [inScope ? ("out", "Judge out of scope") : ("in", "Count it: in scope")]
        if reviewed { choices.append(("clear", "Undo the decision")) }
        var html = ""
        for (decision, label) in choices {
            html += "<form class=\"review\" method=\"post\" action=\"/reviews\">"
            html += "<input type=\"hidden\" name=\"document\" value=\"\(HTML.text(document))\">"
            html += "<input type=\"hidden\" name=\"scope\" value=\"\(decision)\">"
            html += "<input type=\"hidden\" name=\"return\" value=\"\(HTML.text(returnTo))\">"
            html += "<button type=\"submit\" aria-label=\"\(label): \(HTML.text(document))\">\(label)</button></form> "
        }
        return html + "\n"
    }

    static func matrixForm(_ parameters: MatrixParameters, regions: [String], action: String = "/") -> String {
        func select(_ name: String, _ label: String, _ values: [(String, String)], _ selected: Set<String>, any: String?) -> String {
            "<div><label for=\"f-\(name)\">\(label)</label><select id=\"f-\(name)\" name=\"\(name)\">"
                + HTML.options(values.map { (value: $0.0, label: $0.1) }, selected: selected, any: any) + "</select></div>"
        }
        var html = "<form method=\"get\" action=\"\(action)\"><fieldset><legend>Show</legend>"
        html += select("rows", "Rows", RowDimension.allCases.map { ($0.rawValue, $0.title) }, [parameters.rows.rawValue], any: nil)
        html += select(
            "cols", "Columns", ColumnDimension.allCases.map { ($0.rawValue, $0.title) }, [parameters.columns.rawValue], any: nil)
        if action == "/" {
            html += select("value", "Cells", CellValue.allCases.map { ($0.rawValue, $0.title) }, [parameters.value.rawValue], any: nil)
            html += "<input type=\"hidden\" name=\"view\" value=\"\(parameters.view.rawValue)\">"
        }
        html += "</fieldset><fieldset><legend>Filter documents</legend>"
        html += filterFields(parameters.filter, regions: regions)
        html += "<div><button type=\"submit\">Apply</button> <a href=\"\(action)\">Clear</a></div></fieldset></form>\n"
        return html
    }

    static func heatmap(_ matrix: CoverageMatrix, parameters: MatrixParameters) -> String {
        let scale = matrix.value == .count ? max(1, matrix.largestValue) : 1
        let filterPairs = parameters.filter.queryPairs
        let caption =
            "Coverage by \(matrix.rowDimension.title.lowercased()) and \(matrix.columnDimension.title.lowercased()): "
            + "\(matrix.value.title.lowercased()), \(HTML.plural(matrix.documents, "document"))"
        // A wide matrix scrolls inside its own region, reachable and scrollable from the keyboard; its header row
        // and row labels stay in view while it does.
        var html = "<div class=\"scroll matrix\" role=\"region\" aria-label=\"Coverage matrix\" tabindex=\"0\">"
        html += "<table class=\"heatmap\">\n<caption>\(HTML.text(caption))</caption>\n<thead><tr>"
        html += "<th scope=\"col\" class=\"corner\">\(HTML.text(matrix.rowDimension.title))</th><th scope=\"col\">Docs</th>"
        for column in matrix.columns {
            let label = "<abbr title=\"\(HTML.text(column.name))\">\(HTML.text(column.id))</abbr>"
            if matrix.columnDimension == .competency {
                html += "<th scope=\"col\" title=\"\(HTML.text(column.name))\">"
                html += "<a href=\"\(HTML.text(competencyLink(column.id, filterPairs)))\">\(label)</a></th>"
            } else {
                html += "<th scope=\"col\" title=\"\(HTML.text(column.name))\">\(label)</th>"
            }
        }
        html += "</tr></thead>\n<tbody>\n"
        for (rowIndex, row) in matrix.rows.enumerated() {
            html += "<tr><th scope=\"row\">\(HTML.text(row.label))</th><td class=\"num\">\(row.documents)</td>"
            for (columnIndex, cell) in matrix.cells[rowIndex].enumerated() {
                let column = matrix.columns[columnIndex]
                let value = cell.value(matrix.value)
                let shown = matrix.value == .count ? String(cell.count) : HTML.score(value)
                let link = cellLink(matrix, row: row, column: column, filter: filterPairs)
                let content = link.map { "<a href=\"\(HTML.text($0))\">\(shown)</a>" } ?? shown
                if cell.count == 0 {
                    // A gap is outlined and hatched, not only pale, so that it reads as a gap in grey print too.
                    let hint = "Gap: no document \(Gaps.phrase(matrix.rowDimension, row.label)) covers \(column.id) \(column.name)"
                    html += "<td class=\"heat gap\" title=\"\(HTML.text(hint))\">\(content)<span class=\"hidden\"> (gap)</span></td>"
                } else {
                    let hint = "\(row.label) × \(column.id) \(column.name): \(HTML.plural(cell.count, "document")) of \(row.documents)"
                    html += "<td class=\"heat\" style=\"\(HTML.heat(value / scale))\" title=\"\(HTML.text(hint))\">\(content)</td>"
                }
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">\(matrix.documents)</td>"
        for total in matrix.columnTotals {
            let value = total.value(matrix.value)
            html += "<td class=\"num\">\(matrix.value == .count ? String(total.count) : HTML.score(value))</td>"
        }
        return html + "</tr></tfoot>\n</table></div>\n"
    }

    /// Links to the view in every export format, with the page's choices and filters.
    static func downloads(_ view: String, _ parameters: MatrixParameters) -> String {
        let query = HTML.text(parameters.query())
        var html = "<p class=\"downloads\">Download this \(view == "gaps" ? "list" : "table"): "
        html += [("csv", "CSV"), ("xlsx", "Excel"), ("md", "Markdown"), ("json", "JSON"), ("html", "HTML")].map { format, label in
            "<a href=\"/download/\(view).\(format)?\(query)\" download>\(label)</a>"
        }.joined(separator: " · ")
        if view == "matrix" {
            html +=
                " · <a href=\"/download/alignments.case.json?\(query)\" download title=\"1EdTech CASE 1.1 associations\">CASE alignments</a>"
        }
        return html + " <span class=\"muted\">(each says which scan, framework and filters it counts)</span></p>\n"
    }

    /// Where a cell's documents are listed: the competency filtered to the row, or for a domain the row's
    /// competencies. Nil for rows a filter cannot name (sources, "no target group stated").
    static func cellLink(
        _ matrix: CoverageMatrix, row: CoverageMatrix.Row, column: CoverageMatrix.Column, filter: [(String, String)]
    ) -> String? {
        guard let pairs = rowFilter(matrix.rowDimension, key: row.key, over: filter) else { return nil }
        switch matrix.columnDimension {
        case .competency:
            return competencyLink(column.id, pairs)
        case .domain:
            return "/?" + FormQuery.encode([("rows", matrix.rowDimension.rawValue), ("cols", "competency")] + pairs)
        }
    }

    /// The page's filter narrowed to one row, or nil when the row is not a filter value.
    static func rowFilter(_ rows: RowDimension, key: String, over filter: [(String, String)]) -> [(String, String)]? {
        guard let parameter = rowParameter(rows), key != "none" else { return nil }
        if rows == .region {
            // A region row is "CA-ON"; one with no region stated is the country alone and has no filter of its own.
            let parts = key.split(separator: "-", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            return filter.filter { $0.0 != "country" && $0.0 != "region" } + [("country", parts[0]), ("region", parts[1])]
        }
        return filter.filter { $0.0 != parameter } + [(parameter, key)]
    }

    /// The matrix as an evidence gap map: one bubble per cell, its area the documents covering, its colour the
    /// best score; an empty cell is a dashed ring. Inline SVG, so it needs no script and prints as it is.
    static func bubbles(_ matrix: CoverageMatrix, parameters: MatrixParameters) -> String {
        let pitch = 30.0
        let labelWidth = 230.0
        let top = 34.0
        let width = labelWidth + pitch * Double(matrix.columns.count) + 8
        let height = top + pitch * Double(matrix.rows.count) + 8
        let largest = Double(max(1, matrix.cells.lazy.flatMap { $0 }.map(\.count).max() ?? 1))
        let filterPairs = parameters.filter.queryPairs
        let caption =
            "Bubble map by \(matrix.rowDimension.title.lowercased()) and \(matrix.columnDimension.title.lowercased()): "
            + "size is documents covering, colour the best score, a dashed ring a gap"
        var svg = "<div class=\"scroll matrix\" role=\"region\" aria-label=\"Bubble map\" tabindex=\"0\">"
        svg += "<svg class=\"bubbles\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        svg += "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"bubble-title\">"
        svg += "<title id=\"bubble-title\">\(HTML.text(caption))</title>"
        svg += "<g font-size=\"11\" fill=\"#111\">"
        for (index, column) in matrix.columns.enumerated() {
            let x = labelWidth + pitch * (Double(index) + 0.5)
            svg += "<text x=\"\(format(x))\" y=\"\(format(top - 12))\" text-anchor=\"middle\">\(HTML.text(column.id))"
            svg += "<title>\(HTML.text(column.id)) \(HTML.text(column.name))</title></text>"
        }
        for (rowIndex, row) in matrix.rows.enumerated() {
            let y = top + pitch * (Double(rowIndex) + 0.5)
            let label = row.label.count > 34 ? String(row.label.prefix(33)) + "…" : row.label
            svg += "<text x=\"\(format(labelWidth - 8))\" y=\"\(format(y + 4))\" text-anchor=\"end\">\(HTML.text(label))"
            svg += "<title>\(HTML.text(row.label)) (\(HTML.plural(row.documents, "document")))</title></text>"
            svg += "<line x1=\"\(format(labelWidth))\" x2=\"\(format(width - 8))\" y1=\"\(format(y))\" y2=\"\(format(y))\" "
            svg += "stroke=\"#e4e4e4\"/>"
            for (columnIndex, cell) in matrix.cells[rowIndex].enumerated() {
                let column = matrix.columns[columnIndex]
                let x = labelWidth + pitch * (Double(columnIndex) + 0.5)
                let mark: String
                if cell.count == 0 {
                    mark =
                        "<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"5\" fill=\"#fff\" stroke=\"#666\" stroke-dasharray=\"2 2\">"
                        + "<title>\(HTML.text("Gap: no document \(Gaps.phrase(matrix.rowDimension, row.label)) covers \(column.id) \(column.name)"))</title></circle>"
                } else {
                    // Area, not radius, follows the count, as in evidence gap maps.
                    let radius = 3 + (pitch / 2 - 4) * (Double(cell.count) / largest).squareRoot()
                    let lightness = Int((85 - 55 * min(1, max(0, cell.maxScore))).rounded())
                    let hint =
                        "\(row.label) × \(column.id) \(column.name): \(HTML.plural(cell.count, "document")), best score \(HTML.score(cell.maxScore))"
                    mark =
                        "<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"\(format(radius))\" fill=\"hsl(210,65%,\(lightness)%)\" "
                        + "stroke=\"#0b2f5c\"><title>\(HTML.text(hint))</title></circle>"
                }
                if let link = cellLink(matrix, row: row, column: column, filter: filterPairs) {
                    svg += "<a href=\"\(HTML.text(link))\">\(mark)</a>"
                } else {
                    svg += mark
                }
            }
        }
        svg += "</g></svg></div>\n"
        svg += "<p class=\"muted\">Bubble area: documents covering (largest \(Int(largest))). Colour: best score, pale 0 to dark 1. "
        svg += "A dashed ring: no document, a gap. Every bubble opens its documents.</p>\n"
        return svg
    }

    /// A coordinate with one decimal, as `%.1f` writes it but without Foundation's formatter: a bubble map of
    /// 40 institutions by 25 competencies writes 3,000 of them, and `String(format:)` made it the page's cost.
    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let magnitude = tenths.magnitude
        return (tenths < 0 ? "-" : "") + "\(magnitude / 10).\(magnitude % 10)"
    }

    // MARK: Gaps

    /// The most gaps a page lists: by institution and competency a large catalog has thousands of empty cells,
    /// and the download has them all.
    static let gapLimit = 200

    static func gaps(
        _ report: GapReport, nearMisses: [[NearMiss]], parameters: MatrixParameters, documents: Int, regions: [String],
        sample: Bool
    ) -> String {
        var body = matrixForm(parameters, regions: regions, action: "/gaps")
        let rows = report.rowDimension.title.lowercased()
        let columns = report.columnDimension.title.lowercased()
        guard documents > 0 else {
            body += "<p class=\"problem\">No document matches these filters. Clear a filter, or run <code>spscan scan</code> "
            body += "if the catalog is empty.</p>\n"
            return HTML.page(title: "Gaps", body: body, sample: sample)
        }
        body += "<p>\(HTML.plural(report.gaps.count, "gap")) by \(HTML.text(rows)) and \(HTML.text(columns)) over "
        body += "\(HTML.plural(documents, "document")), largest first. Each links to the documents concerned.</p>\n"
        if report.isEmpty {
            body += "<p>No gaps: every row covers every column.</p>\n"
            return HTML.page(title: "Gaps", body: body, sample: sample)
        }
        body += downloads("gaps", parameters)
        if report.gaps.count > gapLimit {
            body += "<p>Showing the largest \(gapLimit); the downloads list all of them.</p>\n"
        }
        let filterPairs = parameters.filter.queryPairs
        body += "<ol class=\"gaps\">\n"
        for (index, gap) in report.gaps.prefix(gapLimit).enumerated() {
            body += "<li data-kind=\"\(gap.kind.rawValue)\"><span class=\"kind\">\(HTML.text(gap.kind.label))</span> "
            let summary = HTML.text(gap.summary)
            if let link = gapLink(gap, rows: report.rowDimension, filter: filterPairs) {
                body += "<a href=\"\(HTML.text(link))\">\(summary)</a>"
            } else {
                body += summary
            }
            let near = index < nearMisses.count ? nearMisses[index] : []
            if !near.isEmpty {
                body += "<p class=\"near\">Nearest: "
                body += near.map { miss in
                    "<a href=\"/documents/\(HTML.text(path(miss.documentID)))\">\(HTML.text(miss.title))</a> "
                        + "(covers \(HTML.text(miss.competency)), score \(HTML.score(miss.score)))"
                }.joined(separator: "; ")
                body += "</p>"
            }
            body += "</li>\n"
        }
        body += "</ol>\n"
        return HTML.page(title: "Gaps", body: body, sample: sample)
    }

    /// Where a gap's documents are: the competency filtered to the row, the matrix of a row, or nowhere for a
    /// row with no documents at all.
    static func gapLink(_ gap: GapReport.Gap, rows: RowDimension, filter: [(String, String)]) -> String? {
        switch gap.kind {
        case .emptyCell:
            guard let column = gap.column else { return nil }
            return competencyLink(column, gap.row.flatMap { rowFilter(rows, key: $0, over: filter) } ?? filter)
        case .uncoveredColumn, .singleInstitution:
            return gap.column.map { competencyLink($0, filter) }
        case .uncoveredRow:
            guard let row = gap.row, let pairs = rowFilter(rows, key: row, over: filter) else { return nil }
            return "/?" + FormQuery.encode([("rows", rows.rawValue), ("cols", "competency")] + pairs)
        case .noDocuments:
            return nil
        }
    }

    static func competencyLink(_ id: String, _ pairs: [(String, String)]) -> String {
        "/competencies/\(path(id))" + (pairs.isEmpty ? "" : "?" + FormQuery.encode(pairs))
    }

    // MARK: Competency

    /// The most documents a competency page lists: a popular competency in a large catalog covers thousands,
    /// and a page of thousands of passages helps nobody.
    static let listLimit = 100

    /// The competency page from one page of its query: the best `listLimit` hits, with the counts of all of them.
    static func competency(
        _ competency: Competency, domain: Domain?, filter: DocumentFilter, page: QueryPage, regions: [String], sample: Bool,
        returnTo: String, reviewer: String? = nil, rejected: [(ReviewDecision, String)] = [], includeOutOfScope: Bool = false
    ) -> String {
        let hits = page.hits
        var body = "<p>\(HTML.text(domain.map { "Domain \($0.id): \($0.name)" } ?? competency.domain))</p>\n"
        body += "<p>\(HTML.text(competency.description))</p>\n"
        body += filterForm(action: "/competencies/\(path(competency.id))", filter: filter, regions: regions)
        body += reviewerForm(reviewer, returnTo: returnTo)
        body += "<h2>\(HTML.plural(page.total, "document")) covering it, best first</h2>\n"
        if !includeOutOfScope { body += leftOutNote(page.leftOut, competency: competency.id) }
        let rejectedHTML = rejectedList(rejected, competency: competency.id, returnTo: returnTo, reviewer: reviewer)
        guard !hits.isEmpty else {
            body += "<p>No document covers it under these filters: a gap.</p>\n" + rejectedHTML
            return HTML.page(title: "\(competency.id) \(competency.name)", body: body, sample: sample)
        }
        if page.total > listLimit {
            body += "<p>Showing the best \(listLimit); narrow the list with the filters, or get all of them from "
            body += "<a href=\"/api/query/\(HTML.text(path(competency.id)))\">the API</a>.</p>\n"
        }
        body += "<ol>\n"
        for hit in hits.prefix(listLimit) {
            body += "<li><h3><a href=\"/documents/\(HTML.text(path(hit.documentID)))\">\(HTML.text(hit.title))</a></h3>\n"
            body += "<p>\(HTML.text(hit.institution)) · \(HTML.text(hit.country.name)) · \(HTML.text(hit.kind.label)) · "
            body += "for \(HTML.text(hit.targetGroups.map(\.label).joined(separator: ", "))) · score \(HTML.score(hit.score))"
            if let review = hit.review { body += " · <strong>\(review == .accept ? "accepted" : "rejected") by a reviewer</strong>" }
            if !hit.inScope { body += " · <strong>out of scope: not counted</strong>" }
            body += "</p>\n"
            if let evidence = hit.evidence {
                body += evidenceBlock(evidence)
            } else {
                body += "<p class=\"muted\">No passage recorded.</p>\n"
            }
            body += reviewButtons(
                document: hit.documentID, competency: competency.id, returnTo: returnTo, reviewer: reviewer, decided: hit.review != nil)
            body += "</li>\n"
        }
        body += "</ol>\n" + rejectedHTML
        return HTML.page(title: "\(competency.id) \(competency.name)", body: body, sample: sample)
    }

    /// Every domain and competency with the documents covering it under the filter, by country: where to start
    /// when one does not know the ids.
    static func competencies(
        _ framework: Framework, coverage: CoverageMatrix, filter: DocumentFilter, regions: [String], sample: Bool
    ) -> String {
        var body = "<p>\(HTML.text(framework.title)) (version \(HTML.text(framework.version))): "
        let count = framework.competencies.count
        body += "\(HTML.plural(framework.domains.count, "domain")), \(count) \(count == 1 ? "competency" : "competencies")"
        body += " over \(HTML.plural(coverage.documents, "document")). A competency no document covers is marked as a gap.</p>\n"
        body += filterForm(action: "/competencies", filter: filter, regions: regions)
        let filterPairs = filter.queryPairs
        let totals = Dictionary(
            coverage.columns.enumerated().map { ($1.id, coverage.columnTotals[$0]) }, uniquingKeysWith: { first, _ in first })
        for domain in framework.domains {
            body += "<section><h2 id=\"domain-\(HTML.text(domain.id))\">\(HTML.text(domain.id)) \(HTML.text(domain.name))</h2>\n"
            body += "<table class=\"competencies\"><caption>\(HTML.text(domain.name)): documents covering each competency</caption>"
            body += "<thead><tr><th scope=\"col\">Competency</th><th scope=\"col\">Documents</th><th scope=\"col\">Best score</th>"
            body += "<th scope=\"col\">Countries</th></tr></thead><tbody>\n"
            for competency in domain.competencies {
                let total = totals[competency.id] ?? .empty
                let column = coverage.columns.firstIndex { $0.id == competency.id }
                let countries = coverage.rows.enumerated().compactMap { index, row -> String? in
                    guard let column, coverage.cells[index][column].count > 0 else { return nil }
                    return "\(row.label) \(coverage.cells[index][column].count)"
                }
                body += "<tr\(total.count == 0 ? " class=\"gap-row\"" : "")><th scope=\"row\">"
                body += "<a href=\"\(HTML.text(competencyLink(competency.id, filterPairs)))\">\(HTML.text(competency.id)) "
                body += "\(HTML.text(competency.name))</a><p class=\"muted\">\(HTML.text(competency.description))</p></th>"
                body += "<td class=\"num\">\(total.count == 0 ? "<strong>0: a gap</strong>" : String(total.count))</td>"
                body += "<td class=\"num\">\(total.count == 0 ? "–" : HTML.score(total.maxScore))</td>"
                body += "<td>\(HTML.text(countries.joined(separator: ", ")))</td></tr>\n"
            }
            body += "</tbody></table></section>\n"
        }
        return HTML.page(title: "Competencies", body: body, sample: sample)
    }

    /// What to open when an address names no one competency: the candidates, each a link.
    static func competencyChoice(_ asked: String, candidates: [Competency], sample: Bool) -> String {
        var body = "<p class=\"problem\" role=\"alert\">No competency is called \u{201C}\(HTML.text(asked))\u{201D}"
        body += candidates.isEmpty ? ".</p>\n" : "; did you mean one of these?</p>\n<ul>\n"
        for competency in candidates {
            body += "<li><a href=\"/competencies/\(HTML.text(path(competency.id)))\">\(HTML.text(competency.id)) "
            body += "\(HTML.text(competency.name))</a></li>\n"
        }
        body += candidates.isEmpty ? "" : "</ul>\n"
        body += "<p><a href=\"/competencies\">Every competency</a></p>\n"
        return HTML.page(title: "Which competency?", body: body, sample: sample)
    }

    static func evidenceBlock(_ evidence: Evidence) -> String {
        let place = [evidence.heading.isEmpty ? nil : evidence.heading, evidence.page.map { "page \($0)" }].compactMap { $0 }
        var html = "<blockquote class=\"evidence\">"
        if !place.isEmpty { html += "<p class=\"muted\">\(HTML.text(place.joined(separator: ", ")))</p>" }
        html += "<p>\(HTML.highlighted(evidence.text, spans: evidence.spans))</p>"
        if !evidence.terms.isEmpty {
            html += "<p class=\"muted\">Matched: \(HTML.text(evidence.terms.joined(separator: ", ")))</p>"
        }
        return html + "</blockquote>\n"
    }

    /// Accept and reject as two small POST forms: buttons work from the keyboard and without script.
    /// `decided` adds *Undo*, which clears the decision so that the tagger decides again; `reviewer` (the name
    /// the page remembers) goes with every decision.
    static func reviewButtons(
        document: String, competency: String, returnTo: String, reviewer: String? = nil, decided: Bool = false,
        choices: [(String, String)]? = nil
    ) -> String {
        var html = ""
        let choices = choices ?? [("accept", "Accept"), ("reject", "Reject")] + (decided ? [("clear", "Undo")] : [])
        for (decision, label) in choices {
            html += "<form class=\"review\" method=\"post\" action=\"/reviews\">"
            html += "<input type=\"hidden\" name=\"document\" value=\"\(HTML.text(document))\">"
            html += "<input type=\"hidden\" name=\"competency\" value=\"\(HTML.text(competency))\">"
            html += "<input type=\"hidden\" name=\"decision\" value=\"\(decision)\">"
            html += "<input type=\"hidden\" name=\"return\" value=\"\(HTML.text(returnTo))\">"
            if let reviewer { html += "<input type=\"hidden\" name=\"reviewer\" value=\"\(HTML.text(reviewer))\">" }
            html +=
                "<button type=\"submit\" class=\"\(decision)\" aria-label=\"\(label) \(HTML.text(competency)) for \(HTML.text(document))\">"
            html += "\(label)</button></form> "
        }
        return html + "\n"
    }

    /// The name decisions are recorded under, kept in a cookie by this browser: no accounts, only who said so.
    static func reviewerForm(_ reviewer: String?, returnTo: String) -> String {
        var html = "<form class=\"reviewer\" method=\"post\" action=\"/reviewer\"><fieldset><legend>Reviewing as</legend>"
        html += "<input type=\"hidden\" name=\"return\" value=\"\(HTML.text(returnTo))\">"
        html += "<div><label for=\"reviewer-name\">Your name</label><input id=\"reviewer-name\" name=\"reviewer\" "
        html += "value=\"\(HTML.text(reviewer ?? ""))\" autocomplete=\"name\" maxlength=\"80\"></div>"
        html += "<div><button type=\"submit\">Remember my name</button></div>"
        if reviewer == nil { html += "<p class=\"muted\">Decisions made without a name are recorded without one.</p>" }
        return html + "</fieldset></form>\n"
    }

    /// Rejected documents stay in view, struck through, with who rejected them and an undo.
    static func rejectedList(_ rejected: [(ReviewDecision, String)], competency: String, returnTo: String, reviewer: String?) -> String {
        guard !rejected.isEmpty else { return "" }
        var html = "<h2>\(HTML.plural(rejected.count, "document")) rejected by a reviewer</h2>\n<ul class=\"rejected\">\n"
        for (decision, title) in rejected {
            html += "<li><del><a href=\"/documents/\(HTML.text(path(decision.documentID)))\">\(HTML.text(title))</a></del> "
            html += "rejected\(decision.reviewer.map { " by " + HTML.text($0) } ?? "") on \(HTML.date(decision.decidedAt))"
            if let note = decision.note { html += ": \(HTML.text(note))" }
            html +=
                " "
                + reviewButtons(
                    document: decision.documentID, competency: competency, returnTo: returnTo, reviewer: reviewer,
                    choices: [("accept", "Accept"), ("clear", "Undo")])
            html += "</li>\n"
        }
        return html + "</ul>\n"
    }

    static func filterForm(action: String, filter: DocumentFilter, regions: [String], extra: String = "") -> String {
        "<form method=\"get\" action=\"\(HTML.text(action))\"><fieldset><legend>Filter documents</legend>\(extra)"
            + filterFields(filter, regions: regions)
            + "<div><button type=\"submit\">Apply</button> <a href=\"\(HTML.text(action))\">Clear</a></div></fieldset></form>\n"
    }

    /// The filter's fields, the same on every page that filters: one select per closed facet, the institution by
    /// name or id.
    static func filterFields(_ filter: DocumentFilter, regions: [String]) -> String {
        func select(_ name: String, _ label: String, _ values: [(String, String)], _ selected: Set<String>, any: String) -> String {
            "<div><label for=\"f-\(name)\">\(label)</label><select id=\"f-\(name)\" name=\"\(name)\">"
                + HTML.options(values.map { (value: $0.0, label: $0.1) }, selected: selected, any: any) + "</select></div>"
        }
        var html = select(
            "country", "Country", Country.allCases.map { ($0.rawValue, $0.name) }, Set(filter.countries.map(\.rawValue)),
            any: "Any country")
        html += select("region", "Region", regions.map { ($0, $0) }, filter.regions, any: "Any region")
        html += select(
            "target-group", "Target group", TargetGroup.allCases.map { ($0.rawValue, $0.label) },
            Set(filter.targetGroups.map(\.rawValue)), any: "Any target group")
        html += select(
            "institution-type", "Institution type", InstitutionType.allCases.map { ($0.rawValue, $0.label) },
            Set(filter.institutionTypes.map(\.rawValue)), any: "Any type")
        html += select(
            "kind", "Document kind", DocumentKind.allCases.map { ($0.rawValue, $0.label) }, Set(filter.kinds.map(\.rawValue)),
            any: "Any kind")
        html += "<div><label for=\"f-institution\">Institution (name or id)</label>"
        html += "<input id=\"f-institution\" name=\"institution\" value=\"\(HTML.text(filter.institutions.sorted().first ?? ""))\"></div>"
        return html
    }

    // MARK: Document

    /// `pruned`: the versions' snapshots whose bytes `spscan corpus prune` removed, marked in the versions table.
    static func document(
        _ detail: DocumentDetail, framework: Framework, sample: Bool, pruned: Set<String> = [], reviewer: String? = nil
    ) -> String {
        let document = detail.document
        var body = "<dl class=\"facets\">\n"
        let facets: [(String, String)] = [
            ("Document id", document.id), ("Source", document.sourceID), ("Institution", document.institution),
            ("Institution type", document.institutionType.label), ("Country", document.country.name),
            ("Region", document.region ?? "–"), ("Kind", document.kind.label),
            ("Target groups", document.targetGroups.map(\.label).joined(separator: ", ")),
            ("Language", document.language.rawValue), ("Passages", String(detail.passageCount)),
            ("Snapshot", document.origin == .sample ? "authored sample (not a capture of the web page)" : "captured from the web"),
        ]
        for (name, value) in facets { body += "<dt>\(name)</dt><dd>\(HTML.text(value))</dd>\n" }
        body += "<dt>Address</dt><dd>\(link(document.url))</dd>\n</dl>\n"
        if detail.isGone { body += "<p class=\"problem\">The page is gone (404 or 410); this is its last version.</p>\n" }
        switch detail.extractionOutcome {
        case "empty":
            body +=
                "<p class=\"problem\">No text was found in this document (empty): "
                + "\(HTML.text(detail.extractionReason ?? "no text found")).</p>\n"
        case "ocr":
            body +=
                "<p class=\"problem\">This document's pages are images; its text was read by OCR: "
                + "\(HTML.text(detail.extractionReason ?? "")).</p>\n"
        default:
            break
        }

        body += "<h2>Scope</h2>\n<p>"
        body += document.inScope ? "In scope: counted in coverage. " : "<strong>Out of scope: not counted in coverage.</strong> "
        if document.scopeReviewed {
            body += "A reviewer decided so (the judgement was: \(HTML.text(document.scopeReason ?? "none recorded")))."
        } else {
            body += HTML.text(document.scopeReason ?? "")
        }
        body += "</p>\n"
        for evidence in document.scopeEvidence { body += evidenceBlock(evidence) }
        body += scopeButtons(
            document: document.id, inScope: document.inScope, reviewed: document.scopeReviewed,
            returnTo: "/documents/\(path(document.id))")

        body += "<h2>Tags</h2>\n"
        if document.tags.isEmpty {
            body += "<p>No competency found in this document.</p>\n"
        } else {
            body += "<table><caption>Competencies found, best first, after review decisions</caption><thead><tr>"
            body += "<th scope=\"col\">Competency</th><th scope=\"col\">Score</th><th scope=\"col\">Best evidence</th>"
            body += "<th scope=\"col\">Review</th></tr></thead><tbody>\n"
            let returnTo = "/documents/\(path(document.id))"
            for tag in document.tags {
                let name = framework.competency(id: tag.competency)?.name ?? ""
                body += "<tr><th scope=\"row\"><a href=\"/competencies/\(HTML.text(path(tag.competency)))\">"
                body += "\(HTML.text(tag.competency))</a> \(HTML.text(name))</th><td class=\"num\">\(HTML.score(tag.score))</td><td>"
                body += tag.evidence.first.map(evidenceBlock) ?? "<span class=\"muted\">none recorded</span>"
                if tag.evidence.count > 1 { body += "<p class=\"muted\">and \(HTML.plural(tag.evidence.count - 1, "more passage"))</p>" }
                let decided = detail.reviews.contains { $0.competency.caseInsensitiveCompare(tag.competency) == .orderedSame }
                body +=
                    "</td><td>\(reviewButtons(document: document.id, competency: tag.competency, returnTo: returnTo, reviewer: reviewer, decided: decided))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += addTagForm(document: document, framework: framework)

        body += "<h2>Review decisions</h2>\n"
        if detail.reviews.isEmpty {
            body += "<p>None yet.</p>\n"
        } else {
            body += "<ul>\n"
            for review in detail.reviews {
                let verdict =
                    review.isScope ? (review.verdict == .accept ? "in" : "out") : (review.verdict == .accept ? "accepted" : "rejected")
                body += "<li>\(HTML.text(review.competency)): <strong>\(verdict)</strong>"
                body += " on \(HTML.date(review.decidedAt))"
                if let reviewer = review.reviewer { body += " by \(HTML.text(reviewer))" }
                if let note = review.note { body += ": \(HTML.text(note))" }
                body +=
                    " "
                    + reviewButtons(
                        document: document.id, competency: review.competency, returnTo: "/documents/\(path(document.id))",
                        reviewer: reviewer,
                        choices: [("clear", "Undo")])
                body += "</li>\n"
            }
            body += "</ul>\n"
        }

        body += "<h2>Versions over time</h2>\n<table><caption>Each distinct text of the document, by scan</caption><thead><tr>"
        body += "<th scope=\"col\">Scan</th><th scope=\"col\">Started</th><th scope=\"col\">Fetched</th><th scope=\"col\">Passages</th>"
        body += "<th scope=\"col\">Snapshot</th><th scope=\"col\">Text</th></tr></thead><tbody>\n"
        let documentPath = "/documents/\(HTML.text(path(detail.document.id)))"
        for (index, version) in detail.versions.enumerated() {
            body += "<tr><th scope=\"row\">\(version.scan)</th><td>\(HTML.date(version.scanStartedAt))</td>"
            body += "<td>\(HTML.date(version.fetchedAt))</td><td class=\"num\">\(version.passageCount)</td>"
            body += "<td><code>\(HTML.text(String((version.snapshotSHA256 ?? "–").prefix(12))))</code>"
            if let sha = version.snapshotSHA256, pruned.contains(sha) { body += " (pruned; text kept)" }
            body += "</td>"
            body += "<td><a href=\"\(documentPath)/versions/\(index + 1)\">version \(index + 1)</a>"
            if index > 0 {
                body += " · <a href=\"\(documentPath)/diff?from=\(index)&amp;to=\(index + 1)\">what changed</a>"
            }
            body += "</td></tr>\n"
        }
        body += "</tbody></table>\n"

        body += "<h2>Fetches</h2>\n<table><caption>Every fetch of the address</caption><thead><tr>"
        body += "<th scope=\"col\">Scan</th><th scope=\"col\">Started</th><th scope=\"col\">Outcome</th><th scope=\"col\">HTTP</th>"
        body += "<th scope=\"col\">Problem</th></tr></thead><tbody>\n"
        for fetch in detail.fetches {
            body += "<tr><th scope=\"row\">\(fetch.scan)</th><td>\(HTML.date(fetch.scanStartedAt))</td>"
            body += "<td>\(HTML.text(fetch.outcome.map { "\($0)" } ?? "–"))</td>"
            body += "<td class=\"num\">\(fetch.httpStatus.map(String.init) ?? "–")</td><td>\(HTML.text(fetch.error ?? ""))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        return HTML.page(title: document.title, body: body, sample: sample || document.origin == .sample)
    }

    /// A competency the tagger missed can be accepted by hand.
    static func addTagForm(document: TaggedDocument, framework: Framework) -> String {
        let tagged = Set(document.tags.map { $0.competency.uppercased() })
        let missing = framework.competencies.filter { !tagged.contains($0.id.uppercased()) }
        guard !missing.isEmpty else { return "" }
        var html = "<form method=\"post\" action=\"/reviews\"><fieldset><legend>The tagger missed a competency</legend>"
        html += "<input type=\"hidden\" name=\"document\" value=\"\(HTML.text(document.id))\">"
        html += "<input type=\"hidden\" name=\"decision\" value=\"accept\">"
        html += "<input type=\"hidden\" name=\"return\" value=\"/documents/\(HTML.text(path(document.id)))\">"
        html += "<div><label for=\"add-competency\">Competency</label><select id=\"add-competency\" name=\"competency\">"
        html += HTML.options(missing.map { (value: $0.id, label: "\($0.id) \($0.name)") }, selected: [], any: nil)
        html += "</select></div><div><label for=\"add-note\">Note</label><input id=\"add-note\" name=\"note\"></div>"
        return html + "<div><button type=\"submit\" class=\"accept\">Accept</button></div></fieldset></form>\n"
    }

    // MARK: Scans

    static func scans(
        _ scans: [ScanSummary], schedule: ScheduleStatus?, changes: ChangeReport, sample: Bool, chart: String = "",
        upcoming: String? = nil
    ) -> String {
        var body = "<h2>Schedule</h2>\n"
        if let schedule {
            body += "<dl class=\"facets\">"
            body += "<dt>Every</dt><dd>\(schedule.every.map(duration) ?? "per-source schedules only")</dd>"
            body += "<dt>Now</dt><dd>\(schedule.running ? "scanning since \(HTML.date(schedule.runningSince))" : "idle")</dd>"
            if let next = schedule.next {
                // Ids are in /api/scans; a person needs the shape of what is coming.
                body += "<dt>Next run</dt><dd>\(HTML.date(next.at)): \(HTML.plural(next.sourceIDs.count, "source"))"
                body += "<details><summary>which</summary>\(HTML.text(next.sourceIDs.joined(separator: ", ")))</details></dd>"
                if let upcoming { body += "<dt>Coming</dt><dd>\(HTML.text(upcoming))</dd>" }
            } else {
                body += "<dt>Next run</dt><dd>none: no source has a schedule</dd>"
            }
            if let last = schedule.lastRun {
                body += "<dt>Last run</dt><dd>\(HTML.date(last.startedAt)): \(last.succeeded ? "" : "<strong>not all succeeded</strong> ")"
                body += "\(HTML.text(last.summary))</dd>"
            }
            body += "</dl>\n"
            if schedule.running {
                body += "<p>A scan is running; this page shows its outcome when it ends.</p>\n"
            } else {
                body += "<form method=\"post\" action=\"/scans/run\"><button type=\"submit\">Scan now</button> "
                body += "<span class=\"muted\">fetches every registered source, as <code>spscan scan</code> does</span></form>\n"
            }
        } else {
            body += "<p>This server runs no scheduled scans. Start it with <code>spscan serve --scan-every 24h</code>, "
            body += "or run <code>spscan scan</code> from cron or a systemd timer.</p>\n"
        }
        body += "<h2>History</h2>\n"
        if scans.isEmpty {
            body += "<p>No scan recorded yet; run <code>spscan scan</code>.</p>\n"
        } else {
            body += "<table><caption>Scans, latest first</caption><thead><tr><th scope=\"col\">Scan</th><th scope=\"col\">Started</th>"
            body += "<th scope=\"col\">Finished</th><th scope=\"col\">Outcomes</th><th scope=\"col\">New</th>"
            body += "<th scope=\"col\">Changed</th></tr></thead><tbody>\n"
            for scan in scans.reversed() {
                let outcomes = scan.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                body += "<tr><th scope=\"row\">\(scan.id)</th><td>\(HTML.date(scan.startedAt))</td>"
                body += "<td>\(scan.finishedAt == nil ? "did not finish" : HTML.date(scan.finishedAt))</td>"
                body += "<td>\(HTML.text(outcomes))</td><td class=\"num\">\(scan.newDocuments)</td>"
                body += "<td class=\"num\">\(scan.changedDocuments)</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        body += chart.isEmpty ? "" : chart + "\n"
        body += "<p><a href=\"/feed.atom\">Follow the changes as an Atom feed</a>.</p>\n"
        body += "<h2>What the latest scan changed</h2>\n"
        if changes.isEmpty {
            body += "<p>Nothing changed.</p>\n"
        } else {
            body += changeList("New documents", changes.newDocuments)
            body += changeList("Changed documents", changes.changedDocuments, diffs: true)
            body += changeList("Gone documents", changes.goneDocuments)
            body += changeList("Failed fetches (the previous version stays current)", changes.failedDocuments)
            body += changeList("Removed from Sources.yaml", changes.removedDocuments)
            if !changes.coverageMoves.isEmpty {
                body += "<h3>Coverage that moved (\(changes.coverageMoves.count))</h3>\n<ul>\n"
                for move in changes.coverageMoves.prefix(changeListLimit) {
                    body += "<li><a href=\"/documents/\(HTML.text(path(move.documentID)))\">\(HTML.text(move.documentID))</a> "
                    body += "\(move.direction == .gained ? "now covers" : "no longer covers") "
                    body += "<a href=\"/competencies/\(HTML.text(path(move.competency)))\">\(HTML.text(move.competency))</a></li>\n"
                }
                body += "</ul>\n" + moreChanges(changes.coverageMoves.count)
            }
            if !changes.passagesAdded.isEmpty || !changes.passagesRemoved.isEmpty {
                body += "<p>\(HTML.plural(changes.passagesAdded.count, "passage")) added, "
                body += "\(HTML.plural(changes.passagesRemoved.count, "passage")) removed.</p>\n"
            }
        }
        return HTML.page(title: "Scans", body: body, sample: sample)
    }

    static func changeList(_ title: String, _ entries: [ChangeReport.DocumentEntry], diffs: Bool = false) -> String {
        guard !entries.isEmpty else { return "" }
        var html = "<h3>\(HTML.text(title)) (\(entries.count))</h3>\n<ul>\n"
        for entry in entries.prefix(changeListLimit) {
            html += "<li><a href=\"/documents/\(HTML.text(path(entry.documentID)))\">\(HTML.text(entry.title))</a>"
            if let detail = entry.detail { html += ": \(HTML.text(detail))" }
            if diffs { html += " · <a href=\"/documents/\(HTML.text(path(entry.documentID)))/diff\">what changed</a>" }
            html += "</li>\n"
        }
        return html + "</ul>\n" + moreChanges(entries.count)
    }

    /// Entries a change list shows: a first scan of a large registry adds thousands of documents, and a page that
    /// lists them all is slow to make and to read.
    static let changeListLimit = 100

    static func moreChanges(_ count: Int) -> String {
        guard count > changeListLimit else { return "" }
        return "<p class=\"more\">\(count - changeListLimit) more: <code>spscan changes</code> lists them all, "
            + "<a href=\"/api/scans\">/api/scans</a> as JSON.</p>\n"
    }

    // MARK: Search

    static func search(
        query: String, filter: DocumentFilter, hits: [SearchHit]?, competencies: [Competency] = [], regions: [String], sample: Bool
    ) -> String {
        var body = filterForm(
            action: "/search", filter: filter, regions: regions,
            extra: "<input type=\"hidden\" name=\"q\" value=\"\(HTML.text(query))\">")
        if !competencies.isEmpty {
            let filterPairs = filter.queryPairs
            body += "<h2>Competencies</h2>\n<ul class=\"found-competencies\">\n"
            for competency in competencies {
                body += "<li><a href=\"\(HTML.text(competencyLink(competency.id, filterPairs)))\">\(HTML.text(competency.id)) "
                body += "\(HTML.text(competency.name))</a></li>\n"
            }
            body += "</ul>\n"
        }
        if let hits {
            if hits.isEmpty {
                body += "<p>No passage matches \(HTML.text(query)).</p>\n"
            } else {
                body += "<h2>\(HTML.plural(hits.count, "passage")), most relevant first</h2>\n<ol>\n"
                for hit in hits {
                    body += "<li><a href=\"/documents/\(HTML.text(path(hit.documentID)))\">\(HTML.text(hit.title))</a> · "
                    body += "\(HTML.text(hit.institution)) (\(HTML.text(hit.country.name)))"
                    if !hit.heading.isEmpty { body += " · \(HTML.text(hit.heading))" }
                    body += "<blockquote class=\"evidence\"><p>"
                    body += HTML.snippet(hit.snippet, hit.highlights)
                    body += "</p></blockquote></li>\n"
                }
                body += "</ol>\n"
            }
        } else {
            body += "<p>Type words in the search box: every word must appear in a passage; put a phrase in double quotes.</p>\n"
        }
        return HTML.page(title: query.isEmpty ? "Search" : "Search: \(query)", body: body, sample: sample, query: query)
    }

    // MARK: Login and problems

    static func login(failed: Bool) -> String {
        var body = failed ? "<p class=\"problem\" role=\"alert\">That token is not this server's token.</p>\n" : ""
        body += "<p>This server needs its token (the one given to <code>spscan serve --token</code>).</p>\n"
        body += "<form method=\"post\" action=\"/login\"><div><label for=\"token\">Token</label>"
        body += "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required></div>"
        body += "<div><button type=\"submit\">Log in</button></div></form>\n"
        return HTML.page(title: "Log in", body: body, sample: false)
    }

    static func problem(_ message: String, status: Int) -> String {
        HTML.page(
            title: status == 404 ? "Not found" : "Cannot show this page",
            body: "<p class=\"problem\" role=\"alert\">\(HTML.text(message))</p>\n<p><a href=\"/\">Back to the matrix</a></p>\n",
            sample: false)
    }

    // MARK: Helpers

    static func duration(_ seconds: TimeInterval) -> String {
        if seconds >= 86_400, seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return HTML.plural(Int(seconds / 86_400), "day") }
        if seconds >= 3_600, seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return HTML.plural(Int(seconds / 3_600), "hour") }
        return HTML.plural(Int(seconds / 60), "minute")
    }

    /// A path segment: document ids are kebab-case with `~`, but a hand-edited id may hold anything.
    static func path(_ segment: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }

    /// A link to a document's address, only for http and https: a `javascript:` URL in a registry or a
    /// redirect must never become a clickable link.
    static func link(_ url: String) -> String {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return HTML.text(url) }
        return "<a href=\"\(HTML.text(url))\" rel=\"noopener noreferrer\">\(HTML.text(url))</a>"
    }
}
