import ArgumentParser
import Foundation
import SPScan
import SPScanModel

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Import sources into Sources.yaml from a CSV or XLSX spreadsheet, or export the registry to one.",
        discussion: """
            The spreadsheet has a header row naming the registry's fields (id, url, title, country, region, \
            institution, institution_note, institution_type, kind, target_groups, populations, language, format, \
            year, schedule, notes, follow_depth, follow_include, follow_exclude, follow_same_site, follow_types, \
            follow_max_documents) and a row per source; lists are separated by `;`. Sources.yaml stays the one \
            place the registry lives: an import edits it in place, keeping its comments and order.

            Examples:
              spscan sources export --format csv --output sources.csv
              spscan sources import sources.csv --dry-run
              spscan sources import sources.xlsx
            """,
        subcommands: [Import.self, Export.self]
    )

    enum SheetFormat: String, ExpressibleByArgument, CaseIterable {
        case csv
        case xlsx
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the registry as CSV or XLSX: a header row, then one row per source in file order.")

        @OptionGroup var project: ProjectOptions

        @Option(help: "csv or xlsx (default: from --output's extension, else csv).")
        var format: SheetFormat?

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() async throws {
            _ = project.bootstrapLogging()
            let chosen = format ?? output.flatMap { SheetFormat(rawValue: URL(fileURLWithPath: $0).pathExtension.lowercased()) } ?? .csv
            if chosen == .xlsx && output == nil {
                throw CommandProblem.badInput("--format xlsx writes a binary workbook; add --output FILE.xlsx")
            }
            let registry = try RegistryLoader.load(from: project.paths.sources, displayPath: ProjectPaths.display(project.paths.sources))
            let data = try RegistrySpreadsheet.export(registry, format: chosen == .csv ? .csv : .xlsx)
            try emit(data, to: output, what: "\(registry.sources.count) sources")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the rows of a CSV or XLSX file into Sources.yaml, every row checked first.",
            discussion: """
                A row whose id is already in Sources.yaml updates that source's columns (an empty cell removes an \
                optional field); any other row is added at the end. Every problem is reported with its row and \
                column, and nothing is written unless every row is valid. --dry-run checks and reports without \
                writing.
                """
        )

        @OptionGroup var project: ProjectOptions

        @Argument(help: ArgumentHelp("The spreadsheet (.csv or .xlsx).", valueName: "file"))
        var file: String

        @Flag(help: "Check every row and say what would change, without writing Sources.yaml.")
        var dryRun = false

        func run() async throws {
            _ = project.bootstrapLogging()
            let table = try RegistrySpreadsheet.read(URL(fileURLWithPath: file))
            let sourcesPath = ProjectPaths.display(project.paths.sources)
            guard let data = FileManager.default.contents(atPath: project.paths.sources.path),
                let text = String(data: data, encoding: .utf8)
            else {
                throw CommandProblem.badInput("cannot read \(sourcesPath); create it with `spscan init` or point --sources at it")
            }
            let merge = RegistrySheet.merge(table, into: text, file: sourcesPath)
            for problem in merge.problems { printError("\(file): \(problem)") }
            if merge.hasErrors {
                let count = merge.problems.count { $0.severity == .error }
                throw CommandProblem.badInput("\(count) problem\(count == 1 ? "" : "s") in \(file); nothing was written to \(sourcesPath)")
            }
            let summary =
                "\(merge.added.count) added, \(merge.updated.count) updated, \(merge.unchanged) unchanged"
            if dryRun {
                print("\(file): every row is valid; would write \(sourcesPath): \(summary)")
                return
            }
            if merge.text != text {
                do {
                    try Data(merge.text.utf8).write(to: project.paths.sources, options: .atomic)
                } catch {
                    throw CommandProblem.badInput("cannot write \(sourcesPath): \(error.localizedDescription)")
                }
            }
            print("\(sourcesPath): \(summary)")
        }
    }
}
