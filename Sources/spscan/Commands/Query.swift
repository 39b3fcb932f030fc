import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel

struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "List the documents that cover a competency, best first, with evidence.",
        discussion: """
            Each document is listed with its institution, country, target groups, kind, score (0 to 1) and the \
            passage that best supports the tag. Review decisions (Reviews.yaml) apply: a rejected tag is not \
            listed; an accepted one is, with score 1 when the tagger had missed it.

            Examples:
              spscan query IS-5
              spscan query CE-7 --country CA --target-group volunteers --format json
              spscan query is-5 --kind training --format csv > is-5.csv
              spscan query volunteers --country CA
            """
    )

    @OptionGroup var project: ProjectOptions
    @OptionGroup var filters: FilterOptions

    @Argument(
        help: ArgumentHelp(
            "A competency id from Framework.yaml (IS-5, is5), its name, or a word of it (volunteers, motivational).",
            valueName: "competency"))
    var competency: String

    @Option(help: "table: aligned for the terminal; json: every field; csv: one row per document.")
    var format: QueryFormat = .table

    func run() async throws {
        _ = project.bootstrapLogging()
        let competency = try CatalogAccess.competency(self.competency, in: try CatalogAccess.framework(project.paths))
        let catalog = try CatalogAccess.open(project.paths)
        let filter = try CatalogAccess.filter(filters, in: catalog)
        let hits = try catalog.query(competency: competency.id, filter: filter)
        switch format {
        case .json:
            print(try QueryOutput(competency: competency, filter: filter, hits: hits).jsonString())
        case .csv:
            print(QueryOutput.csv(hits), terminator: "")
        case .table:
            print(QueryOutput.table(competency: competency, hits: hits))
        }
    }
}

enum QueryFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}

struct QueryOutput: Encodable {
    var competency: String
    var name: String
    var filter: DocumentFilter
    var count: Int
    var documents: [QueryHit]

    init(competency: Competency, filter: DocumentFilter, hits: [QueryHit]) {
        self.competency = competency.id
        name = competency.name
        self.filter = filter
        count = hits.count
        documents = hits
    }

    static func table(competency: Competency, hits: [QueryHit]) -> String {
        let heading = "\(competency.id) \(competency.name): \(hits.count) document\(hits.count == 1 ? "" : "s")"
        guard !hits.isEmpty else {
            return heading + "\nNo document covers it under these filters: a gap (see `spscan matrix --gaps`)."
        }
        var table = TextTable(headers: ["#", "score", "document", "institution", "country", "kind", "target groups"])
        for (index, hit) in hits.enumerated() {
            table.rows.append([
                String(index + 1), hit.score.scoreText + (hit.review == .accept ? "*" : ""), hit.documentID, hit.institution,
                hit.country.rawValue, hit.kind.rawValue, hit.targetGroups.map(\.rawValue).joined(separator: ", "),
            ])
        }
        var lines = [heading, "", table.render(), "", "Best evidence:"]
        for (index, hit) in hits.enumerated() {
            lines.append("\(index + 1). \(hit.title) <\(hit.url)>")
            if let evidence = hit.evidence {
                let place = [evidence.heading.isEmpty ? nil : evidence.heading, evidence.page.map { "page \($0)" }]
                    .compactMap { $0 }.joined(separator: ", ")
                lines.append("   " + (place.isEmpty ? "" : "(\(place)) ") + "\"\(TextTable.fit(TextTable.oneLine(evidence.text), 200))\"")
            } else if hit.review == .accept {
                lines.append("   (accepted by a reviewer; no passage recorded)")
            } else {
                lines.append("   (no passage recorded)")
            }
        }
        if hits.contains(where: { $0.review == .accept }) { lines.append(contentsOf: ["", "* accepted by a reviewer (Reviews.yaml)"]) }
        return lines.joined(separator: "\n")
    }

    static func csv(_ hits: [QueryHit]) -> String {
        var lines = [
            CSV.line([
                "rank", "document", "title", "url", "institution", "institution_type", "country", "region", "target_groups",
                "kind", "competency", "score", "review", "evidence_heading", "evidence_page", "evidence",
            ])
        ]
        for (index, hit) in hits.enumerated() {
            lines.append(
                CSV.line([
                    String(index + 1), hit.documentID, hit.title, hit.url, hit.institution, hit.institutionType.rawValue,
                    hit.country.rawValue, hit.region ?? "", hit.targetGroups.map(\.rawValue).joined(separator: ";"),
                    hit.kind.rawValue, hit.competency, hit.score.scoreText, hit.review?.rawValue ?? "",
                    hit.evidence?.heading ?? "", hit.evidence?.page.map(String.init) ?? "", hit.evidence?.text ?? "",
                ]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
