import Foundation

/// A small line chart of coverage over scans, as inline SVG: one line per row (a country, a target group),
/// the number of competencies it covers after each scan. No script and no external file, so that it shows
/// the same in the web page, the saved report and its PDF.
public enum CoverageChart {
    /// One line of the chart.
    public struct Series: Sendable, Hashable {
        public var label: String
        public var values: [Int]

        public init(label: String, values: [Int]) {
            self.label = label
            self.values = values
        }
    }

    /// Colours a reader with the common colour-vision deficiencies can still tell apart (Okabe–Ito).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    /// The chart: `scans` label the x axis (oldest first), `maximum` tops the y axis (the framework's
    /// competency count). Series beyond the palette's eight colours repeat them with dashes.
    public static func svg(title: String, scans: [String], series: [Series], maximum: Int) -> String {
        let width = 560.0
        let height = 200.0
        let left = 36.0
        let right = 150.0
        let top = 12.0
        let bottom = 28.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let ceiling = Double(max(maximum, series.flatMap(\.values).max() ?? 0, 1))
        func x(_ index: Int) -> Double {
            scans.count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(scans.count - 1)
        }
        func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / ceiling) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        var out = "<svg class=\"coverage-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        out += " role=\"img\" aria-label=\"\(Escaping.html(title))\">\n<title>\(Escaping.html(title))</title>\n"
        // Axes and the y scale: 0 and the maximum.
        out += "<g stroke=\"#888\" stroke-width=\"1\" fill=\"none\">"
        out += "<line x1=\"\(number(left))\" y1=\"\(number(top))\" x2=\"\(number(left))\" y2=\"\(number(top + plotHeight))\"/>"
        out +=
            "<line x1=\"\(number(left))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(left + plotWidth))\" y2=\"\(number(top + plotHeight))\"/>"
        out += "</g>\n<g font-family=\"sans-serif\" font-size=\"10\" fill=\"#444\">"
        out += "<text x=\"\(number(left - 4))\" y=\"\(number(top + plotHeight))\" text-anchor=\"end\">0</text>"
        out += "<text x=\"\(number(left - 4))\" y=\"\(number(top + 8))\" text-anchor=\"end\">\(Int(ceiling))</text>"
        if let first = scans.first {
            out += "<text x=\"\(number(left))\" y=\"\(number(height - 8))\">\(Escaping.html(first))</text>"
        }
        if scans.count > 1, let last = scans.last {
            out += "<text x=\"\(number(left + plotWidth))\" y=\"\(number(height - 8))\" text-anchor=\"end\">\(Escaping.html(last))</text>"
        }
        out += "</g>\n"
        for (index, line) in series.enumerated() {
            let colour = palette[index % palette.count]
            let dash = index >= palette.count ? " stroke-dasharray=\"4 3\"" : ""
            let points = line.values.prefix(scans.count).enumerated().map { "\(number(x($0))),\(number(y($1)))" }
            out += "<g><title>\(Escaping.html(line.label)): \(line.values.map(String.init).joined(separator: " → "))</title>"
            if points.count == 1 {
                let (px, py) = (x(0), y(line.values[0]))
                out += "<circle cx=\"\(number(px))\" cy=\"\(number(py))\" r=\"3\" fill=\"\(colour)\"/>"
            } else {
                out +=
                    "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash) points=\"\(points.joined(separator: " "))\"/>"
            }
            let legendY = top + 12 * Double(index) + 8
            out += "<line x1=\"\(number(width - right + 10))\" y1=\"\(number(legendY - 3))\" x2=\"\(number(width - right + 24))\" "
            out += "y2=\"\(number(legendY - 3))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(number(width - right + 28))\" y=\"\(number(legendY))\" font-family=\"sans-serif\" font-size=\"10\">"
            out += "\(Escaping.html(line.label)) (\(line.values.last ?? 0))</text></g>\n"
        }
        return out + "</svg>"
    }

    /// A report or page section with one chart per grouping (e.g. by country, by target group), for the page
    /// owner to place: a heading, a sentence saying what the lines are, and the charts.
    public static func section(title: String, charts: [(title: String, series: [Series])], scans: [String], maximum: Int)
        -> String
    {
        var out = "<section class=\"coverage-over-time\">\n<h2>\(Escaping.html(title))</h2>\n"
        guard !scans.isEmpty else { return out + "<p>No scan recorded yet.</p>\n</section>" }
        out += "<p>Competencies covered by at least one document, after each of the last \(scans.count) scan"
        out += "\(scans.count == 1 ? "" : "s") (of \(maximum)).</p>\n"
        for chart in charts {
            out += "<figure>\n" + svg(title: chart.title, scans: scans, series: chart.series, maximum: maximum)
            out += "\n<figcaption>\(Escaping.html(chart.title))</figcaption>\n</figure>\n"
        }
        return out + "</section>"
    }
}
