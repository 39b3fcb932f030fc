import ArgumentParser

struct Index: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Rebuild the catalog from Corpus/, Sources.yaml, Framework.yaml and the review file.",
        discussion: """
            Examples:
              spscan index
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "index", issue: 6)
    }
}
