import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report: heatmap, gaps, evidence.",
        discussion: """
            One HTML file that opens without a network: summary figures, the coverage heatmaps by institution, \
            target group and country, the gaps, and for each competency the documents that cover it with the \
            passages that justify it. Tables sort on a click and filter as you type.

            Examples:
              spscan report --output report.html
              spscan report --country CA --output canada.html
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output: String = "report.html"

    @OptionGroup var filters: FilterOptions

    @Option(help: .hidden)
    var documents: String?

    func run() async throws {
        let (registry, framework) = try ProjectValidator.load(project.paths)
        let loaded = try coverageCall { try loadDocuments(documents, paths: project.paths, evidence: .all) }
        let filter = try filters.filter(known: FilterVocabulary(documents: loaded).naming(registry.institutions))
        let html = CoverageOutput.report(
            documents: loaded, framework: framework, registeredSources: registry.sources.count, filter: filter)
        try emit(Data(html.utf8), to: output, what: "report (\(filter.apply(loaded).count) documents)")
    }
}
