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
              spscan report --format pdf --output report.pdf
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "file"))
    var output: String?

    @Option(help: "html: one self-contained page; pdf: that page printed by headless Chromium (A4 landscape).")
    var format: ReportFormat = .html

    @OptionGroup var filters: FilterOptions

    @Option(help: .hidden)
    var documents: String?

    func run() async throws {
        let output = self.output ?? "report.\(format.rawValue)"
        try checkExtension(output, format: format.rawValue, accepts: format == .pdf ? ["pdf"] : ["html", "htm"])
        let (registry, framework) = try ProjectValidator.load(project.paths)
        let loaded = try loadDocuments(documents, paths: project.paths, evidence: .all)
        let filter = try filters.filter(known: FilterVocabulary(documents: loaded).naming(registry.institutions))
        // Documents read from a file come from no scan and carry their tags as they are; a catalog's come with its
        // latest scan, the decisions it applied and its history.
        let catalog = documents == nil ? try CatalogAccess.open(project.paths) : nil
        let html = CoverageOutput.report(
            documents: loaded, framework: framework, registeredSources: registry.sources.count, filter: filter,
            stamp: try catalog.map { try ScanStamp(catalog: $0) } ?? ScanStamp(scannedAt: nil, scan: nil),
            reviews: try catalog?.reviews() ?? [], quality: try TaggingQuality.load(from: project.paths.taggingQuality),
            history: try catalog.map { try CoverageHistory(catalog: $0, framework: framework) })
        let what = "report (\(filter.apply(loaded).count) documents)"
        guard format == .pdf else { return try emit(Data(html.utf8), to: output, what: what) }
        try PDFPrinter.print(html: html, to: URL(fileURLWithPath: output))
        printError("wrote \(output): \(what), as PDF")
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case html
    case pdf
}
