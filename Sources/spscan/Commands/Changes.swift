import ArgumentParser

struct Changes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Show what changed since the previous scan.",
        discussion: """
            Examples:
              spscan changes
              spscan changes --since 2026-11-01
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "changes", issue: 6)
    }
}
