import Foundation

/// The shapes a matrix or a gap list can be written in.
public enum ExportFormat: String, CaseIterable, Sendable, Codable, Hashable {
    /// Aligned columns for a terminal.
    case table
    case csv
    case json
    /// A GitHub-flavoured Markdown table, for notes and issues.
    case md
    /// A self-contained page with a heatmap table.
    case html
    /// An Excel workbook with a sheet per view.
    case xlsx
    /// 1EdTech CASE 1.1 JSON: the framework and one association per tag (document to competency).
    case `case`

    public init(spelling: String) throws {
        guard let format = ExportFormat(rawValue: spelling.lowercased()) else {
            throw CoverageError.unknownFormat(spelling)
        }
        self = format
    }

    /// Binary formats must go to a file, never to a terminal.
    public var isBinary: Bool { self == .xlsx }

    public var fileExtension: String {
        switch self {
        case .table: "txt"
        case .case: "json"
        default: rawValue
        }
    }
}

/// How a cell's number is written for people (tables, Markdown, HTML) and for programs (CSV, JSON, XLSX).
enum ValueText {
    /// `3`, `0.82`, `40%`: what a reader scans for.
    static func display(_ value: Double, as kind: CellValue) -> String {
        switch kind {
        case .count: String(Int(value.rounded()))
        case .maxScore: String(format: "%.2f", value)
        case .share: String(format: "%.0f%%", value * 100)
        }
    }

    /// `3`, `0.8235`: what a program reads back without loss worth having.
    static func machine(_ value: Double, as kind: CellValue) -> String {
        switch kind {
        case .count: String(Int(value.rounded()))
        case .maxScore, .share: trimmed(value)
        }
    }

    /// Up to four decimals, without trailing zeros: `0.5`, `0.3333`, `1`.
    static func trimmed(_ value: Double) -> String {
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}
