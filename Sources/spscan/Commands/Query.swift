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

            Documents judged out of scope (not about the field; see `spscan review DOC --in-scope`) are left out \
            and counted under the list; --include-out-of-scope lists them too, marked. --out-of-scope without a \
            competency lists every document judged out of scope, with the reason.

            Examples:
              spscan query IS-5
              spscan query CE-7 --country CA --target-group volunteers --format json
              spscan query is-5 --kind training --format csv > is-5.csv
              spscan query volunteers --country CA
              spscan query --out-of-scope
            """
    )

    @OptionGroup var project: ProjectOptions
    @OptionGroup var filters: FilterOptions

    @Argument(
        help: ArgumentHelp(
            "A competency id from Framework.yaml (IS-5, is5), its name, or a word of it (volunteers, motivational).",
            valueName: "competency"))
    var competency: String?

    @Flag(help: "Also list the documents judged out of scope, marked as such.")
    var includeOutOfScope = false

    @Flag(help: "List the documents judged out of scope (with a competency: those of them that cover it).")
    var outOfScope = false

    func validate() throws {
        if competency == nil, !outOfScope {
            throw ValidationError("give a competency id (e.g. IS-5), or --out-of-scope to list the documents judged out of scope")
        }
        if includeOutOfScope, outOfScope { throw ValidationError("give --include-out-of-scope or --out-of-scope, not both") }
    }

    @Option(help: "table: aligned for the terminal; json: every field; csv: one row per document.")
    var format: QueryFormat = .table

    func run() async throws {
        _ = project.bootstrapLogging()
        let framework = try CatalogAccess.framework(project.paths)
        let catalog = try CatalogAccess.open(project.paths)
        let filter = try CatalogAccess.filter(filters, in: catalog)
        guard let id = self.competency else {
            let documents = try catalog.outOfScopeDocuments(filter: filter)
            switch format {
            case .json: print(try OutOfScopeOutput(filter: filter, documents: documents).jsonString())
            case .csv: print(OutOfScopeOutput.csv(documents), terminator: "")
            case .table: print(OutOfScopeOutput.table(documents))
            }
            return
        }
        let competency = try CatalogAccess.competency(id, in: framework)
        // The scope selection is made in SQL, so that the hits left out are counted, not read.
        let scope: ScopeSelection = includeOutOfScope ? .all : (outOfScope ? .outOfScope : .inScope)
        let page = try catalog.query(competency: competency.id, filter: filter, scope: scope, limit: nil)
        let hits = page.hits
        let leftOut = includeOutOfScope || outOfScope ? 0 : page.leftOut
        switch format {
        case .json:
            print(try QueryAnswer(competency: competency, filter: filter, hits: hits, leftOutOfScope: leftOut).jsonString())
        case .csv:
            print(QueryOutput.csv(hits), terminator: "")
        case .table:
            print(QueryOutput.table(competency: competency, hits: hits, leftOut: leftOut, width: Terminal.standardOutput.width))
        }
    }
}

enum QueryFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}

/// The query as a terminal and a spreadsheet read it; `QueryAnswer` (SPScan) is its JSON, shared with /api/query.
enum QueryOutput {
    /// The hits as a person reads them in a terminal `width` columns wide: a table, then the best passage of each,
    /// cut around the words that matched.
    static func table(competency: Competency, hits: [QueryHit], leftOut: Int = 0, width: Int = 120) -> String {
        let heading = "\(competency.id) \(competency.name): \(hits.count) document\(hits.count == 1 ? "" : "s")"
        let note =
            leftOut == 0
            ? []
            : [
                "",
                (leftOut == 1 ? "1 document judged out of scope is" : "\(leftOut) documents judged out of scope are")
                    + " left out: spscan query \(competency.id) --include-out-of-scope to see them.",
            ]
        guard !hits.isEmpty else {
            return ([heading + "\nNo document covers it under these filters: a gap (see `spscan matrix --gaps`)."] + note)
                .joined(separator: "\n")
        }
        var table = TextTable(
            headers: ["#", "score", "document", "institution", "country", "kind", "target groups"], whole: [0, 1, 2, 4])
        for (index, hit) in hits.enumerated() {
            table.rows.append([
                String(index + 1), hit.score.scoreText + (hit.review == .accept ? "*" : ""),
                hit.documentID + (hit.inScope ? "" : " (out of scope)"), hit.institution,
                // Labels, not slugs; a kind's gloss in brackets is left to the docs, so that the table keeps its room.
                hit.country.rawValue, hit.kind.label.components(separatedBy: " (")[0],
                hit.targetGroups.map(\.label).joined(separator: ", "),
            ])
        }
        var lines = [heading, "", table.render(width: width), "", "Best evidence:"]
        for (index, hit) in hits.enumerated() {
            // The address stays whole (a cut one is no use): on the title's line when both fit, else on its own.
            let number = "\(index + 1). "
            let address = "<\(hit.url)>"
            if number.count + hit.title.count + 1 + address.count <= width {
                lines.append(number + hit.title + " " + address)
            } else {
                lines += [number + TextTable.fit(hit.title, width - number.count), "   " + address]
            }
            if let evidence = hit.evidence {
                let place = [evidence.heading.isEmpty ? nil : evidence.heading, evidence.page.map { "page \($0)" }]
                    .compactMap { $0 }.joined(separator: ", ")
                // Two lines of the passage, cut around the words that matched rather than after its first words.
                let prefix = place.isEmpty ? "" : "(\(TextTable.fit(place, 30))) "
                let room = max(40, width - 3)
                let window = Highlight.window(
                    evidence.text, evidence.spans.map { Highlight(start: $0.start, end: $0.end) },
                    length: 2 * room - prefix.count - 2 - 12)
                let passage = TextTable.oneLine(window.text)
                lines += TextTable.wrap(prefix + "\"" + passage + "\"", width: room).map { "   " + $0 }
            } else if hit.review == .accept {
                lines.append("   (accepted by a reviewer; no passage recorded)")
            } else {
                lines.append("   (no passage recorded)")
            }
        }
        if hits.contains(where: { $0.review == .accept }) { lines.append(contentsOf: ["", "* accepted by a reviewer (Reviews.yaml)"]) }
        lines += note
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

/// `spscan query --out-of-scope`: the documents coverage leaves out, each with why.
struct OutOfScopeOutput: Encodable {
    struct Entry: Encodable {
        var documentID: String
        var title: String
        var url: String
        var institution: String
        var country: Country
        var inScope: Bool
        var scopeReviewed: Bool
        var scopeReason: String?
        var scopeEvidence: [Evidence]
        var tags: [String]
    }

    var filter: DocumentFilter
    var count: Int
    var documents: [Entry]

    init(filter: DocumentFilter, documents: [TaggedDocument]) {
        self.filter = filter
        count = documents.count
        self.documents = documents.map {
            Entry(
                documentID: $0.id, title: $0.title, url: $0.url, institution: $0.institution, country: $0.country,
                inScope: $0.inScope, scopeReviewed: $0.scopeReviewed, scopeReason: $0.scopeReason, scopeEvidence: $0.scopeEvidence,
                tags: $0.tags.map(\.competency))
        }
    }

    static func why(_ document: TaggedDocument) -> String {
        document.scopeReviewed ? "put out of scope by a reviewer (Reviews.yaml)" : (document.scopeReason ?? "judged out of scope")
    }

    static func table(_ documents: [TaggedDocument]) -> String {
        guard !documents.isEmpty else { return "No document is judged out of scope under these filters: every one counts." }
        var lines = [
            "\(documents.count) document\(documents.count == 1 ? " is" : "s are") judged out of scope and left out of coverage:", "",
        ]
        for (index, document) in documents.enumerated() {
            lines.append("\(index + 1). \(document.id): \(document.title) <\(document.url)>")
            lines.append("   why: \(why(document))")
            if !document.tags.isEmpty {
                lines.append("   tags kept in the catalog: \(document.tags.map(\.competency).joined(separator: ", "))")
            }
            if let evidence = document.scopeEvidence.first {
                lines.append("   \"\(TextTable.fit(TextTable.oneLine(evidence.text), 200))\"")
            }
        }
        lines += ["", "To count one: spscan review DOC --in-scope"]
        return lines.joined(separator: "\n")
    }

    static func csv(_ documents: [TaggedDocument]) -> String {
        var lines = [CSV.line(["document", "title", "url", "institution", "country", "reviewed", "reason", "tags"])]
        for document in documents {
            lines.append(
                CSV.line([
                    document.id, document.title, document.url, document.institution, document.country.rawValue,
                    document.scopeReviewed ? "yes" : "no", why(document), document.tags.map(\.competency).joined(separator: ";"),
                ]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
