import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanCoverage
import SPScanModel

struct Trend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Show how coverage moved from scan to scan.",
        discussion: """
            For each row (a country, a target group, ...), how many documents it had after each scan and how \
            many domains or competencies at least one of them covered; then every cell that moved, with its \
            count of covering documents scan by scan. Review decisions count from the first scan after they \
            were made. `spscan matrix --at SCAN|DATE` draws the whole matrix as it stood.

            Examples:
              spscan trend
              spscan trend --rows target-group --cols competency --since 90d
              spscan trend --rows country --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "What rows group documents by.")
    var rows: RowDimension = .country

    @Option(name: .customLong("cols"), help: "What columns are: the framework's domains or its competencies.")
    var columns: ColumnDimension = .competency

    @Option(help: ArgumentHelp("Only scans started on or after this date: 2026-11-01, yesterday, 30d.", valueName: "date"))
    var since: String?

    @Option(help: "text: a table for people; json: every series and cell.")
    var format: OutputFormat = .text

    func run() async throws {
        _ = project.bootstrapLogging()
        let date = try since.map { text in
            guard let date = DateExpression.parse(text) else {
                throw CommandProblem.badInput("--since '\(text)' is not a date; write it as \(DateExpression.examples)")
            }
            return date
        }
        let catalog = try CatalogAccess.open(project.paths)
        let history = try CoverageHistory(catalog: catalog, framework: try CatalogAccess.framework(project.paths))
        let trend = history.trend(rows: rows, columns: columns, since: date)
        switch format {
        case .json: print(try trend.jsonString())
        case .text: print(TrendOutput.text(trend))
        }
    }
}

enum TrendOutput {
    static func text(_ trend: CoverageTrend) -> String {
        guard !trend.scans.isEmpty else { return "No scan recorded in that period; run `spscan scan`." }
        let what = trend.columns == .domain ? "domains" : "competencies"
        var lines = [
            "Coverage over \(trend.scans.count) scan\(trend.scans.count == 1 ? "" : "s"), by \(trend.rows.title.lowercased()): "
                + "\(what) covered (of \(trend.columnCount)) after each scan."
        ]
        let headers = [trend.rows.title] + trend.scans.map { "#\($0.id) \(ISOTimestamp.format($0.startedAt).prefix(10))" }
        var table = TextTable(headers: headers, maxWidth: 40)
        for series in trend.series {
            table.rows.append([series.label] + zip(series.covered, series.documents).map { "\($0) (\($1) docs)" })
        }
        lines.append("")
        lines.append(table.render())
        lines.append("")
        if trend.moved.isEmpty {
            lines.append("No cell moved.")
        } else {
            let labels = Dictionary(trend.series.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
            lines.append("Cells that moved (\(trend.moved.count)), documents covering each after each scan:")
            for cell in trend.moved {
                lines.append("  \(labels[cell.row] ?? cell.row) × \(cell.column): \(cell.counts.map(String.init).joined(separator: " → "))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
