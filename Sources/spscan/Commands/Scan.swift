import ArgumentParser

struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Fetch every due source, store snapshots, extract, tag and index; print a summary.",
        discussion: """
            Examples:
              spscan scan
              spscan scan --offline
              spscan scan --only ca-cisp-framework gb-nhse-workforce-framework --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "scan", issue: 3)
    }
}
