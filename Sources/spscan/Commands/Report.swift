import ArgumentParser

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report: heatmap, gaps, evidence.",
        discussion: """
            Examples:
              spscan report --output report.html
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "report", issue: 6)
    }
}
