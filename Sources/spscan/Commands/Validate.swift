import ArgumentParser
import Foundation
import SPScan
import SPScanModel

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check Sources.yaml and Framework.yaml; report every problem with file, line and column.",
        discussion: """
            Examples:
              spscan validate
              spscan validate --sources other/Sources.yaml --format json

            Exits 0 when both files are valid (warnings may still be printed) and 2 when either has errors.
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "text: one line per problem; json: {\"valid\", \"sources\", \"competencies\", \"diagnostics\"}.")
    var format: OutputFormat = .text

    func run() async throws {
        _ = project.bootstrapLogging()
        let report = ProjectValidator.validate(project.paths)
        switch format {
        case .json:
            print(try ValidateOutput(report).jsonString())
        case .text:
            for diagnostic in report.diagnostics { printError(diagnostic.description) }
            if !report.hasErrors, let registry = report.registry, let framework = report.framework {
                let sourcesPath = ProjectPaths.display(project.paths.sources)
                let frameworkPath = ProjectPaths.display(project.paths.framework)
                print("\(sourcesPath): \(registry.sources.count) sources in \(Set(registry.sources.map(\.country)).count) countries: OK")
                let untermed = framework.competencies.filter { !$0.hasVocabulary }.map(\.id)
                let missing =
                    untermed.isEmpty
                    ? "" : " (\(untermed.count) without vocabulary yet, never tagged: \(untermed.joined(separator: ", ")))"
                print("\(frameworkPath): \(framework.domains.count) domains, \(framework.competencies.count) competencies: OK\(missing)")
            }
        }
        if report.hasErrors {
            let count = report.diagnostics.count { $0.severity == .error }
            if format == .text { printError("\(count) error\(count == 1 ? "" : "s") found; fix them and run `spscan validate` again.") }
            throw ExitCode(ExitStatus.badInput)
        }
    }
}

struct ValidateOutput: Encodable {
    var valid: Bool
    var sources: Int
    var competencies: Int
    var diagnostics: [Entry]

    struct Entry: Encodable {
        var severity: String
        var file: String?
        var line: Int?
        var column: Int?
        var message: String
    }

    init(_ report: ValidationReport) {
        valid = !report.hasErrors
        sources = report.registry?.sources.count ?? 0
        competencies = report.framework?.competencies.count ?? 0
        diagnostics = report.diagnostics.map {
            Entry(
                severity: $0.severity.rawValue, file: $0.location?.file, line: $0.location?.line,
                column: $0.location?.column, message: $0.message)
        }
    }
}
