import ArgumentParser

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web page and JSON API on 127.0.0.1; optionally scan on a schedule.",
        discussion: """
            Examples:
              spscan serve
              spscan serve --port 8080 --scan-every 24h
            """
    )

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        throw CommandProblem.notBuiltYet(command: "serve", issue: 7)
    }
}
