import ArgumentParser
import Foundation
import SPScan

struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Fetch every due source, store snapshots, extract, tag and index; print a summary.",
        discussion: """
            Progress goes to standard error, one line per source; the summary (or, with --format json, the \
            report) goes to standard output. Exit 1 if any source failed; its earlier snapshot stays current.

            --due is for a scheduler (cron, a systemd timer): it fetches only the sources whose `schedule:` in \
            Sources.yaml says they are due, counted from their last capture in the corpus; sources without a \
            schedule are fetched on every run.

            Examples:
              spscan scan
              spscan scan --due --quiet
              spscan scan --offline
              spscan scan --only ca-cisp-framework gb-nhse-workforce-framework --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Fetch nothing; use the last snapshot of each source.")
    var offline = false

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Scan only these sources.", valueName: "id"))
    var only: [String] = []

    @Flag(help: "Allow private, loopback and link-local addresses for every source.")
    var allowPrivate = false

    @Flag(help: "Fetch only the sources whose schedule says they are due (for cron or a systemd timer).")
    var due = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let logger = project.bootstrapLogging()
        let options = ScanOptions(offline: offline, only: only, allowPrivate: allowPrivate, due: due)
        let report: ScanReport = try await Pipeline.scan(paths: project.paths, options: options, logger: logger)
        Console.standardError.finish()
        switch format {
        case .text: print(report.summary)
        case .json: print(try report.jsonString())
        }
        if report.hasFailures { throw ExitCode(ExitStatus.someWorkFailed) }
    }
}
