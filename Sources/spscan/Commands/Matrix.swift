import ArgumentParser

struct Matrix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Print or export the coverage matrix and its gaps.",
        discussion: """
            Examples:
              spscan matrix --rows institution --cols domain
              spscan matrix --rows country --format xlsx --output coverage.xlsx
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "matrix", issue: 6)
    }
}
