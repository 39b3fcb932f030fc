import ArgumentParser

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the extracted main text of files or URLs.",
        discussion: """
            Examples:
              spscan extract page.html
              spscan extract curriculum.pdf --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "extract", issue: 5)
    }
}
