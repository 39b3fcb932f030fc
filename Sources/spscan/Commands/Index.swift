import ArgumentParser
import Foundation
import SPScan

struct Index: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Rebuild the catalog from Corpus/, Sources.yaml, Framework.yaml and the review file.",
        discussion: """
            The catalog is derived: deleting it and running `spscan index` gives the same documents, tags and \
            coverage. Nothing is fetched. Exit 1 if any snapshot could not be extracted.

            Examples:
              spscan index
              spscan index --catalog /tmp/check.sqlite --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let logger = project.bootstrapLogging()
        let report: IndexReport = try await Pipeline.index(paths: project.paths, logger: logger)
        Console.standardError.finish()
        switch format {
        case .json:
            print(try report.jsonString())
        case .text:
            print(
                "Indexed \(report.sources) sources: \(report.documents.processed) documents extracted and tagged, "
                    + "\(report.documents.failed) could not be extracted.")
            for failure in report.failures {
                print("  not extracted: \(failure.documentID) (\(failure.url)): \(failure.error)")
            }
            if let coverage = report.coverage { print(coverage.text) }
        }
        if !report.failures.isEmpty { throw ExitCode(ExitStatus.someWorkFailed) }
    }
}
