import ArgumentParser

struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "List the documents that cover a competency, best first, with evidence.",
        discussion: """
            Examples:
              spscan query IS-5
              spscan query CE-7 --country CA --target-group volunteers --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "query", issue: 6)
    }
}
