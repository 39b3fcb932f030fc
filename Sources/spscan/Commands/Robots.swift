import ArgumentParser
import Foundation
import SPScan
import SPScanModel

struct Robots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "robots",
        abstract: "Say whether a URL may be fetched under a robots.txt, and which rule decided.",
        discussion: """
            Follows RFC 9309: the longest matching rule wins, Allow wins a tie, `*` and `$` patterns, \
            percent-encoding normalised. Exit 0 whether the URL is allowed or not.

            Examples:
              spscan robots --robots robots.txt --agent spscan https://example.org/training
              spscan robots --robots robots.txt --agent spscan https://example.org/private --format json
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("The robots.txt file to read.", valueName: "file"))
    var robots: String

    @Option(help: ArgumentHelp("The crawler's user agent (its product token is matched).", valueName: "name"))
    var agent: String = "spscan"

    @Argument(help: "The URL to check.")
    var url: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        guard let target = URL(string: url), target.scheme != nil else {
            throw CommandProblem.badInput("'\(url)' is not an absolute URL; write it as https://host/path")
        }
        let verdict = try RobotsCheck.decide(robotsFile: URL(fileURLWithPath: robots), agent: agent, url: target)
        if let note = RobotsCheck.truncationNote(robotsFile: URL(fileURLWithPath: robots)) { printError("warning: \(robots): \(note)") }
        switch format {
        case .json:
            print(try JSONStyle.line(verdict))
        case .text:
            let rule = verdict.rule.map { "by \"\($0)\"" } ?? "(no rule matches)"
            print("\(verdict.allowed ? "allowed" : "disallowed") \(rule)")
        }
    }
}
