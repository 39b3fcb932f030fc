import ArgumentParser
import Foundation
import SPScan

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a new project: a commented Sources.yaml, the framework, an empty Reviews.yaml and a .gitignore.",
        discussion: """
            Writes Sources.yaml with two example sources to replace, the shipped Framework.yaml, an empty \
            Reviews.yaml and a .gitignore for the derived catalog (.spscan/). It refuses to overwrite any of \
            them. Then: edit Sources.yaml, run `spscan validate`, then `spscan scan`.

            Examples:
              spscan init
              spscan init my-scan
            """
    )

    @Argument(help: ArgumentHelp("The folder to start the project in (created when missing).", valueName: "dir"))
    var directory: String = "."

    func run() async throws {
        let written: [String] = try ProjectStarter.start(in: URL(fileURLWithPath: directory, isDirectory: true))
        let place = directory == "." ? "" : "\(directory)/"
        printError(written.map { "wrote \(place)\($0)" }.joined(separator: "\n"))
        let next = directory == "." ? "" : "cd \(directory), then "
        printError("next: \(next)edit Sources.yaml and run `spscan validate`, then `spscan scan`")
    }
}
