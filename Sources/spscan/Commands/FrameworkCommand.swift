import ArgumentParser
import Foundation
import SPScan
import SPScanModel

struct FrameworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "Show the framework, list its terms, import or export 1EdTech CASE JSON.",
        discussion: """
            Examples:
              spscan framework show
              spscan framework show --format json
            """,
        subcommands: [Show.self],
        defaultSubcommand: Show.self
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the domains and competencies.")

        @OptionGroup var project: ProjectOptions

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            _ = project.bootstrapLogging()
            let framework = try FrameworkLoader.load(
                from: project.paths.framework,
                displayPath: ProjectPaths.display(project.paths.framework))
            switch format {
            case .json:
                print(try framework.jsonString())
            case .text:
                print("\(framework.title) (\(framework.version))")
                for domain in framework.domains {
                    print("\n\(domain.id)  \(domain.name)")
                    for competency in domain.competencies {
                        let count = competency.terms.values.map(\.count).reduce(0, +)
                        print("  \(competency.id.padding(toLength: 6, withPad: " ", startingAt: 0)) \(competency.name)  [\(count) terms]")
                    }
                }
            }
        }
    }
}
