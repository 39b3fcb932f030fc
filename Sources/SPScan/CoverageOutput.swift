import Foundation
import SPScanCatalog
import SPScanCoverage
import SPScanModel

// The command line names these types through SPScan, its one library dependency.
public typealias RowDimension = SPScanCoverage.RowDimension
public typealias ColumnDimension = SPScanCoverage.ColumnDimension
public typealias CellValue = SPScanCoverage.CellValue
public typealias ExportFormat = SPScanCoverage.ExportFormat
public typealias CoverageError = SPScanCoverage.CoverageError

/// What `spscan matrix` asks for.
public struct MatrixRequest: Sendable, Hashable {
    public var rows: RowDimension
    public var columns: ColumnDimension
    public var value: CellValue
    public var format: ExportFormat
    /// Writes the gap list (largest first) instead of the matrix; a workbook gets the gaps as its first sheet.
    public var gapsOnly: Bool
    public var filter: DocumentFilter
    /// The terminal's width, for `table`.
    public var width: Int
    /// The scan the documents come from, written into the export's provenance; nil writes none (tests of the
    /// bare formats).
    public var stamp: ScanStamp?

    /// The columns a request gets when it names none: gaps are worth reading by competency (a domain is
    /// rarely missing outright), a matrix fits a terminal by domain.
    public static func defaultColumns(gapsOnly: Bool) -> ColumnDimension { gapsOnly ? .competency : .domain }

    public init(
        rows: RowDimension = .institution, columns: ColumnDimension = .domain, value: CellValue = .count,
        format: ExportFormat = .table, gapsOnly: Bool = false, filter: DocumentFilter = .all, width: Int = 120
    ) {
        self.rows = rows
        self.columns = columns
        self.value = value
        self.format = format
        self.gapsOnly = gapsOnly
        self.filter = filter
        self.width = width
        stamp = nil
    }
}

/// The scan an export's figures come from (nil fields for documents read from a file).
public struct ScanStamp: Sendable, Hashable {
    public var scannedAt: Date?
    public var scan: Int?

    public init(scannedAt: Date?, scan: Int?) {
        self.scannedAt = scannedAt
        self.scan = scan
    }

    /// The latest scan of a catalog, or none when it has recorded none.
    public init(catalog: CatalogDatabase) throws {
        let latest = try catalog.scans().last
        self.init(scannedAt: latest.map { $0.finishedAt ?? $0.startedAt }, scan: latest.map { Int($0.id.rawValue) })
    }
}

/// The matrix or gap list written in the requested format, with the figures a command prints about it.
public struct MatrixOutput: Sendable {
    public var data: Data
    public var documents: Int
    /// Documents judged out of scope, left out of the matrix.
    public var leftOutOfScope = 0
    public var rows: Int
    public var gaps: Int
}

public enum CoverageOutput {
    /// Builds the matrix of `documents` (review decisions already applied) and writes it as asked.
    ///
    /// A workbook holds the requested view first, then the views by institution, target group and country that
    /// it does not already hold, the gaps and the legend: the one file program staff pass around.
    /// `reviews` are counted in the provenance, and `case` associations say whether a person accepted each tag.
    public static func matrix(
        documents: [TaggedDocument], framework: Framework, request: MatrixRequest, reviews: [ReviewDecision] = []
    ) throws -> MatrixOutput {
        let selected = request.filter.apply(documents)
        let matrix = CoverageMatrix.build(
            documents: selected, framework: framework, rows: request.rows, columns: request.columns, value: request.value)
        let gaps = gapReport(matrix: matrix, selected: selected, framework: framework, filter: request.filter)
        let provenance = request.stamp.map {
            Provenance(
                scannedAt: $0.scannedAt, scan: $0.scan, framework: framework, filter: request.filter,
                documents: selected.inScope, outOfScopeLeftOut: framework.scope == nil ? nil : selected.outOfScopeCount,
                reviews: reviews)
        }
        let text: String
        switch (request.format, request.gapsOnly) {
        case (.table, false): text = TableExporter.render(matrix, width: request.width, provenance: provenance)
        case (.table, true): text = TableExporter.render(gaps, provenance: provenance)
        case (.csv, false): text = CSVExporter.render(matrix, provenance: provenance)
        case (.csv, true): text = CSVExporter.render(gaps, provenance: provenance)
        case (.json, false): text = try JSONExporter.render(matrix, provenance: provenance)
        case (.json, true): text = try JSONExporter.render(gaps, provenance: provenance)
        case (.md, false): text = MarkdownExporter.render(matrix, provenance: provenance)
        case (.md, true): text = MarkdownExporter.render(gaps, provenance: provenance)
        case (.html, false): text = HTMLExporter.page(matrix, provenance: provenance)
        case (.html, true): text = HTMLExporter.page(gaps, provenance: provenance)
        case (.case, false): text = try CASEExporter.render(documents: selected.inScope, framework: framework, reviews: reviews)
        case (.case, true): throw CoverageError.gapsHaveNoCASEForm
        case (.xlsx, _):
            var views = [(name: "By " + request.rows.title.lowercased(), matrix: matrix)]
            for rows in [RowDimension.institution, .targetGroup, .country] where rows != request.rows {
                views.append(
                    (
                        "By " + rows.title.lowercased(),
                        CoverageMatrix.build(
                            documents: selected, framework: framework, rows: rows, columns: request.columns,
                            value: request.value)
                    ))
            }
            var sheets = views.map { XLSXExporter.sheet($0.matrix, name: $0.name) }
            let gapSheet = XLSXExporter.sheet(gaps)
            if request.gapsOnly { sheets.insert(gapSheet, at: 0) } else { sheets.append(gapSheet) }
            sheets.append(XLSXExporter.legendSheet(matrix.columns))
            if let provenance { sheets.append(XLSXExporter.provenanceSheet(provenance)) }
            let data = try XLSXExporter.workbook(sheets)
            return MatrixOutput(
                data: data, documents: matrix.documents, leftOutOfScope: matrix.leftOutOfScope, rows: matrix.rows.count,
                gaps: gaps.gaps.count)
        }
        return MatrixOutput(
            data: Data(text.utf8), documents: matrix.documents, leftOutOfScope: matrix.leftOutOfScope, rows: matrix.rows.count,
            gaps: gaps.gaps.count)
    }

    /// The gaps of `documents` under `filter`, by `rows` and `columns`, largest first: what `matrix --gaps`, the
    /// web page's `/gaps` and the report list.
    public static func gaps(
        documents: [TaggedDocument], framework: Framework, rows: RowDimension, columns: ColumnDimension,
        filter: DocumentFilter = .all
    ) -> GapReport {
        let selected = filter.apply(documents)
        let matrix = CoverageMatrix.build(documents: selected, framework: framework, rows: rows, columns: columns)
        return gapReport(matrix: matrix, selected: selected, framework: framework, filter: filter)
    }

    static func gapReport(matrix: CoverageMatrix, selected: [TaggedDocument], framework: Framework, filter: DocumentFilter)
        -> GapReport
    {
        var gaps = Gaps.find(matrix: matrix, documents: selected, framework: framework)
        if !filter.isEmpty {
            // A filter leaves values out on purpose: "Singapore has no documents" under --country CA is noise.
            gaps.gaps.removeAll { $0.kind == .noDocuments }
        }
        return gaps
    }

    /// The self-contained HTML report over `documents`: accepted tags marked from `reviews`, the measured tagging
    /// quality in its methods, and the coverage-over-time charts of `history` when the documents come from a catalog.
    public static func report(
        documents: [TaggedDocument], framework: Framework, registeredSources: Int? = nil, filter: DocumentFilter = .all,
        generatedAt: Date = Date(), stamp: ScanStamp? = nil, reviews: [ReviewDecision] = [], quality: TaggingQuality? = nil,
        history: CoverageHistory? = nil
    ) -> String {
        let selected = filter.apply(documents)
        var input = ReportInput(
            documents: selected, framework: framework, generatedAt: generatedAt, registeredSources: registeredSources)
        input.provenance = stamp.map {
            Provenance(
                scannedAt: $0.scannedAt, scan: $0.scan, framework: framework, filter: filter, documents: selected.inScope,
                outOfScopeLeftOut: framework.scope == nil ? nil : selected.outOfScopeCount, reviews: reviews)
        }
        input.reviews = reviews
        input.quality = quality
        // One scan is a point, not a trend: the chart earns its place from the second scan on.
        if let history, history.scans.count > 1 { input.history = history.chartSection(filter: filter) }
        return Report.html(input: input)
    }

    /// Reads documents from a JSON array of `TaggedDocument` (ISO 8601 dates): a stand-in data source for tests
    /// and scripts until the catalog feeds the commands.
    public static func loadDocuments(from url: URL) throws -> [TaggedDocument] {
        let display = ProjectPaths.display(url)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CoverageError.documentsUnreadable(path: display)
        }
        do {
            return try JSONStyle.decoder().decode([TaggedDocument].self, from: data)
        } catch {
            throw CoverageError.documentsMalformed(path: display, reason: "\(error)")
        }
    }
}
