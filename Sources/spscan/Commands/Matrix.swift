import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel

struct Matrix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Print or export the coverage matrix and its gaps.",
        discussion: """
            Each cell counts the documents of a row that cover a domain or competency; a document for several \
            target groups counts in each. --gaps lists what no document covers instead, largest gap first.

            Examples:
              spscan matrix --rows institution --cols domain
              spscan matrix --rows target-group --cols competency --value share
              spscan matrix --rows country --format xlsx --output coverage.xlsx
              spscan matrix --rows country --gaps --country CA --country IE
              spscan matrix --format case --output alignments.json
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: "What rows group documents by.")
    var rows: RowDimension = .institution

    @Option(
        name: .customLong("cols"),
        help: "What columns are: the framework's domains or its competencies (default: domain; competency with --gaps).")
    var columns: ColumnDimension?

    @Option(help: "What a cell shows: documents covering it, the best score, or the share of the row's documents.")
    var value: CellValue = .count

    @Option(help: "Output format (default: from --output's extension, else table).")
    var format: ExportFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "List the gaps (empty cells, rows and columns; competencies one institution covers) instead of the matrix.")
    var gaps = false

    @OptionGroup var filters: FilterOptions

    @Option(help: .hidden)
    var documents: String?

    @Option(
        help: ArgumentHelp(
            "Draw the matrix as it stood after this scan: a scan number, latest, or a date (2026-11-01, 30d).",
            valueName: "scan|date"))
    var at: String?

    func run() async throws {
        let format = try resolvedFormat()
        let (registry, framework) = try ProjectValidator.load(project.paths)
        // The matrix counts tags; reading no evidence keeps it fast on a large catalog.
        let loaded = try loadDocuments(documents, paths: project.paths, evidence: .none)
        let columns = self.columns ?? MatrixRequest.defaultColumns(gapsOnly: gaps)
        if gaps, self.columns == nil {
            printError(
                "gaps by \(rows.title.lowercased()) and competency (--cols domain lists the domains no row covers instead)")
        }
        var request = MatrixRequest(
            rows: rows, columns: columns, value: value, format: format, gapsOnly: gaps,
            filter: try filters.filter(known: FilterVocabulary(documents: loaded).naming(registry.institutions)),
            width: Terminal.standardOutput.width)
        // Documents read from a file come from no scan; the catalog's latest scan dates the rest.
        request.stamp =
            documents == nil ? try ScanStamp(catalog: try CatalogAccess.open(project.paths)) : ScanStamp(scannedAt: nil, scan: nil)
        var shown = loaded
        if at != nil {
            // A past matrix is dated by the scan it shows, not by the latest one.
            (shown, request.stamp) = try pastDocuments(framework: framework)
        }
        // The provenance counts the decisions; CASE associations say whether a person accepted each tag.
        let reviews = try ReviewFile.load(from: project.paths.reviews, displayPath: ProjectPaths.display(project.paths.reviews))
        let result = try CoverageOutput.matrix(documents: shown, framework: framework, request: request, reviews: reviews)
        let what = format == .case ? "CASE alignments" : gaps ? "gap list" : "matrix"
        try emit(result.data, to: output, what: "\(what) (\(result.documents) documents)")
        // The table says it under the matrix; other formats are data, so the note goes to standard error.
        if result.leftOutOfScope > 0, format != .table || output != nil || gaps {
            printError(ScopeCount.leftOutSentence(result.leftOutOfScope))
        }
    }

    /// With `--at`, the documents of a past scan with the tags they had then, and that scan's stamp.
    private func pastDocuments(framework: Framework) throws -> ([TaggedDocument], ScanStamp) {
        let history = try CoverageHistory(catalog: try CatalogAccess.open(project.paths), framework: framework)
        let index = try history.scanIndex(at ?? "latest")
        let scan = history.scans[index]
        return (
            history.documents(afterScan: index), ScanStamp(scannedAt: scan.finishedAt ?? scan.startedAt, scan: Int(scan.id.rawValue))
        )
    }

    private func resolvedFormat() throws -> ExportFormat {
        let inferred = output.flatMap { ExportFormat(rawValue: URL(fileURLWithPath: $0).pathExtension.lowercased()) }
        let chosen = format ?? inferred ?? .table
        if let output {
            try checkExtension(output, format: chosen.rawValue, accepts: chosen.extensions)
        }
        if chosen.isBinary && output == nil {
            throw CommandProblem.badInput("--format \(chosen.rawValue) writes a binary workbook; add --output FILE.xlsx")
        }
        return chosen
    }
}

extension RowDimension: ExpressibleByArgument {}
extension ColumnDimension: ExpressibleByArgument {}
extension CellValue: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

/// Refuses an output file whose extension names another format: `--output x.pdf` holding a text table opens as a
/// broken PDF everywhere. Extensions no format claims (`.out`, none) are the user's business.
func checkExtension(_ path: String, format: String, accepts: [String]) throws {
    let known: Set<String> = ["txt", "csv", "tsv", "json", "md", "markdown", "html", "htm", "xlsx", "xls", "pdf", "docx"]
    let given = URL(fileURLWithPath: path).pathExtension.lowercased()
    guard known.contains(given), !accepts.contains(given) else { return }
    let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    throw CommandProblem.badInput(
        "--output \(path) names a .\(given) file but the format is \(format); "
            + "name it \(base).\(accepts.first ?? format), or choose the format with --format")
}

extension ExportFormat {
    /// The file extensions that hold this format.
    var extensions: [String] {
        switch self {
        case .table: ["txt"]
        case .csv: ["csv"]
        case .json, .case: ["json"]
        case .md: ["md", "markdown"]
        case .html: ["html", "htm"]
        case .xlsx: ["xlsx"]
        }
    }
}

/// The documents to build from: the catalog's (review decisions applied), or a JSON array of documents given
/// with the hidden `--documents FILE` (for tests and for building from another tool's output).
func loadDocuments(_ path: String?, paths: ProjectPaths, evidence: EvidenceDetail) throws -> [TaggedDocument] {
    if let path { return try CoverageOutput.loadDocuments(from: URL(fileURLWithPath: path)) }
    return try CatalogAccess.open(paths).taggedDocuments(filter: .all, evidence: evidence)
}

/// Writes to the file named, atomically, and says so on standard error; or to standard output.
func emit(_ data: Data, to path: String?, what: String) throws {
    guard let path else {
        FileHandle.standardOutput.write(data)
        return
    }
    let url = URL(fileURLWithPath: path)
    do {
        try data.write(to: url, options: .atomic)
    } catch {
        throw CommandProblem.badInput(
            "cannot write \(path): \(error.localizedDescription); check that its folder exists and is writable")
    }
    printError("wrote \(path): \(what)")
}
