import ArgumentParser
import Foundation
import SPScan
import SPScanMatch
import SPScanModel

struct FrameworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "Show the framework, list its terms, import or export 1EdTech CASE JSON.",
        discussion: """
            Examples:
              spscan framework show
              spscan framework show --format json
              spscan framework terms --format json
            """,
        subcommands: [Show.self, Terms.self],
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

    struct Terms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every compiled term per competency, as the matcher sees it (normalised stems).",
            discussion: """
                Each vocabulary entry of Framework.yaml appears with the stems the matcher looks for. A hyphenated \
                or accented term is compiled in several forms (joined and split, with and without accents). A \
                term other competencies also list shares its weight with them.
                """
        )

        @OptionGroup var project: ProjectOptions

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() async throws {
            _ = project.bootstrapLogging()
            let lists: [CompiledTermList]
            do {
                lists = try DocumentTagging.compiledTerms(framework: project.paths.framework)
            } catch let error as MatchError {
                throw CommandProblem.badInput(error.localizedDescription)
            }
            switch format {
            case .json:
                print(try lists.jsonString())
            case .text:
                for list in lists {
                    print("\(list.competency)")
                    for term in list.terms {
                        let shared = term.sharedWith > 0 ? "  (shared with \(term.sharedWith) other)" : ""
                        let weight = term.weight == 1 ? "" : "  weight \(term.weight.formatted())"
                        print("  \(term.language.rawValue)  \(term.term)  →  \(term.stems.joined(separator: " "))\(weight)\(shared)")
                    }
                    for exclusion in list.exclusions {
                        print("  \(exclusion.language.rawValue)  exclude \(exclusion.term)  →  \(exclusion.stems.joined(separator: " "))")
                    }
                }
            }
        }
    }
}
