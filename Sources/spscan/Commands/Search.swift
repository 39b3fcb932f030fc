import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel

struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over passages.",
        discussion: """
            Every word must appear in a passage, in any order; put a phrase in double quotes to find the words \
            together. English words match their other forms (interviews, interviewing) and French accents are \
            optional (evaluation finds évaluation). On a terminal, matched words are shown in bold (not with \
            NO_COLOR set); in JSON they are offsets (`highlights`) into the plain `snippet`.

            Examples:
              spscan search "motivational interviewing"
              spscan search '"social needs assessment"' --country GB --limit 5
              spscan search évaluation --format json
            """
    )

    @OptionGroup var project: ProjectOptions
    @OptionGroup var filters: FilterOptions

    @Argument(help: ArgumentHelp("The words to search for.", valueName: "text"))
    var words: [String]

    @Option(help: "The most passages to show.")
    var limit = 20

    @Option(help: "table: one passage per entry; json: every field.")
    var format: SearchFormat = .table

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be 1 or more") }
        guard !words.isEmpty else {
            throw ValidationError("give the words to search for, e.g. spscan search \"motivational interviewing\"")
        }
    }

    func run() async throws {
        _ = project.bootstrapLogging()
        let text = words.joined(separator: " ")
        let catalog = try CatalogAccess.open(project.paths)
        let filter = try CatalogAccess.filter(filters, in: catalog)
        let hits = try catalog.search(text: text, filter: filter, limit: limit)
        switch format {
        case .json:
            print(try SearchAnswer(query: text, filter: filter, hits: hits).jsonString())
        case .table:
            print(SearchOutput.text(query: text, hits: hits))
        }
    }
}

enum SearchFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// The search as a terminal reads it; `SearchAnswer` (SPScan) is its JSON, shared with /api/search.
enum SearchOutput {
    static func text(query: String, hits: [SearchHit]) -> String {
        guard !hits.isEmpty else { return "No passage matches \(query)." }
        var lines = ["\(hits.count) passage\(hits.count == 1 ? "" : "s") matching \(query), most relevant first:"]
        for (index, hit) in hits.enumerated() {
            let place = [hit.heading.isEmpty ? nil : hit.heading, hit.page.map { "page \($0)" }].compactMap { $0 }
            lines.append("")
            lines.append(
                "\(index + 1). \(hit.documentID) · \(hit.institution) (\(hit.country.rawValue))"
                    + (place.isEmpty ? "" : " · " + place.joined(separator: ", ")))
            lines.append("   " + TextTable.oneLine(Terminal.standardOutput.highlighted(hit.snippet, hit.highlights)))
        }
        return lines.joined(separator: "\n")
    }
}
