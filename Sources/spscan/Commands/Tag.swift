import ArgumentParser

struct Tag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Tag one document against the framework, with scores and evidence.",
        discussion: """
            Examples:
              spscan tag course.html --format json
              cat passage.txt | spscan tag -
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "tag", issue: 4)
    }
}
