import ArgumentParser
import Foundation
import SPScan
import SPScanModel

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record a human decision on a tag (accept, reject, clear) or on a document's scope.",
        discussion: """
            The decision is written to Reviews.yaml beside Sources.yaml (sorted, one entry per tag, with who \
            decided and when; safe to edit by hand and to keep in git) and applied to the catalog at once. It \
            overrides the tagger in every query, matrix and report, and survives re-scans and `spscan index`. A \
            new decision on the same tag replaces the old one; --clear removes it, so the tagger decides again.

            Without a competency, the decision is on the document's scope: --in-scope counts a document the \
            judgement left out of coverage, --out-of-scope leaves one out, and --clear lets the judgement decide \
            again.

            The file is locked while it is read, merged and written, so a review from the command line and one \
            from the web page (`spscan serve`) at the same moment are both kept.

            Examples:
              spscan review ca-cisp-framework IS-5 --accept --note "checked module 3"
              spscan review gb-nasp-guide CE-7 --reject --note "mentions it only in the fees section"
              spscan review gb-nasp-guide CE-7 --clear
              spscan review gb-nasp-guide~1a2b3c4d --out-of-scope --note "a press release"
              spscan review gb-nasp-guide~1a2b3c4d --clear
            """
    )

    @OptionGroup var project: ProjectOptions

    @Argument(help: ArgumentHelp("The document id, as `spscan query` and `spscan search` show it.", valueName: "document"))
    var document: String

    @Argument(
        help: ArgumentHelp(
            "The competency id from Framework.yaml, e.g. IS-5; omit it with --in-scope, --out-of-scope or --clear to decide the document's scope.",
            valueName: "competency"))
    var competency: String?

    @Flag(help: "The document does cover the competency.")
    var accept = false

    @Flag(help: "The document does not cover the competency, whatever the tagger found.")
    var reject = false

    @Flag(help: "Remove the decision on this tag (or, without a competency, on the scope): the tagger decides again.")
    var clear = false

    @Flag(help: "The document belongs to the field: count it in coverage, whatever the scope judgement said.")
    var inScope = false

    @Flag(help: "The document does not belong to the field: leave it out of coverage (its tags stay in the catalog).")
    var outOfScope = false

    @Option(help: ArgumentHelp("Why, in a few words (kept in Reviews.yaml).", valueName: "text"))
    var note: String?

    @Option(help: ArgumentHelp("Who decided (kept in Reviews.yaml; default: git's user.name).", valueName: "name"))
    var reviewer: String?

    func validate() throws {
        if competency == nil {
            guard [inScope, outOfScope, clear].filter({ $0 }).count == 1, !accept, !reject else {
                throw ValidationError(
                    "give a competency with --accept, --reject or --clear, or no competency with --in-scope, --out-of-scope or --clear")
            }
            return
        }
        guard !inScope, !outOfScope else {
            throw ValidationError("--in-scope and --out-of-scope decide a document's scope: leave out the competency")
        }
        guard [accept, reject, clear].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --accept, --reject or --clear")
        }
    }

    func run() async throws {
        _ = project.bootstrapLogging()
        let paths = project.paths
        let framework = try CatalogAccess.framework(paths)
        let catalog = try CatalogAccess.open(paths)
        let verdict: ReviewDecision.Verdict? = clear ? nil : (accept || inScope ? .accept : .reject)
        let request = ReviewRequest(
            document: document, competency: competency ?? ReviewDecision.scopeSubject, verdict: verdict, note: note,
            reviewer: reviewer ?? Reviews.defaultReviewer(in: paths.sources.deletingLastPathComponent()))
        let outcome = try Reviews.record(request, file: paths.reviews, framework: framework, catalog: catalog)
        print(competency == nil ? Self.scopeText(outcome) : Self.text(outcome))
    }

    /// What a decision on scope changed.
    static func scopeText(_ outcome: ReviewOutcome) -> String {
        let verb =
            switch outcome.decision?.verdict {
            case .accept: "judged in scope"
            case .reject: "judged out of scope"
            case nil: "scope decision cleared"
            }
        let who = outcome.decision?.reviewer.map { " by \($0)" } ?? ""
        let effect =
            switch (outcome.countedBefore, outcome.countsNow) {
            case (false, true): "It was left out of coverage; it now counts."
            case (true, false): "It counted in coverage; it is now left out (its tags stay in the catalog)."
            case (true, true): "It counts in coverage, as before."
            case (false, false): "It is left out of coverage, as before."
            }
        return "\(outcome.document): \(verb)\(who); written to \(outcome.writtenTo).\n\(effect)"
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
