import Foundation
import SPScanModel

/// What the rows of a coverage matrix group documents by.
public enum RowDimension: String, CaseIterable, Sendable, Codable, Hashable {
    case institution
    case institutionType = "institution-type"
    case targetGroup = "target-group"
    case country
    case region
    case kind
    case source

    /// The heading of the row-label column, as a person reads it.
    public var title: String {
        switch self {
        case .institution: "Institution"
        case .institutionType: "Institution type"
        case .targetGroup: "Target group"
        case .country: "Country"
        case .region: "Region"
        case .kind: "Document kind"
        case .source: "Source"
        }
    }

    /// Parses a spelling from the command line or an API call, saying what to write instead when it is wrong.
    public init(spelling: String) throws {
        guard let value = RowDimension(rawValue: spelling.lowercased()) else {
            throw CoverageError.unknownRowDimension(spelling)
        }
        self = value
    }
}

/// What the columns of a coverage matrix are: the framework's domains or its competencies.
public enum ColumnDimension: String, CaseIterable, Sendable, Codable, Hashable {
    case domain
    case competency

    public var title: String {
        switch self {
        case .domain: "Domain"
        case .competency: "Competency"
        }
    }

    public init(spelling: String) throws {
        guard let value = ColumnDimension(rawValue: spelling.lowercased()) else {
            throw CoverageError.unknownColumnDimension(spelling)
        }
        self = value
    }
}

/// The number a cell shows.
public enum CellValue: String, CaseIterable, Sendable, Codable, Hashable {
    /// Documents in the row that cover the column.
    case count
    /// The best tag score in the row for the column (0...1).
    case maxScore = "max-score"
    /// The fraction of the row's documents that cover the column (0...1).
    case share

    public var title: String {
        switch self {
        case .count: "documents covering"
        case .maxScore: "best score"
        case .share: "share of the row's documents"
        }
    }

    public init(spelling: String) throws {
        guard let value = CellValue(rawValue: spelling.lowercased()) else {
            throw CoverageError.unknownCellValue(spelling)
        }
        self = value
    }
}

/// Documents by facet against the framework's domains or competencies: the answer to "which trainings cover
/// this, and where are the gaps?".
///
/// Every cell keeps its count and best score whatever `value` says, so that one matrix can be shown as counts,
/// scores or shares without another pass over the documents, and so that gaps are found from counts always.
public struct CoverageMatrix: Sendable, Hashable, Codable {
    /// One group of documents: an institution, a country, a target group…
    public struct Row: Sendable, Hashable, Codable {
        /// Stable and machine-readable: a raw facet value (`CA`, `link-workers`) or a name (institutions).
        public var key: String
        /// What a person reads.
        public var label: String
        /// Documents in the row: the row total.
        public var documents: Int

        public init(key: String, label: String, documents: Int) {
            self.key = key
            self.label = label
            self.documents = documents
        }
    }

    /// A domain or a competency of the framework.
    public struct Column: Sendable, Hashable, Codable {
        /// The domain or competency id (`IS`, `IS-1`): short, so that it fits a column header.
        public var id: String
        public var name: String
        /// The domain the column belongs to (itself for domain columns).
        public var domain: String

        public init(id: String, name: String, domain: String) {
            self.id = id
            self.name = name
            self.domain = domain
        }
    }

    /// The figures of one cell, or of one column's total.
    public struct Cell: Sendable, Hashable, Codable {
        /// Documents covering the column.
        public var count: Int
        /// The best tag score among them; 0 when none covers it.
        public var maxScore: Double
        /// `count` over the documents in the row (or in the matrix, for totals); 0 for an empty row.
        public var share: Double

        public init(count: Int, maxScore: Double, share: Double) {
            self.count = count
            self.maxScore = maxScore
            self.share = share
        }

        public static let empty = Cell(count: 0, maxScore: 0, share: 0)

        public func value(_ kind: CellValue) -> Double {
            switch kind {
            case .count: Double(count)
            case .maxScore: maxScore
            case .share: share
            }
        }
    }

    public var rowDimension: RowDimension
    public var columnDimension: ColumnDimension
    public var value: CellValue
    public var rows: [Row]
    public var columns: [Column]
    /// `cells[row][column]`.
    public var cells: [[Cell]]
    /// Per column, over every document once (a document in several rows counts once here).
    public var columnTotals: [Cell]
    /// Documents the matrix was built from.
    public var documents: Int
    /// Documents given but left out because they were judged out of scope (see `TaggedDocument.inScope`).
    public var leftOutOfScope = 0

    public init(
        rowDimension: RowDimension, columnDimension: ColumnDimension, value: CellValue, rows: [Row], columns: [Column],
        cells: [[Cell]], columnTotals: [Cell], documents: Int, leftOutOfScope: Int = 0
    ) {
        self.leftOutOfScope = leftOutOfScope
        self.rowDimension = rowDimension
        self.columnDimension = columnDimension
        self.value = value
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.columnTotals = columnTotals
        self.documents = documents
    }

    /// The number the cell shows under the matrix's `value`.
    public func value(row: Int, column: Int) -> Double {
        cells[row][column].value(value)
    }

    /// The largest value any cell shows, for colour scales.
    public var largestValue: Double {
        cells.lazy.flatMap { $0 }.map { $0.value(value) }.max() ?? 0
    }
}

extension CoverageMatrix {
    /// Builds the matrix of documents by `rows` against the framework's `columns`.
    ///
    /// A document counts in every row it belongs to (a document for link workers and volunteers counts in both),
    /// and once per cell however many of its tags fall in a domain. Tags for competencies the framework no longer
    /// has are ignored, so that an edited framework never shows a column that is not in it. Rows are sorted by
    /// label; columns follow the framework's order. A document judged out of scope is not counted anywhere;
    /// `leftOutOfScope` says how many there were, so that every view can say so.
    public static func build(
        documents given: [TaggedDocument], framework: Framework, rows rowDimension: RowDimension,
        columns columnDimension: ColumnDimension, value: CellValue = .count
    ) -> CoverageMatrix {
        let documents = given.inScope
        let columns = Self.columns(of: framework, by: columnDimension)
        // Tags name competencies; map each to its column once, so that the loop below is a dictionary lookup.
        var columnOfCompetency: [String: Int] = [:]
        let columnIndex = Dictionary(columns.enumerated().map { ($1.id.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
        for domain in framework.domains {
            for competency in domain.competencies {
                let key = columnDimension == .domain ? domain.id : competency.id
                guard let index = columnIndex[key.uppercased()] else { continue }
                columnOfCompetency[competency.id] = index
                columnOfCompetency[competency.id.uppercased()] = index
            }
        }

        var rowIndex: [String: Int] = [:]
        var rowList: [Row] = []
        var counts: [[Int]] = []
        var scores: [[Double]] = []
        var totalCounts = [Int](repeating: 0, count: columns.count)
        var totalScores = [Double](repeating: 0, count: columns.count)
        var covered = [Double](repeating: -1, count: columns.count)

        for document in documents {
            for index in covered.indices { covered[index] = -1 }
            for tag in document.tags {
                // The exact spelling first: upper-casing every tag of 10,000 documents costs more than the rest.
                guard let column = columnOfCompetency[tag.competency] ?? columnOfCompetency[tag.competency.uppercased()]
                else { continue }
                covered[column] = max(covered[column], tag.score)
            }
            for (key, label) in rowKeys(of: document, by: rowDimension) {
                let row: Int
                if let existing = rowIndex[key] {
                    row = existing
                } else {
                    row = rowList.count
                    rowIndex[key] = row
                    rowList.append(Row(key: key, label: label, documents: 0))
                    counts.append([Int](repeating: 0, count: columns.count))
                    scores.append([Double](repeating: 0, count: columns.count))
                }
                rowList[row].documents += 1
                for column in covered.indices where covered[column] >= 0 {
                    counts[row][column] += 1
                    scores[row][column] = max(scores[row][column], covered[column])
                }
            }
            for column in covered.indices where covered[column] >= 0 {
                totalCounts[column] += 1
                totalScores[column] = max(totalScores[column], covered[column])
            }
        }

        let order = rowList.indices.sorted { rowOrder(rowList[$0], rowList[$1]) }
        let cells = order.map { row in
            columns.indices.map { column in
                Cell(
                    count: counts[row][column], maxScore: scores[row][column],
                    share: ratio(counts[row][column], rowList[row].documents))
            }
        }
        let totals = columns.indices.map { column in
            Cell(count: totalCounts[column], maxScore: totalScores[column], share: ratio(totalCounts[column], documents.count))
        }
        return CoverageMatrix(
            rowDimension: rowDimension, columnDimension: columnDimension, value: value, rows: order.map { rowList[$0] },
            columns: columns, cells: cells, columnTotals: totals, documents: documents.count,
            leftOutOfScope: given.count - documents.count)
    }

    /// The columns of a framework in its own order.
    public static func columns(of framework: Framework, by dimension: ColumnDimension) -> [Column] {
        switch dimension {
        case .domain:
            framework.domains.map { Column(id: $0.id, name: $0.name, domain: $0.id) }
        case .competency:
            framework.domains.flatMap { domain in
                domain.competencies.map { Column(id: $0.id, name: $0.name, domain: domain.id) }
            }
        }
    }

    /// The rows a document belongs to, as (key, label): one for most dimensions, one per target group.
    public static func rowKeys(of document: TaggedDocument, by dimension: RowDimension) -> [(String, String)] {
        switch dimension {
        case .institution:
            return [(document.institution, document.institution)]
        case .institutionType:
            return [(document.institutionType.rawValue, document.institutionType.label)]
        case .targetGroup:
            // A document with no stated audience still counts, so that row totals add up to the documents.
            guard !document.targetGroups.isEmpty else { return [("none", "No target group stated")] }
            var seen = Set<TargetGroup>()
            return document.targetGroups.compactMap { group in
                seen.insert(group).inserted ? (group.rawValue, group.label) : nil
            }
        case .country:
            return [(document.country.rawValue, document.country.name)]
        case .region:
            let country = document.country
            guard let region = document.region, !region.isEmpty else {
                return [(country.rawValue, "\(country.name) (no region stated)")]
            }
            return [("\(country.rawValue)-\(region)", "\(country.name): \(region)")]
        case .kind:
            return [(document.kind.rawValue, document.kind.label)]
        case .source:
            return [(document.sourceID, document.sourceID)]
        }
    }

    /// Case-insensitive by label, so that "charity" and "Charity" sit together; then by key for a stable order.
    private static func rowOrder(_ lhs: Row, _ rhs: Row) -> Bool {
        let order = lhs.label.localizedStandardCompare(rhs.label)
        return order == .orderedSame ? lhs.key < rhs.key : order == .orderedAscending
    }

    private static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
}

extension [TaggedDocument] {
    /// The documents that count in coverage: those judged in scope (or put in scope by a person).
    public var inScope: [TaggedDocument] {
        allSatisfy(\.inScope) ? self : filter(\.inScope)
    }

    /// How many were judged out of scope.
    public var outOfScopeCount: Int { count { !$0.inScope } }
}
