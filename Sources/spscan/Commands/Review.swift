import ArgumentParser
import Foundation
import SPScan
import SPScanModel

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record a human decision on a tag: accept, reject, or clear it.",
        discussion: """
            The decision is written to Reviews.yaml beside Sources.yaml (sorted, one entry per tag, with who \
            decided and when; safe to edit by hand and to keep in git) and applied to the catalog at once. It \
            overrides the tagger in every query, matrix and report, and survives re-scans and `spscan index`. A \
            new decision on the same tag replaces the old one; --clear removes it, so the tagger decides again.

            The file is locked while it is read, merged and written, so a review from the command line and one \
            from the web page (`spscan serve`) at the same moment are both kept.

            Examples:
              spscan review ca-cisp-framework IS-5 --accept --note "checked module 3"
              spscan review gb-nasp-guide CE-7 --reject --note "mentions it only in the fees section"
              spscan review gb-nasp-guide CE-7 --clear
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

    @Flag(help: "Remove the decision on this tag: the tagger decides again.")
    var clear = false

    @Option(help: ArgumentHelp("Why, in a few words (kept in Reviews.yaml).", valueName: "text"))
    var note: String?

    @Option(help: ArgumentHelp("Who decided (kept in Reviews.yaml; default: git's user.name).", valueName: "name"))
    var reviewer: String?

    func validate() throws {
        guard [accept, reject, clear].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --accept, --reject or --clear")
        }
    }

    func run() async throws {
        _ = project.bootstrapLogging()
        let paths = project.paths
        let framework = try CatalogAccess.framework(paths)
        let catalog = try CatalogAccess.open(paths)
        let request = ReviewRequest(
            document: document, competency: competency, verdict: clear ? nil : (accept ? .accept : .reject), note: note,
            reviewer: reviewer ?? Reviews.defaultReviewer(in: paths.sources.deletingLastPathComponent()))
        let outcome = try Reviews.record(request, file: paths.reviews, framework: framework, catalog: catalog)
        print(Self.text(outcome))
    }

    /// What the decision changed, in the words a reviewer needs.
    static func text(_ outcome: ReviewOutcome) -> String {
        let verb =
            switch outcome.decision?.verdict {
            case .accept: "accepted"
            case .reject: "rejected"
            case nil: "decision cleared"
            }
        let who = outcome.decision?.reviewer.map { " by \($0)" } ?? ""
        var lines = [
            "\(outcome.document) \(outcome.competency) (\(outcome.competencyName)): \(verb)\(who); written to \(outcome.writtenTo)."
        ]
        switch (outcome.countedBefore, outcome.countsNow) {
        case (false, true): lines.append("It did not count before; it now counts\(outcome.decision == nil ? "" : ", with score 1").")
        case (true, false): lines.append("It counted before; it no longer does.")
        default:
            lines.append(
                outcome.decision == nil
                    ? "It counts as the tagger found it."
                    : "It counted the same way before; the decision now keeps it so after every scan.")
        }
        return lines.joined(separator: "\n")
    }
}
