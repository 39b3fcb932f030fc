import ArgumentParser

struct Robots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robots",
        abstract: "Say whether a URL may be fetched under a robots.txt, and which rule decided.",
        discussion: """
            Examples:
              spscan robots --robots robots.txt --agent spscan https://example.org/training
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "robots", issue: 3)
    }
}
