import Foundation
import SPScanModel

/// Coverage counts kept up to date as documents come, change and go, scan after scan: what `spscan trend`
/// reads one snapshot of per scan.
///
/// Building the whole matrix again for each of 100 scans of 10,000 documents would cost a second or more;
/// a scan changes a few documents, so each change subtracts the document's old cells and adds its new ones.
/// The cells are those of `CoverageMatrix.build` with the same rows and columns: a document counts once
/// per cell, in each row it belongs to.
public struct CoverageTimeline: Sendable {
    public let rowDimension: RowDimension
    public let columnDimension: ColumnDimension
    public let columns: [CoverageMatrix.Column]
    private let columnOfCompetency: [String: Int]
    private var rowIndex: [String: Int] = [:]
    private var rows: [CoverageMatrix.Row] = []
    private var counts: [[Int]] = []
    /// Each present document's rows and covered columns, to take away when it changes.
    private var contributions: [String: (rows: [Int], columns: [Int])] = [:]

    public init(framework: Framework, rows: RowDimension, columns: ColumnDimension) {
        rowDimension = rows
        columnDimension = columns
        self.columns = CoverageMatrix.columns(of: framework, by: columns)
        let index = Dictionary(self.columns.enumerated().map { ($1.id.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var columnOfCompetency: [String: Int] = [:]
        for domain in framework.domains {
            for competency in domain.competencies {
                if let column = index[(columns == .domain ? domain.id : competency.id).uppercased()] {
                    columnOfCompetency[competency.id.uppercased()] = column
                }
            }
        }
        self.columnOfCompetency = columnOfCompetency
    }

    /// Adds a document, or replaces what it covered: its tags are its coverage now.
    /// A document judged out of scope counts nowhere, as in `CoverageMatrix.build`.
    public mutating func set(_ document: TaggedDocument) {
        remove(document.id)
        guard document.inScope else { return }
        var covered = Set<Int>()
        for tag in document.tags {
            if let column = columnOfCompetency[tag.competency.uppercased()] { covered.insert(column) }
        }
        var rowsOfDocument: [Int] = []
        for (key, label) in CoverageMatrix.rowKeys(of: document, by: rowDimension) {
            let row: Int
            if let existing = rowIndex[key] {
                row = existing
            } else {
                row = rows.count
                rowIndex[key] = row
                rows.append(CoverageMatrix.Row(key: key, label: label, documents: 0))
                counts.append([Int](repeating: 0, count: columns.count))
            }
            rowsOfDocument.append(row)
            rows[row].documents += 1
            for column in covered { counts[row][column] += 1 }
        }
        contributions[document.id] = (rowsOfDocument, covered.sorted())
    }

    /// Takes a document out (its source was removed from Sources.yaml).
    public mutating func remove(_ documentID: String) {
        guard let (rowsOfDocument, covered) = contributions.removeValue(forKey: documentID) else { return }
        for row in rowsOfDocument {
            rows[row].documents -= 1
            for column in covered { counts[row][column] -= 1 }
        }
    }

    /// The counts now: rows with at least one document, sorted by label as the matrix sorts them.
    public func snapshot() -> Snapshot {
        let present = rows.indices.filter { rows[$0].documents > 0 }.sorted { lhs, rhs in
            let order = rows[lhs].label.localizedStandardCompare(rows[rhs].label)
            return order == .orderedSame ? rows[lhs].key < rows[rhs].key : order == .orderedAscending
        }
        return Snapshot(rows: present.map { rows[$0] }, counts: present.map { counts[$0] })
    }

    /// One moment's counts: `counts[row][column]` documents of the row cover the column.
    public struct Snapshot: Sendable, Hashable {
        public var rows: [CoverageMatrix.Row]
        public var counts: [[Int]]

        /// Columns covered by at least one document of each row.
        public var coveredColumns: [Int] { counts.map { $0.filter { $0 > 0 }.count } }
    }
}
