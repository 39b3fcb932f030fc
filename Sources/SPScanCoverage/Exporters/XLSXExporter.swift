import Foundation
import ZIPFoundation

/// One cell of a worksheet: text or a number, with the look it needs.
public enum XLSXCell: Hashable, Sendable {
    case text(String)
    /// A header or total label.
    case heading(String)
    case number(Double, XLSXNumberStyle)
    case empty
}

/// How a number is shown; the value stays a real number that formulas and charts can use.
public enum XLSXNumberStyle: Hashable, Sendable {
    case count
    case score
    case share
    case boldCount
    case boldScore
    case boldShare

    init(_ value: CellValue, bold: Bool = false) {
        switch (value, bold) {
        case (.count, false): self = .count
        case (.maxScore, false): self = .score
        case (.share, false): self = .share
        case (.count, true): self = .boldCount
        case (.maxScore, true): self = .boldScore
        case (.share, true): self = .boldShare
        }
    }
}

/// One worksheet: rows of cells, the frozen panes, and where the colour scale applies.
public struct XLSXSheet: Hashable, Sendable {
    /// A cell range, 0-based and inclusive.
    public struct Range: Hashable, Sendable {
        public var firstRow: Int
        public var firstColumn: Int
        public var lastRow: Int
        public var lastColumn: Int

        public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
            self.firstRow = firstRow
            self.firstColumn = firstColumn
            self.lastRow = lastRow
            self.lastColumn = lastColumn
        }
    }

    public var name: String
    public var rows: [[XLSXCell]]
    public var frozenRows: Int
    public var frozenColumns: Int
    /// A light-to-dark colour scale from 0 to the range's largest value.
    public var colourScale: Range?
    /// Widths in characters, by column; columns beyond the list keep the default width.
    public var columnWidths: [Double]
    /// The rows (from the header, 0-based, inclusive) a filter drop-down covers; nil for none.
    public var autoFilterRows: Int?

    public init(
        name: String, rows: [[XLSXCell]], frozenRows: Int = 1, frozenColumns: Int = 1, colourScale: Range? = nil,
        columnWidths: [Double] = []
    ) {
        self.name = name
        self.rows = rows
        self.frozenRows = frozenRows
        self.frozenColumns = frozenColumns
        self.colourScale = colourScale
        self.columnWidths = columnWidths
        autoFilterRows = nil
    }
}

/// An Excel workbook (Office Open XML) written from generated XML and zipped with ZIPFoundation: no spreadsheet
/// library, so the parts are exactly what is needed (inline strings, one style sheet, frozen panes, colour
/// scales) and the bytes are the same for the same input.
///
/// Text cells are neutralised like CSV cells: the workbook itself never holds a formula, but a user who copies
/// a cell or saves the sheet as CSV must not get one either.
public enum XLSXExporter {
    /// A matrix as a sheet: labels and totals frozen in view, counts coloured on a scale.
    public static func sheet(_ matrix: CoverageMatrix, name: String) -> XLSXSheet {
        var rows: [[XLSXCell]] = []
        // Ids alone are short but cryptic: the header names each column too, on a second line.
        rows.append(
            [.heading(matrix.rowDimension.title), .heading("Documents")] + matrix.columns.map { .heading("\($0.id)\n\($0.name)") })
        for (index, row) in matrix.rows.enumerated() {
            rows.append(
                [.text(row.label), .number(Double(row.documents), .count)]
                    + matrix.cells[index].map { .number(ValueText.rounded($0.value(matrix.value)), XLSXNumberStyle(matrix.value)) })
        }
        rows.append(
            [.heading("Total"), .number(Double(matrix.documents), .boldCount)]
                + matrix.columnTotals.map {
                    .number(ValueText.rounded($0.value(matrix.value)), XLSXNumberStyle(matrix.value, bold: true))
                })
        let scale =
            matrix.rows.isEmpty || matrix.columns.isEmpty
            ? nil
            : XLSXSheet.Range(firstRow: 1, firstColumn: 2, lastRow: matrix.rows.count, lastColumn: matrix.columns.count + 1)
        let labelWidth = min(48, Double(max(14, (matrix.rows.map(\.label.count).max() ?? 0) + 2)))
        var sheet = XLSXSheet(
            name: name, rows: rows, frozenRows: 1, frozenColumns: 1, colourScale: scale,
            columnWidths: [labelWidth, 11] + matrix.columns.map { _ in 14 })
        sheet.autoFilterRows = matrix.rows.count
        return sheet
    }

    /// Where the figures come from: scan, framework, filters, and what was counted or left out.
    public static func provenanceSheet(_ provenance: Provenance, name: String = "Provenance") -> XLSXSheet {
        var rows: [[XLSXCell]] = [[.heading("Field"), .heading("Value")]]
        for field in provenance.fields { rows.append([.text(field.label), .text(field.value)]) }
        return XLSXSheet(name: name, rows: rows, frozenRows: 1, frozenColumns: 0, columnWidths: [26, 90])
    }

    /// The gaps as a sheet, largest first.
    public static func sheet(_ gaps: GapReport, name: String = "Gaps") -> XLSXSheet {
        var rows: [[XLSXCell]] = [
            ["Rank", "Kind", "Row", "Column", "Institution", "Documents", "Summary"].map { .heading($0) }
        ]
        for (index, gap) in gaps.gaps.enumerated() {
            rows.append([
                .number(Double(index + 1), .count), .text(gap.kind.label), .text(gap.rowLabel ?? ""),
                .text(gap.column ?? ""), .text(gap.institution ?? ""), .number(Double(gap.documents), .count),
                .text(gap.summary),
            ])
        }
        var sheet = XLSXSheet(name: name, rows: rows, frozenRows: 1, frozenColumns: 0, columnWidths: [7, 24, 28, 11, 28, 11, 90])
        sheet.autoFilterRows = gaps.gaps.isEmpty ? nil : gaps.gaps.count
        return sheet
    }

    /// The columns' full names, since headers carry only ids.
    public static func legendSheet(_ columns: [CoverageMatrix.Column], name: String = "Legend") -> XLSXSheet {
        var rows: [[XLSXCell]] = [[.heading("Id"), .heading("Name"), .heading("Domain")]]
        for column in columns { rows.append([.text(column.id), .text(column.name), .text(column.domain)]) }
        return XLSXSheet(name: name, rows: rows, frozenRows: 1, frozenColumns: 0, columnWidths: [10, 70, 10])
    }

    /// A workbook with one sheet per matrix (in the order given), then the gaps, then the legend.
    public static func workbook(views: [(name: String, matrix: CoverageMatrix)], gaps: GapReport?) throws -> Data {
        var sheets = views.map { sheet($0.matrix, name: $0.name) }
        if let gaps { sheets.append(sheet(gaps)) }
        if let first = views.first { sheets.append(legendSheet(first.matrix.columns)) }
        return try workbook(sheets)
    }

    /// Zips the parts of a workbook with these sheets.
    public static func workbook(_ sheets: [XLSXSheet]) throws -> Data {
        let names = uniqueSheetNames(sheets.map(\.name))
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(sheetCount: sheets.count)),
            ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", workbookXML(names)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: sheets.count)),
            ("xl/styles.xml", stylesXML),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", worksheetXML(sheet)))
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(), accessMode: .create)
        } catch {
            throw CoverageError.workbookNotWritten(part: "(archive)", reason: "\(error)")
        }
        // A fixed date, so that the same matrix gives the same bytes (diffable, cacheable).
        let fixedDate = Date(timeIntervalSince1970: 315_532_800)
        for (path, text) in parts {
            let data = Data(text.utf8)
            do {
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                    compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            } catch {
                throw CoverageError.workbookNotWritten(part: path, reason: "\(error)")
            }
        }
        guard let bytes = archive.data else {
            throw CoverageError.workbookNotWritten(part: "(archive)", reason: "the in-memory archive returned no data")
        }
        return bytes
    }

    // MARK: Parts

    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static func contentTypes(sheetCount: Int) -> String {
        var xml = header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        xml += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        xml += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        xml += "<Override PartName=\"/xl/workbook.xml\" "
        xml += "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        xml += "<Override PartName=\"/xl/styles.xml\" "
        xml += "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        for index in 0..<sheetCount {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" "
            xml += "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return xml + "</Types>"
    }

    static let rootRelationships =
        header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relationshipNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    static func workbookXML(_ names: [String]) -> String {
        var xml = header + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
        xml += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (index, name) in names.enumerated() {
            xml += "<sheet name=\"\(Escaping.xml(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        return xml + "</sheets></workbook>"
    }

    static func workbookRelationships(sheetCount: Int) -> String {
        var xml = header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for index in 0..<sheetCount {
            xml += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(relationshipNamespace)/worksheet\" "
            xml += "Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        xml += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(relationshipNamespace)/styles\" Target=\"styles.xml\"/>"
        return xml + "</Relationships>"
    }

    /// Style indexes into `cellXfs` below.
    enum Style: Int {
        case plain = 0
        case heading, count, score, share, boldCount, boldScore, boldShare, wrapped, wrappedHeading
    }

    /// Fonts: regular, bold. Number formats are built-in ids: 1 `0`, 2 `0.00`, 9 `0%`.
    static let stylesXML =
        header + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"10\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"1\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"2\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"9\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"1\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"2\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"9\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\">"
        + "<alignment wrapText=\"1\" vertical=\"top\"/></xf>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\">"
        + "<alignment wrapText=\"1\" vertical=\"top\"/></xf>"
        + "</cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    static func worksheetXML(_ sheet: XLSXSheet) -> String {
        var xml = header + "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
        let columnCount = sheet.rows.map(\.count).max() ?? 0
        if !sheet.rows.isEmpty, columnCount > 0 {
            xml += "<dimension ref=\"A1:\(reference(row: sheet.rows.count - 1, column: columnCount - 1))\"/>"
        }
        xml += "<sheetViews><sheetView workbookViewId=\"0\">"
        if sheet.frozenRows > 0 || sheet.frozenColumns > 0 {
            let pane =
                sheet.frozenRows > 0 && sheet.frozenColumns > 0
                ? "bottomRight" : (sheet.frozenRows > 0 ? "bottomLeft" : "topRight")
            xml += "<pane"
            if sheet.frozenColumns > 0 { xml += " xSplit=\"\(sheet.frozenColumns)\"" }
            if sheet.frozenRows > 0 { xml += " ySplit=\"\(sheet.frozenRows)\"" }
            xml += " topLeftCell=\"\(reference(row: sheet.frozenRows, column: sheet.frozenColumns))\""
            xml += " activePane=\"\(pane)\" state=\"frozen\"/><selection pane=\"\(pane)\"/>"
        }
        xml += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
        if !sheet.columnWidths.isEmpty {
            xml += "<cols>"
            for (index, width) in sheet.columnWidths.enumerated() {
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(ValueText.trimmed(width))\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (rowIndex, row) in sheet.rows.enumerated() {
            xml += "<row r=\"\(rowIndex + 1)\">"
            for (columnIndex, cell) in row.enumerated() {
                xml += cellXML(cell, at: reference(row: rowIndex, column: columnIndex))
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if let last = sheet.autoFilterRows, columnCount > 0 {
            xml += "<autoFilter ref=\"A1:\(reference(row: last, column: columnCount - 1))\"/>"
        }
        if let range = sheet.colourScale {
            let sqref =
                reference(row: range.firstRow, column: range.firstColumn) + ":"
                + reference(row: range.lastRow, column: range.lastColumn)
            xml += "<conditionalFormatting sqref=\"\(sqref)\"><cfRule type=\"colorScale\" priority=\"1\"><colorScale>"
            xml += "<cfvo type=\"num\" val=\"0\"/><cfvo type=\"max\"/><color rgb=\"FFF7FBFF\"/><color rgb=\"FF2171B5\"/>"
            xml += "</colorScale></cfRule></conditionalFormatting>"
        }
        xml += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        return xml + "</worksheet>"
    }

    static func cellXML(_ cell: XLSXCell, at reference: String) -> String {
        switch cell {
        case .empty:
            return ""
        case .text(let text):
            return inlineString(text, at: reference, style: text.contains("\n") ? .wrapped : .plain)
        case .heading(let text):
            return inlineString(text, at: reference, style: text.contains("\n") ? .wrappedHeading : .heading)
        case .number(let value, let style):
            let index: Style =
                switch style {
                case .count: .count
                case .score: .score
                case .share: .share
                case .boldCount: .boldCount
                case .boldScore: .boldScore
                case .boldShare: .boldShare
                }
            let number = value.isFinite ? ValueText.trimmed(value) : "0"
            return "<c r=\"\(reference)\" s=\"\(index.rawValue)\"><v>\(number)</v></c>"
        }
    }

    private static func inlineString(_ text: String, at reference: String, style: Style) -> String {
        let style = style == .plain ? "" : " s=\"\(style.rawValue)\""
        return "<c r=\"\(reference)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">"
            + Escaping.xml(Escaping.spreadsheetText(text)) + "</t></is></c>"
    }

    /// `A1`-style reference of a 0-based row and column: column 0 is `A`, 26 is `AA`.
    static func reference(row: Int, column: Int) -> String {
        var letters = ""
        var remaining = column + 1
        while remaining > 0 {
            let digit = (remaining - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + digit))) + letters
            remaining = (remaining - 1) / 26
        }
        return letters + String(row + 1)
    }

    /// Sheet names as Excel accepts them: at most 31 characters, none of `: \ / ? * [ ]`, unique ignoring case.
    static func uniqueSheetNames(_ names: [String]) -> [String] {
        var used = Set<String>()
        return names.enumerated().map { index, name in
            var clean = String(name.map { ":\\/?*[]".contains($0) ? "-" : $0 })
                .trimmingCharacters(in: CharacterSet(charactersIn: "' "))
            if clean.isEmpty { clean = "Sheet\(index + 1)" }
            clean = String(clean.prefix(31))
            var candidate = clean
            var suffix = 2
            while used.contains(candidate.lowercased()) {
                let tail = " (\(suffix))"
                candidate = String(clean.prefix(31 - tail.count)) + tail
                suffix += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }
}
