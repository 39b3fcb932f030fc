import ArgumentParser
import Foundation
import SPScan

struct Corpus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Manage the snapshot store in Corpus/.",
        subcommands: [ImportSamples.self]
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
            let report: SampleImportReport
            do {
                report = try SampleImporter.importSamples(from: URL(fileURLWithPath: folder), paths: project.paths)
            } catch let error as ScanError where error.isBadInput {
                throw CommandProblem.badInput(error.errorDescription ?? "\(error)")
            }
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
}
