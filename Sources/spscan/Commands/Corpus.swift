import ArgumentParser
import Foundation
import SPScan
import SPScanModel

struct Corpus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Manage the snapshot store in Corpus/.",
        subcommands: [ImportSamples.self, Prune.self]
    )

    struct ImportSamples: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-samples",
            abstract: "Import authored stand-ins (<source-id>.html|.pdf|.docx) as sample snapshots.",
            discussion: """
                Each file named after a source id in Sources.yaml is stored as a sample snapshot of that \
                source's URL, used when no capture exists (offline scans). Importing the same bytes again \
                changes nothing. Other files are skipped with a warning.

                Examples:
                  spscan corpus import-samples Samples
                """
        )

        @OptionGroup var project: ProjectOptions

        @Argument(help: ArgumentHelp("The folder of sample files.", valueName: "dir"))
        var folder: String

        func run() async throws {
            let report: SampleImportReport = try SampleImporter.importSamples(from: URL(fileURLWithPath: folder), paths: project.paths)
            for skipped in report.skipped {
                printError("warning: skipped \(skipped.file): \(skipped.reason)")
            }
            for item in report.imported {
                print("\(item.appended ? "imported" : "unchanged") \(item.file) → \(item.sourceID) (\(item.sha256.prefix(12)))")
            }
            let appended = report.imported.filter(\.appended).count
            print(
                "\(appended) sample\(appended == 1 ? "" : "s") imported, \(report.imported.count - appended) already present, \(report.skipped.count) skipped."
            )
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Remove old versions' snapshots from Corpus/, keeping the latest and the history of what changed.",
            discussion: """
                Deletes the stored bytes of old snapshots: those beyond the N most recent of each URL \
                (--keep-versions N), or those last seen before a time (--older-than 90d, or a date). Each URL's \
                latest snapshot is always kept. The text extracted from each removed snapshot is kept in \
                Corpus/pruned/, and the logs are not rewritten, so `spscan index`, `changes` and `diff` still \
                read every version; the prune is recorded in Corpus/prunes.jsonl. An interrupted prune is \
                finished by the next one.

                On a terminal the default is --dry-run (say what would go, change nothing); pass --no-dry-run \
                to prune. Elsewhere (cron, scripts) it prunes unless --dry-run is given.

                Examples:
                  spscan corpus prune --keep-versions 3
                  spscan corpus prune --older-than 180d --no-dry-run
                  spscan corpus prune --older-than 2026-01-01 --dry-run --format json
                """
        )

        @OptionGroup var project: ProjectOptions

        @Option(help: ArgumentHelp("Keep this many most recent snapshots of each URL.", valueName: "n"))
        var keepVersions: Int?

        @Option(help: ArgumentHelp("Remove snapshots last seen before this: 90d, 6mo, 2026-01-01.", valueName: "duration|date"))
        var olderThan: String?

        @Flag(inversion: .prefixedNo, help: "Only say what would be removed (the default on a terminal).")
        var dryRun: Bool?

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            _ = project.bootstrapLogging()
            let policy: PrunePolicy
            switch (keepVersions, olderThan) {
            case (let count?, nil): policy = .keepVersions(count)
            case (nil, let text?):
                guard let date = DateExpression.parse(text) else {
                    throw CommandProblem.badInput("--older-than '\(text)' is not a duration or a date; use e.g. 90d, 6mo, 1y or 2026-01-01")
                }
                policy = .olderThan(date)
            default:
                throw CommandProblem.badInput(
                    "say what to keep: --keep-versions N (e.g. 3) or --older-than DURATION (e.g. 180d), one of the two")
            }
            let report: PruneReport = try CorpusPrune.run(
                paths: project.paths, policy: policy, dryRun: dryRun ?? (isatty(STDOUT_FILENO) == 1))
            switch format {
            case .text: print(report.summary)
            case .json: print(try report.jsonString())
            }
        }
    }
}
