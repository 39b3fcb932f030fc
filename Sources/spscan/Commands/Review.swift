import ArgumentParser

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record a human decision on a tag: accept or reject.",
        discussion: """
            Examples:
              spscan review ca-cisp-framework IS-5 --accept --note "checked module 3"
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "review", issue: 6)
    }
}
