import ArgumentParser
import Foundation
import SPScan
import SPScanModel

/// The `spscan` root command: declares the subcommands and maps every outcome to an exit code in one place.
///
/// Exit codes: 0 success; 1 the command ran but some work failed; 2 bad input or configuration (nothing was
/// changed). swift-argument-parser exits 64 on usage errors, so `main` maps those to 2 itself.
@main
struct SPScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spscan",
        abstract: "Environmental scan and curriculum mapping for social prescribing link worker training.",
        discussion: """
            spscan fetches the training and competency documents listed in Sources.yaml, keeps every snapshot \
            in Corpus/, tags each document against the competencies of Framework.yaml with the passages that \
            justify each tag, and shows coverage by institution, target group, country and document kind.

            Exit codes: 0 success; 1 some work failed (the summary says which); 2 bad input or configuration.
            """,
        version: SPScanVersion.current,
        subcommands: [
            Scan.self, Validate.self, Extract.self, Tag.self, Query.self, Search.self, Matrix.self,
            Changes.self, Report.self, Serve.self, Robots.self, FrameworkCommand.self, Index.self, Review.self,
            Corpus.self, Diff.self, Trend.self, SourcesCommand.self, Init.self,
        ]
    )

    static func main() async {
        if let message = FileArguments.misreadAsOption(Array(CommandLine.arguments.dropFirst())) {
            printError("error: \(message)")
            Foundation.exit(ExitStatus.badInput)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Console.standardError.finish()
        } catch {
            exitMapped(error)
        }
    }

    /// Prints an error the way a user can act on it and exits with the documented code.
    static func exitMapped(_ error: Error) -> Never {
        switch error {
        case let validation as ConfigurationError:
            printError(validation.localizedDescription)
            Foundation.exit(ExitStatus.badInput)
        case let problem as CommandProblem:
            printError("error: \(problem.localizedDescription)")
            Foundation.exit(problem.exitStatus)
        case let code as ExitCode:
            Foundation.exit(code.rawValue)
        case let classified as any ClassifiedError & LocalizedError:
            printError("error: \(classified.errorDescription ?? "\(classified)")")
            Foundation.exit(classified.isBadInput ? ExitStatus.badInput : ExitStatus.someWorkFailed)
        default:
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version: ArgumentParser's clean exits.
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(ExitStatus.badInput)
            }
            if let localized = error as? LocalizedError, let description = localized.errorDescription {
                printError("error: \(description)")
            } else {
                printError(fullMessage(for: error))
            }
            Foundation.exit(ExitStatus.someWorkFailed)
        }
    }
}

enum ExitStatus {
    static let someWorkFailed: Int32 = 1
    static let badInput: Int32 = 2
}

/// A problem a command reports itself, with the exit code it stands for.
enum CommandProblem: Error, LocalizedError, Equatable {
    /// Bad input or configuration: nothing was changed (exit 2).
    case badInput(String)
    /// The command ran but some of its work failed (exit 1).
    case someWorkFailed(String)

    var exitStatus: Int32 {
        switch self {
        case .badInput: ExitStatus.badInput
        case .someWorkFailed: ExitStatus.someWorkFailed
        }
    }

    var errorDescription: String? {
        switch self {
        case .badInput(let message), .someWorkFailed(let message):
            message
        }
    }
}

func printError(_ text: String) {
    // Through the console, so that a status line still showing is cleared rather than run into.
    Console.standardError.line(text.hasSuffix("\n") ? String(text.dropLast()) : text)
}
