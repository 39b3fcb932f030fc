import Foundation
import SPScanCatalog
import SPScanCoverage
import SPScanModel

/// A coverage cell (a country or target group × a competency) whose count of covering documents moved over
/// the scans of a change report, with the documents that moved it.
public struct CellMove: Hashable, Sendable, Encodable {
    public var rows: RowDimension
    public var row: String
    public var label: String
    public var competency: String
    /// Documents of the row covering the competency before the period and after it.
    public var before: Int
    public var after: Int
    /// The documents that gained or lost the competency in the period.
    public var documents: [String]
}

extension CoverageHistory {
    /// The cells by country and by target group whose count moved between the scan before `report`'s first
    /// scan and its last, each with the documents of the report's coverage moves that belong to it.
    public func cellMoves(for report: ChangeReport) -> [CellMove] {
        guard let first = report.scans.first, let last = report.scans.last,
            let firstIndex = scans.firstIndex(where: { $0.id == first.id }),
            let lastIndex = scans.firstIndex(where: { $0.id == last.id })
        else { return [] }
        var moves: [CellMove] = []
        for rows in [RowDimension.country, .targetGroup] {
            let trend = trend(rows: rows, columns: .competency)
            for cell in trend.moved {
                let before = firstIndex == 0 ? 0 : cell.counts[firstIndex - 1]
                let after = cell.counts[lastIndex]
                guard before != after else { continue }
                let movers = report.coverageMoves.filter { move in
                    move.competency.uppercased() == cell.column.uppercased()
                        && documents[move.documentID].map { document in
                            CoverageMatrix.rowKeys(of: document, by: rows).contains { $0.0 == cell.row }
                        } ?? false
                }
                let label = trend.series.first { $0.key == cell.row }?.label ?? cell.row
                moves.append(
                    CellMove(
                        rows: rows, row: cell.row, label: label, competency: cell.column, before: before, after: after,
                        documents: Array(Set(movers.map(\.documentID))).sorted()))
            }
        }
        return moves
    }
}
