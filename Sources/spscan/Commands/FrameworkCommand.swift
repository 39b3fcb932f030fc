import ArgumentParser
import Foundation
import SPScan
import SPScanMatch
import SPScanModel

struct FrameworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "Show the framework, list its terms, export it to or import it from 1EdTech CASE 1.1 JSON.",
        discussion: """
            Examples:
              spscan framework show
              spscan framework show --format json
              spscan framework terms --format json
              spscan framework export --format case --output framework-case.json
              spscan framework import opensalt-export.json --output Framework.yaml
            """,
        subcommands: [Show.self, Terms.self, Export.self, Import.self],
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
            let lists = try DocumentTagging.compiledTerms(framework: project.paths.framework)
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

extension FrameworkCommand {
    enum ExportShape: String, ExpressibleByArgument, CaseIterable {
        case `case`
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the framework as a 1EdTech CASE 1.1 package (CFPackage JSON).",
            discussion: """
                One CFDocument, a CFItem per domain and competency (humanCodingScheme the id, fullStatement the \
                name, notes the description, French names as CFItems in language fr joined by isTranslationOf), \
                and isChildOf associations for the tree. Identifiers are the `uuid:` keys of Framework.yaml (or \
                derived from the ids when absent), so the same file always exports to the same bytes. The \
                vocabulary stays in Framework.yaml: CASE has no place for it.
                """
        )

        @OptionGroup var project: ProjectOptions

        @Option(help: "The export format: case (1EdTech CASE 1.1 JSON).")
        var format: ExportShape = .case

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() async throws {
            _ = project.bootstrapLogging()
            let framework = try FrameworkLoader.load(
                from: project.paths.framework, displayPath: ProjectPaths.display(project.paths.framework))
            let package = framework.casePackage()
            try emit(
                try package.jsonData(), to: output,
                what: "CASE package (\(framework.domains.count) domains, \(framework.competencies.count) competencies)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a 1EdTech CASE 1.0 or 1.1 package into a Framework.yaml without vocabulary.",
            discussion: """
                The items directly under the CFDocument become domains and the leaves below each its \
                competencies, however deep the tree; groups in between are named in the competencies' \
                descriptions. Ids come from humanCodingScheme when it has spscan's shape (IS, IS-1), otherwise \
                from the names, and the original code is kept as `code:`. The competencies have no vocabulary: \
                add terms to each, and `spscan validate` lists those still missing.
                """
        )

        @OptionGroup var project: ProjectOptions

        @Argument(help: ArgumentHelp("The CASE package (JSON).", valueName: "file"))
        var file: String

        @Option(
            name: .shortAndLong,
            help: ArgumentHelp("Where to write the framework (default: the --framework path; - for standard output).", valueName: "file"))
        var output: String?

        @Flag(help: "Replace the output file when it exists.")
        var force = false

        func run() async throws {
            _ = project.bootstrapLogging()
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandProblem.badInput("cannot read \(file): no such file or not readable")
            }
            let imported = try CASEImport.read(data, file: file)
            let framework = imported.framework
            let text = FrameworkWriter.yaml(
                framework,
                header: [
                    "Imported by `spscan framework import` from the CASE package \(framework.uuid ?? framework.id).",
                    "No competency has a vocabulary yet: add terms under `terms: {en: [...], fr: [...]}` to each;",
                    "`spscan validate` lists those still missing. Keep the `uuid` keys: they are the CASE identifiers.",
                ])
            let target = output ?? project.framework
            if target == "-" {
                FileHandle.standardOutput.write(Data(text.utf8))
            } else {
                if FileManager.default.fileExists(atPath: target), !force {
                    throw CommandProblem.badInput("\(target) exists; choose another --output, or add --force to replace it")
                }
                try emit(Data(text.utf8), to: target, what: "framework \(framework.id)")
            }
            var summary = [
                "imported \(framework.domains.count) domains and \(framework.competencies.count) competencies from \(file)"
            ]
            if imported.translations > 0 { summary.append("\(imported.translations) French names read from isTranslationOf items") }
            if imported.foldedGroups > 0 {
                summary.append("\(imported.foldedGroups) grouping items below the domains named in their competencies' descriptions")
            }
            if imported.otherAssociations > 0 {
                summary.append("\(imported.otherAssociations) associations other than isChildOf and isTranslationOf left out")
            }
            summary.append(
                "no competency has a vocabulary yet, so none can be tagged: add terms to each; `spscan validate` lists them")
            printError(summary.joined(separator: "\n"))
        }
    }
}
