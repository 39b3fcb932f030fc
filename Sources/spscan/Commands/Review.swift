import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record a human decision on a tag: accept or reject.",
        discussion: """
            The decision is written to Reviews.yaml beside Sources.yaml (sorted, one entry per tag, safe to \
            edit by hand and to keep in git) and applied to the catalog at once. It overrides the tagger in \
            every query, matrix and report, and survives re-scans and `spscan index`. A new decision on the \
            same tag replaces the old one.

            Examples:
              spscan review ca-cisp-framework IS-5 --accept --note "checked module 3"
              spscan review gb-nasp-guide CE-7 --reject --note "mentions it only in the fees section"
            """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: ArgumentHelp("The document id, as `spscan query` and `spscan search` show it.", valueName: "document"))
    var document: String

    @Argument(help: ArgumentHelp("The competency id from Framework.yaml, e.g. IS-5.", valueName: "competency"))
    var competency: String

    @Flag(help: "The document does cover the competency.")
    var accept = false

    @Flag(help: "The document does not cover the competency, whatever the tagger found.")
    var reject = false

    @Option(help: ArgumentHelp("Why, in a few words (kept in Reviews.yaml).", valueName: "text"))
    var note: String?

    @Option(help: ArgumentHelp("Who decided (kept in Reviews.yaml).", valueName: "name"))
    var reviewer: String?

    func validate() throws {
        guard accept != reject else { throw ValidationError("give exactly one of --accept or --reject") }
    }

    func run() async throws {
        _ = project.bootstrapLogging()
        let paths = project.paths
        let competency = try CatalogAccess.competency(self.competency, in: try CatalogAccess.framework(paths))
        let catalog = try CatalogAccess.open(paths)
        guard let detail = try catalog.document(id: document) else {
            throw CommandProblem.badInput(try unknownDocumentMessage(catalog))
        }
        let reviewsPath = ProjectPaths.display(paths.reviews)
        let existing = try ReviewFile.load(from: paths.reviews, displayPath: reviewsPath)
        let decision = ReviewDecision(
            documentID: document, competency: competency.id, verdict: accept ? .accept : .reject,
            note: note.flatMap { $0.isEmpty ? nil : $0 }, reviewer: reviewer, decidedAt: Date())
        try ReviewFile.write(ReviewFile.merging(decision, into: existing), to: paths.reviews)
        try catalog.recordReview(decision)

        // What readers saw before this decision: the tagger's view with earlier decisions applied.
        let counted = detail.document.tags.contains { $0.competency == competency.id }
        let verb = accept ? "accepted" : "rejected"
        print("\(document) \(competency.id) (\(competency.name)): \(verb); written to \(reviewsPath).")
        switch (accept, counted) {
        case (true, false): print("It did not count before; it now counts, with score 1.")
        case (false, true): print("It counted before; it no longer does.")
        default: print("It counted the same way before; the decision now keeps it so after every scan.")
        }
    }

    private func unknownDocumentMessage(_ catalog: CatalogDatabase) throws -> String {
        let ids = try catalog.documentIDs()
        let prefix = document.split(separator: "~").first.map(String.init) ?? document
        let near = ids.filter { $0.hasPrefix(prefix) || document.hasPrefix($0) }
        let hint: String
        if !near.isEmpty {
            hint = "did you mean \(near.prefix(10).joined(separator: ", "))?"
        } else if ids.count <= 20, !ids.isEmpty {
            hint = "the catalog has \(ids.joined(separator: ", "))"
        } else {
            hint = "`spscan query COMPETENCY` and `spscan search TEXT` show document ids"
        }
        return "unknown document '\(document)' in the catalog; \(hint)"
    }
}
