import Foundation
import SPScanModel

/// What can go wrong when a matrix is asked for or exported; each message says what to write or do instead.
public enum CoverageError: Error, LocalizedError, Hashable, Sendable {
    case unknownRowDimension(String)
    case unknownColumnDimension(String)
    case unknownCellValue(String)
    case unknownFormat(String)
    /// The ZIP library refused to write a workbook part; `part` names it, `reason` is the library's own words.
    case workbookNotWritten(part: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unknownRowDimension(let spelling):
            "unknown row dimension '\(spelling)'; use \(RowDimension.allowedList)"
        case .unknownColumnDimension(let spelling):
            "unknown column dimension '\(spelling)'; use \(ColumnDimension.allowedList)"
        case .unknownCellValue(let spelling):
            "unknown cell value '\(spelling)'; use \(CellValue.allowedList)"
        case .unknownFormat(let spelling):
            "unknown format '\(spelling)'; use \(ExportFormat.allowedList)"
        case .workbookNotWritten(let part, let reason):
            "the XLSX workbook could not be written (part \(part): \(reason)); check free disk space and memory, "
                + "or export --format csv instead"
        }
    }
}
