import Foundation
import SPScanModel

/// A bar chart, as inline SVG, of how much of each domain every row covers: for each country (or target group),
/// one bar per domain, the share of the domain's competencies that at least one of the row's documents covers.
///
/// The first thing a funder asks is "where are we thin?"; a heatmap of 25 columns answers it cell by cell, this
/// answers it at a glance. Every bar carries its figures as text ("3 of 9"), so that the chart reads in grey on
/// paper and to a screen reader, and nothing needs a script or an external file.
public enum DomainChart {
    /// One row of the chart: a label and, per domain, competencies covered out of the domain's total.
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var documents: Int
        public var covered: [Int]

        public init(label: String, documents: Int, covered: [Int]) {
            self.label = label
            self.documents = documents
            self.covered = covered
        }
    }

    /// The bars of `matrix`, whose columns must be competencies: domains in the framework's order.
    public static func bars(_ matrix: CoverageMatrix, framework: Framework) -> (domains: [Domain], bars: [Bar]) {
        let domains = framework.domains
        let domainIndex = Dictionary(domains.enumerated().map { ($1.id.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let columnDomain = matrix.columns.map { domainIndex[$0.domain.uppercased()] }
        let bars = matrix.rows.enumerated().map { rowIndex, row in
            var covered = Array(repeating: 0, count: domains.count)
            for (column, cell) in matrix.cells[rowIndex].enumerated() where cell.count > 0 {
                if let domain = columnDomain[column] { covered[domain] += 1 }
            }
            return Bar(label: row.label, documents: row.documents, covered: covered)
        }
        return (domains, bars)
    }

    /// One colour per domain, from the palette the charts over time use (Okabe–Ito).
    static var palette: [String] { CoverageChart.palette }

    /// The chart of `matrix` (competency columns), titled `title`.
    public static func svg(title: String, matrix: CoverageMatrix, framework: Framework) -> String {
        let (domains, bars) = bars(matrix, framework: framework)
        let totals = domains.map { max($0.competencies.count, 1) }
        let labelWidth = 190.0
        let plotWidth = 330.0
        let figureWidth = 70.0
        let barHeight = 11.0
        let groupGap = 10.0
        let legendLine = 13.0
        let legendHeight = legendLine * Double(domains.count) + 10
        let groupHeight = barHeight * Double(max(domains.count, 1)) + groupGap
        let width = labelWidth + plotWidth + figureWidth
        let height = legendHeight + groupHeight * Double(max(bars.count, 1)) + 4
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        var out = "<svg class=\"domain-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        out += " role=\"img\" aria-label=\"\(Escaping.html(title))\">\n<title>\(Escaping.html(title))</title>\n"
        out += "<g font-family=\"sans-serif\" font-size=\"10\" fill=\"#222\">\n"
        // Legend: a swatch and the domain's name, one line each above the bars, so that long names never collide.
        for (index, domain) in domains.enumerated() {
            let colour = palette[index % palette.count]
            let y = 4 + legendLine * Double(index)
            out += "<rect x=\"\(number(labelWidth))\" y=\"\(number(y))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(number(labelWidth + 14))\" y=\"\(number(y + 9))\">\(Escaping.html("\(domain.id) \(domain.name)"))</text>\n"
        }
        if bars.isEmpty {
            out += "<text x=\"0\" y=\"\(number(legendHeight + 12))\">No documents to chart.</text>\n"
        }
        for (rowIndex, bar) in bars.enumerated() {
            let top = legendHeight + groupHeight * Double(rowIndex)
            let middle = top + barHeight * Double(domains.count) / 2 + 3
            out += "<g><title>\(Escaping.html(bar.label)): "
            out += domains.enumerated().map { "\($1.id) \(bar.covered[$0]) of \(totals[$0])" }.joined(separator: ", ")
            out += "</title>"
            out += "<text x=\"\(number(labelWidth - 6))\" y=\"\(number(middle))\" text-anchor=\"end\">"
            out += Escaping.html(truncated(bar.label, to: 34)) + "</text>"
            for (index, covered) in bar.covered.enumerated() {
                let y = top + barHeight * Double(index)
                let share = Double(covered) / Double(totals[index])
                let colour = palette[index % palette.count]
                // A hairline frame marks the whole domain, so that an empty bar still shows as a bar (a gap).
                out += "<rect x=\"\(number(labelWidth))\" y=\"\(number(y + 1))\" width=\"\(number(plotWidth))\" "
                out += "height=\"\(number(barHeight - 2))\" fill=\"none\" stroke=\"#c8ccd1\" stroke-width=\"0.5\"/>"
                if covered > 0 {
                    out += "<rect x=\"\(number(labelWidth))\" y=\"\(number(y + 1))\" width=\"\(number(plotWidth * share))\" "
                    out += "height=\"\(number(barHeight - 2))\" fill=\"\(colour)\"/>"
                }
                out += "<text x=\"\(number(labelWidth + plotWidth + 6))\" y=\"\(number(y + barHeight - 2))\">"
                out += "\(covered) of \(totals[index])</text>"
            }
            out += "</g>\n"
        }
        return out + "</g>\n</svg>"
    }

    /// A figure per grouping with a caption; `matrices` are competency-column matrices (by country, by target group).
    public static func section(_ charts: [(title: String, matrix: CoverageMatrix)], framework: Framework) -> String {
        var out = "<section id=\"coverage-by-domain\"><h2>Coverage by domain</h2>\n"
        out += "<p>For each country and target group, how many of each domain's competencies at least one document "
        out += "covers. An empty frame is a domain nothing covers.</p>\n"
        for chart in charts {
            out += "<figure class=\"chart\">\n" + svg(title: chart.title, matrix: chart.matrix, framework: framework)
            out += "\n<figcaption>\(Escaping.html(chart.title))</figcaption>\n</figure>\n"
        }
        return out + "</section>\n"
    }

    static func truncated(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
