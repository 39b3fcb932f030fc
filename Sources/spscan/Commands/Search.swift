import ArgumentParser

struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over passages.",
        discussion: """
            Examples:
              spscan search "motivational interviewing"
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "search", issue: 6)
    }
}
