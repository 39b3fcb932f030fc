import ArgumentParser
import Foundation
import SPScan
import SPScanFetch

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show, word by word, how a document's text changed between two versions.",
        discussion: """
            Compares the extracted text of two versions of a document (a version is a scan in which its text \
            was new or changed): added words are marked {+like this+}, removed ones [-like this-] (in colour on \
            a terminal), and unchanged text is folded to a few words around each change. When only the layout \
            moved (line breaks, paragraphs) it says so.

            A version is its number (1 is the first; see `--format json` or the web page), `latest`, a snapshot \
            hash prefix, or a date (the version current then): 2026-11-01, yesterday, 7d. Without --to, the \
            latest version; without --from, the version before --to.

            Examples:
              spscan diff ca-cisp-framework
              spscan diff ca-cisp-framework --from 1 --to 3
              spscan diff gb-nasp-guide --from 30d --format html > diff.html
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case html
    }

    @OptionGroup var project: ProjectOptions

    @Argument(help: ArgumentHelp("The document id, as `spscan query` shows it.", valueName: "document"))
    var document: String

    @Option(help: ArgumentHelp("The older version: a number, a snapshot hash or a date.", valueName: "version|date"))
    var from: String?

    @Option(help: ArgumentHelp("The newer version (default: the latest).", valueName: "version|date"))
    var to: String?

    @Option(help: "text: marked words; json: segments for scripts; html: a fragment with <ins> and <del>.")
    var format: Format = .text

    func run() async throws {
        _ = project.bootstrapLogging()
        let catalog = try CatalogAccess.open(project.paths)
        let history = DocumentHistory(catalog: catalog, store: try SnapshotStore(corpus: project.paths.corpus))
        let diff: DocumentDiff = try history.diff(documentID: document, from: from, to: to)
        switch format {
        case .text: print(DiffOutput.text(diff, color: isatty(STDOUT_FILENO) == 1))
        case .json: print(try DiffOutput.JSON(diff).jsonString())
        case .html: print(DiffOutput.html(diff))
        }
    }
}
