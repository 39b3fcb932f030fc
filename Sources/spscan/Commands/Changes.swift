import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel

struct Changes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Show what changed since the previous scan.",
        discussion: """
            Lists the documents that are new, changed, gone (404 or 410), failed or removed from Sources.yaml; \
            the passages added and removed; and the coverage that moved (a document that now covers a \
            competency, or no longer does). A document counts as changed only when its extracted text changed: \
            a new timestamp or a reordered menu in the page is not a change.

            Without --since, shows what the latest scan found. With --since, every scan started on or after \
            that date, netted (a passage removed and put back is not listed).

            Examples:
              spscan changes
              spscan changes --since 2026-11-01
              spscan changes --since 7d
              spscan changes --since 2026-11-01T09:00:00Z --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(
        help: ArgumentHelp(
            "Changes of scans started on or after this date: 2026-11-01, 2026-11-01T09:00:00Z, yesterday, 7d, 2w.",
            valueName: "date"))
    var since: String?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case atom
    }

    @Option(help: "text: sections for people; json: every field; atom: an Atom feed, one entry per change.")
    var format: Format = .text

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("Where `spscan serve` answers, for the feed's links (default http://127.0.0.1:8080).", valueName: "url"))
    var baseURL = "http://127.0.0.1:8080"

    func run() async throws {
        _ = project.bootstrapLogging()
        var date: Date?
        if let since {
            guard let parsed = DateExpression.parse(since) else {
                throw CommandProblem.badInput("--since '\(since)' is not a date; write it as \(DateExpression.examples)")
            }
            date = parsed
        }
        let catalog = try CatalogAccess.open(project.paths)
        let report = try catalog.changes(since: date)
        switch format {
        case .json: print(try report.jsonString())
        case .text: print(ChangesOutput.text(report, cells: try cellMoves(report, catalog: catalog)))
        case .atom: print(ChangeFeed.atom(report, cells: try cellMoves(report, catalog: catalog), baseURL: baseURL), terminator: "")
        }
    }

    private func cellMoves(_ report: ChangeReport, catalog: CatalogDatabase) throws -> [CellMove] {
        try CoverageHistory(catalog: catalog, framework: try CatalogAccess.framework(project.paths)).cellMoves(for: report)
    }
}

enum ChangesOutput {
    static func text(_ report: ChangeReport, cells: [CellMove] = []) -> String {
        guard let first = report.scans.first, let last = report.scans.last else {
            if let since = report.since { return "No scan since \(ISOTimestamp.format(since))." }
            return "No scan recorded yet; run `spscan scan`."
        }
        var lines: [String] = []
        if let latest = report.scans.last, report.since == nil, report.scans.count > 1 {
            lines.append(
                "The latest scans found nothing new; the changes below are those of scan \(first.id) "
                    + "(\(ISOTimestamp.format(first.startedAt))), the latest scan that found any (latest: \(latest.id)).")
        } else if report.scans.count == 1 {
            lines.append("Changes found by scan \(first.id) (\(ISOTimestamp.format(first.startedAt))):")
        } else {
            lines.append(
                "Changes over \(report.scans.count) scans, \(first.id) (\(ISOTimestamp.format(first.startedAt))) "
                    + "to \(last.id) (\(ISOTimestamp.format(last.startedAt))):")
        }
        if report.isEmpty {
            lines.append(report.layoutOnlyDocuments.isEmpty ? "Nothing changed." : "No text changed.")
            layoutOnly(report.layoutOnlyDocuments, into: &lines)
            return lines.joined(separator: "\n")
        }
        section("New documents", report.newDocuments, into: &lines)
        section("Changed documents", report.changedDocuments, into: &lines)
        section("Gone documents (their last version stays in the catalog)", report.goneDocuments, into: &lines)
        section("Failed fetches (the previous version stays current)", report.failedDocuments, into: &lines)
        section("Removed from Sources.yaml", report.removedDocuments, into: &lines)
        sentences(report.sentences, into: &lines)
        layoutOnly(report.layoutOnlyDocuments, into: &lines)
        if !report.coverageMoves.isEmpty {
            lines.append("")
            lines.append("Coverage that moved (\(report.coverageMoves.count)):")
            for move in report.coverageMoves {
                let verb = move.direction == .gained ? "now covers" : "no longer covers"
                let score = (move.direction == .gained ? move.scoreAfter : move.scoreBefore).map { " (score \($0.scoreText))" } ?? ""
                lines.append("  \(move.direction == .gained ? "+" : "-") \(move.documentID) \(verb) \(move.competency)\(score)")
            }
        }
        if !cells.isEmpty {
            lines.append("")
            lines.append("Coverage cells that moved (\(cells.count)), documents covering each before and after:")
            for cell in cells {
                let movers = cell.documents.isEmpty ? "" : "; moved by \(cell.documents.joined(separator: ", "))"
                lines.append("  \(cell.label) × \(cell.competency): \(cell.before) → \(cell.after)\(movers)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func section(_ title: String, _ entries: [ChangeReport.DocumentEntry], into lines: inout [String]) {
        guard !entries.isEmpty else { return }
        lines.append("")
        lines.append("\(title) (\(entries.count)):")
        for entry in entries {
            lines.append("  \(entry.documentID): \(TextTable.fit(entry.title, 80)) <\(entry.url)>")
            if let detail = entry.detail { lines.append("    \(detail)") }
        }
    }

    /// Documents seen to change whose words did not: named, but not listed as changed text.
    private static func layoutOnly(_ entries: [ChangeReport.DocumentEntry], into lines: inout [String]) {
        guard !entries.isEmpty else { return }
        lines.append("")
        lines.append("Only the layout changed (\(entries.count)): new snapshots with the same words, not a change of text:")
        for entry in entries {
            lines.append("  \(entry.documentID): \(TextTable.fit(entry.title, 80)) <\(entry.url)>")
        }
    }

    /// Each changed document's new and vanished sentences, under the heading they sit under.
    private static func sentences(_ changes: [ChangeReport.SentenceChange], into lines: inout [String]) {
        guard !changes.isEmpty else { return }
        lines.append("")
        let added = changes.filter { $0.change == .added }.count
        let removed = changes.count - added
        lines.append("Text that changed (\(added) sentence\(added == 1 ? "" : "s") added, \(removed) removed):")
        var document: String?
        var heading: String?
        for change in changes {
            if change.documentID != document {
                lines.append("  \(change.documentID):")
                document = change.documentID
                heading = nil
            }
            if change.heading != heading, !change.heading.isEmpty {
                lines.append("    [\(TextTable.fit(change.heading, 60))]")
            }
            heading = change.heading
            lines.append("    \(change.change == .added ? "+" : "-") \(TextTable.fit(change.text, 400))")
        }
    }
}
