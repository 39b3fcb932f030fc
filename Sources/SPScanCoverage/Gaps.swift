import Foundation
import SPScanModel

/// Where the corpus is silent: what `spscan matrix --gaps`, the report and the scan summary list.
public struct GapReport: Sendable, Hashable, Codable {
    /// The kinds of gap, in the order they are ranked: a competency nobody teaches outweighs a quiet cell.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// A column (domain or competency) that no document covers.
        case uncoveredColumn = "uncovered-column"
        /// A facet value in the scan's scope (a country, a target group…) that no document has.
        case noDocuments = "no-documents"
        /// A row whose documents cover nothing in the framework.
        case uncoveredRow = "uncovered-row"
        /// A competency that only one institution covers: the field depends on one provider.
        case singleInstitution = "single-institution"
        /// A row that covers some of the framework but not this column.
        case emptyCell = "empty-cell"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }

        /// What a person reads in a list or a heading: the raw value is for programs.
        public var label: String {
            switch self {
            case .uncoveredColumn: "Not covered anywhere"
            case .noDocuments: "No documents"
            case .uncoveredRow: "Covers nothing"
            case .singleInstitution: "One provider only"
            case .emptyCell: "Missing for this group"
            }
        }
    }

    public struct Gap: Sendable, Hashable, Codable {
        public var kind: Kind
        /// The row's key and label, for row and cell gaps.
        public var row: String?
        public var rowLabel: String?
        /// The column's (or competency's) id and name, for column, cell and single-institution gaps.
        public var column: String?
        public var columnName: String?
        /// The one institution, for single-institution gaps.
        public var institution: String?
        /// Documents concerned: those that miss the column (column, row and cell gaps) or the few that cover it
        /// (single-institution gaps).
        public var documents: Int
        /// One sentence a person can read without the matrix beside it.
        public var summary: String

        public init(
            kind: Kind, row: String? = nil, rowLabel: String? = nil, column: String? = nil, columnName: String? = nil,
            institution: String? = nil, documents: Int, summary: String
        ) {
            self.kind = kind
            self.row = row
            self.rowLabel = rowLabel
            self.column = column
            self.columnName = columnName
            self.institution = institution
            self.documents = documents
            self.summary = summary
        }
    }

    public var rowDimension: RowDimension
    public var columnDimension: ColumnDimension
    /// Every gap, the largest first.
    public var gaps: [Gap]

    public init(rowDimension: RowDimension, columnDimension: ColumnDimension, gaps: [Gap]) {
        self.rowDimension = rowDimension
        self.columnDimension = columnDimension
        self.gaps = gaps
    }

    public func gaps(of kind: Kind) -> [Gap] { gaps.filter { $0.kind == kind } }

    /// The first `count` gaps: what a summary has room for.
    public func largest(_ count: Int) -> [Gap] { Array(gaps.prefix(count)) }

    public var isEmpty: Bool { gaps.isEmpty }
}

public enum Gaps {
    /// Finds every gap of a matrix, and the competencies of the framework that only one institution covers.
    ///
    /// Cells of a row or column that is empty throughout are not listed one by one: the whole row or column is
    /// one gap, so that the list stays readable. `documents` must be the documents the matrix was built from.
    public static func find(matrix: CoverageMatrix, documents given: [TaggedDocument], framework: Framework) -> GapReport {
        let documents = given.inScope
        var gaps: [GapReport.Gap] = []
        let nothing = matrix.columnDimension == .domain ? "no domain of the framework" : "no competency of the framework"

        var emptyColumns = Set<Int>()
        for (index, column) in matrix.columns.enumerated() where matrix.columnTotals[index].count == 0 {
            emptyColumns.insert(index)
            gaps.append(
                .init(
                    kind: .uncoveredColumn, column: column.id, columnName: column.name, documents: matrix.documents,
                    summary: "No training covers \(column.id) \(column.name) (of \(plural(matrix.documents, "document")))"))
        }

        let present = Set(matrix.rows.map(\.key))
        for (key, label) in scopeValues(of: matrix.rowDimension) where !present.contains(key) {
            gaps.append(
                .init(
                    kind: .noDocuments, row: key, rowLabel: label, documents: 0,
                    summary: "The scan has no documents \(phrase(matrix.rowDimension, label))"))
        }

        var emptyRows = Set<Int>()
        for (index, row) in matrix.rows.enumerated() where matrix.cells[index].allSatisfy({ $0.count == 0 }) {
            emptyRows.insert(index)
            gaps.append(
                .init(
                    kind: .uncoveredRow, row: row.key, rowLabel: row.label, documents: row.documents,
                    summary:
                        "Training \(phrase(matrix.rowDimension, row.label)) covers \(nothing) "
                        + "(\(row.documents == 1 ? "its one document" : "its \(row.documents) documents"))"
                ))
        }

        gaps += singleInstitutionGaps(documents: documents, framework: framework)

        for (rowIndex, row) in matrix.rows.enumerated() where !emptyRows.contains(rowIndex) {
            for (columnIndex, column) in matrix.columns.enumerated()
            where !emptyColumns.contains(columnIndex) && matrix.cells[rowIndex][columnIndex].count == 0 {
                gaps.append(
                    .init(
                        kind: .emptyCell, row: row.key, rowLabel: row.label, column: column.id, columnName: column.name,
                        documents: row.documents,
                        summary: "No training \(phrase(matrix.rowDimension, row.label)) covers \(column.id) \(column.name) "
                            + (row.documents == 1 ? "(its one document)" : "(none of its \(row.documents) documents)")))
            }
        }

        let columnOrder = Dictionary(
            matrix.columns.enumerated().map { ($1.id, $0) } + framework.competencies.enumerated().map { ($1.id, $0) },
            uniquingKeysWith: { first, _ in first })
        let ranked = gaps.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element, rhs.element)
            if a.kind != b.kind { return a.kind < b.kind }
            if a.documents != b.documents {
                // One provider with few documents is more fragile than one with many.
                return a.kind == .singleInstitution ? a.documents < b.documents : a.documents > b.documents
            }
            let (columnA, columnB) = (a.column.flatMap { columnOrder[$0] } ?? 0, b.column.flatMap { columnOrder[$0] } ?? 0)
            if columnA != columnB { return columnA < columnB }
            return lhs.offset < rhs.offset
        }
        return GapReport(rowDimension: matrix.rowDimension, columnDimension: matrix.columnDimension, gaps: ranked.map(\.element))
    }

    /// The gaps of the matrix by `rows` and `columns` over `documents`: what a summary's "largest gaps" lists
    /// (`.largest(5)`), without building the matrix by hand.
    public static func find(
        documents: [TaggedDocument], framework: Framework, rows: RowDimension = .targetGroup,
        columns: ColumnDimension = .competency
    ) -> GapReport {
        let matrix = CoverageMatrix.build(documents: documents, framework: framework, rows: rows, columns: columns)
        return find(matrix: matrix, documents: documents, framework: framework)
    }

    /// Competencies whose every covering document comes from one institution.
    static func singleInstitutionGaps(documents: [TaggedDocument], framework: Framework) -> [GapReport.Gap] {
        var institutions: [String: Set<String>] = [:]
        var coveringDocuments: [String: Int] = [:]
        for document in documents {
            for competency in Set(document.tags.map { $0.competency.uppercased() }) {
                institutions[competency, default: []].insert(document.institution)
                coveringDocuments[competency, default: 0] += 1
            }
        }
        return framework.competencies.compactMap { competency in
            let key = competency.id.uppercased()
            guard let only = institutions[key], only.count == 1, let institution = only.first else { return nil }
            let count = coveringDocuments[key] ?? 0
            return .init(
                kind: .singleInstitution, column: competency.id, columnName: competency.name, institution: institution,
                documents: count,
                summary: "Only \(institution) covers \(competency.id) \(competency.name) (\(plural(count, "document")))")
        }
    }

    /// How a row reads inside a sentence: "for volunteers and peer supporters", "in Canada", "from Beta Charity".
    public static func phrase(_ dimension: RowDimension, _ label: String) -> String {
        switch dimension {
        case .targetGroup:
            // Labels are capitalised for headings; mid-sentence, "for Link workers" reads as a typo.
            let first = label.prefix(1).lowercased()
            return "for " + (label.hasPrefix("No target group") ? "no stated target group" : first + label.dropFirst())
        case .country: return "in " + label
        case .region: return "in " + label
        case .institution: return "from " + label
        case .institutionType: return "from an institution of the kind " + label.lowercased()
        case .kind: return "of the kind " + label.lowercased()
        case .source: return "from the source " + label
        }
    }

    /// The documents that come closest to filling a gap of one row and one competency: those of the row that
    /// cover another competency of the same domain, best score first.
    ///
    /// The catalog keeps tags above their threshold only, so a near miss is the nearest thing it can show: a
    /// document already teaching the neighbourhood, which a provider could extend.
    public static func nearMisses(
        for gap: GapReport.Gap, rows: RowDimension, documents: [TaggedDocument], framework: Framework, limit: Int = 3
    ) -> [NearMiss] {
        guard gap.kind == .emptyCell, let row = gap.row, let column = gap.column,
            let competency = framework.competency(id: column)
        else { return [] }
        let siblings = Set(framework.domain(id: competency.domain)?.competencies.map { $0.id.uppercased() } ?? [])
        var found: [NearMiss] = []
        for document in documents where CoverageMatrix.rowKeys(of: document, by: rows).contains(where: { $0.0 == row }) {
            let best = document.tags.filter { siblings.contains($0.competency.uppercased()) }.max { $0.score < $1.score }
            guard let best, best.competency.uppercased() != column.uppercased() else { continue }
            found.append(NearMiss(documentID: document.id, title: document.title, competency: best.competency, score: best.score))
        }
        found.sort { $0.score != $1.score ? $0.score > $1.score : $0.documentID < $1.documentID }
        return Array(found.prefix(limit))
    }

    /// The values of a dimension that the scan sets out to cover, so that a country or an audience with no
    /// documents at all shows as a gap. Open-ended dimensions (institutions, regions, sources) have none.
    static func scopeValues(of dimension: RowDimension) -> [(String, String)] {
        switch dimension {
        case .country: Country.allCases.map { ($0.rawValue, $0.name) }
        case .targetGroup: TargetGroup.allCases.map { ($0.rawValue, $0.label) }
        case .kind: DocumentKind.allCases.map { ($0.rawValue, $0.label) }
        case .institutionType: InstitutionType.allCases.map { ($0.rawValue, $0.label) }
        case .institution, .region, .source: []
        }
    }
}

/// A document that covers a neighbour of a missing competency (see `Gaps.nearMisses`).
public struct NearMiss: Sendable, Hashable, Codable {
    public var documentID: String
    public var title: String
    /// The neighbouring competency it does cover, and its score there.
    public var competency: String
    public var score: Double
}

func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
