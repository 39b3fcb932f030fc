import Foundation
import SPScanModel

/// What can go wrong when a matrix is asked for or exported; each message says what to write or do instead.
public enum CoverageError: Error, LocalizedError, Hashable, Sendable {
    case unknownRowDimension(String)
    case unknownColumnDimension(String)
    case unknownCellValue(String)
    case unknownFormat(String)
    case unknownFilterValue(option: String, value: String, allowed: String)
    /// A documents file (JSON) that is missing or not an array of documents.
    case documentsUnreadable(path: String)
    case documentsMalformed(path: String, reason: String)
    /// The ZIP library refused to write a workbook part; `part` names it, `reason` is the library's own words.
    case workbookNotWritten(part: String, reason: String)
    /// `--gaps` with `--format case`: CASE associations say what is covered, not what is missing.
    case gapsHaveNoCASEForm

    /// Whether the user asked for something that does not exist (exit 2) rather than the work failing (exit 1).
    public var isBadInput: Bool {
        switch self {
        case .workbookNotWritten: false
        default: true
        }
    }

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
        case .unknownFilterValue(let option, let value, let allowed):
            "\(option): unknown value '\(value)'; use \(allowed)"
        case .documentsUnreadable(let path):
            "cannot read \(path): no such file; point --documents at a JSON array of documents"
        case .documentsMalformed(let path, let reason):
            "\(path) is not a JSON array of documents (\(reason)); each needs id, sourceID, url, title, country, "
                + "institution, institutionType, kind, targetGroups, populations, language, origin and tags"
        case .gapsHaveNoCASEForm:
            "--gaps has no CASE form (CASE associations record what a document covers); drop --gaps, or use another --format"
        case .workbookNotWritten(let part, let reason):
            "the XLSX workbook could not be written (part \(part): \(reason)); check free disk space and memory, "
                + "or export --format csv instead"
        }
    }
}
