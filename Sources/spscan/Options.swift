import ArgumentParser
import Foundation
import Logging
import SPScan

/// The options every command takes: where the project's files are, and how much to log.
struct ProjectOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The source registry.", valueName: "path"))
    var sources: String = "Sources.yaml"

    @Option(help: ArgumentHelp("The competency framework.", valueName: "path"))
    var framework: String = "Framework.yaml"

    @Option(help: ArgumentHelp("The snapshot store.", valueName: "dir"))
    var corpus: String = "Corpus"

    @Option(help: ArgumentHelp("The SQLite catalog (derived; rebuilt by `spscan index`).", valueName: "path"))
    var catalog: String = ".spscan/catalog.sqlite"

    @Flag(name: .shortAndLong, help: "Log more detail to standard error.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Log only errors to standard error.")
    var quiet = false

    func validate() throws {
        if verbose && quiet {
            throw ArgumentParser.ValidationError("--verbose and --quiet cannot be used together; choose one")
        }
    }

    var paths: ProjectPaths {
        ProjectPaths(
            sources: URL(fileURLWithPath: sources),
            framework: URL(fileURLWithPath: framework),
            corpus: URL(fileURLWithPath: corpus, isDirectory: true),
            catalog: URL(fileURLWithPath: catalog)
        )
    }

    /// Sends logs to standard error at the chosen level (a status line on a terminal, see `ConsoleLogHandler`);
    /// standard output stays for results.
    func bootstrapLogging() -> Logger {
        let level: Logger.Level = verbose ? .debug : (quiet ? .error : .info)
        let console = Console.standardError
        console.verbose = verbose
        LoggingSystem.bootstrap { _ in ConsoleLogHandler(level: level, console: console) }
        return Logger(label: "spscan")
    }
}

/// Output shapes shared by the commands that print results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
