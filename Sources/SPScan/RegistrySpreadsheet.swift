import Foundation
import SPScanCoverage
import SPScanModel
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `spscan sources import|export`: the registry as CSV (RFC 4180) or an Excel workbook, one row per source.
public enum RegistrySpreadsheet {
    public enum Format: String, CaseIterable, Sendable {
        case csv
        case xlsx
    }

    /// The registry as a file of the format: a header row naming the fields, then a row per source.
    public static func export(_ registry: Registry, format: Format) throws -> Data {
        let rows = RegistrySheet.rows(of: registry)
        switch format {
        case .csv:
            return Data(CSV.write(rows).utf8)
        case .xlsx:
            let cells = rows.enumerated().map { index, row in row.map { index == 0 ? XLSXCell.heading($0) : XLSXCell.text($0) } }
            let widths = RegistrySheet.columns.map { $0 == "notes" || $0 == "title" ? 60.0 : 24.0 }
            return try XLSXExporter.workbook([XLSXSheet(name: "Sources", rows: cells, columnWidths: widths)])
        }
    }

    /// Reads a CSV or XLSX file (by its extension) into a table of rows.
    public static func read(_ url: URL) throws -> RegistrySheet.Table {
        let display = ProjectPaths.display(url)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RegistrySpreadsheetError.unreadable(path: display)
        }
        switch url.pathExtension.lowercased() {
        case "csv":
            guard let text = String(data: data, encoding: .utf8) else { throw RegistrySpreadsheetError.notUTF8(path: display) }
            do {
                return try RegistrySheet.Table.csv(text)
            } catch let error as CSV.ParseError {
                throw RegistrySpreadsheetError.malformed(path: display, reason: error.localizedDescription)
            }
        case "xlsx":
            return try XLSXReader(path: display).table(data)
        default:
            throw RegistrySpreadsheetError.unknownExtension(path: display)
        }
    }
}

public enum RegistrySpreadsheetError: Error, LocalizedError, Equatable {
    case unreadable(path: String)
    case notUTF8(path: String)
    case malformed(path: String, reason: String)
    case unknownExtension(path: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path): "cannot read \(path): no such file or not readable"
        case .notUTF8(let path): "\(path) is not UTF-8 text; save the CSV as UTF-8 (Excel: \"CSV UTF-8\")"
        case .malformed(let path, let reason): "\(path) cannot be read: \(reason)"
        case .unknownExtension(let path): "\(path): name the file .csv or .xlsx so that its format is known"
        }
    }
}

/// The first worksheet of an Office Open XML workbook, as text cells: shared and inline strings, numbers and
/// booleans as written. Read with ZIPFoundation and Foundation's XMLParser (no network, no entities), under
/// size limits, so that a hostile workbook cannot exhaust memory.
struct XLSXReader {
    let path: String
    static let maxPartBytes = 64 * 1024 * 1024

    func table(_ data: Data) throws -> RegistrySheet.Table {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw RegistrySpreadsheetError.malformed(path: path, reason: "it is not a workbook (not a ZIP file)")
        }
        let workbook = try part("xl/workbook.xml", in: archive)
        let relations = try part("xl/_rels/workbook.xml.rels", in: archive)
        let sheets = XMLElements(data: workbook, names: ["sheet"]).elements
        guard let first = sheets.first,
            let relation = first.attributes["r:id"] ?? first.attributes.first(where: { $0.key.hasSuffix(":id") })?.value
        else { throw RegistrySpreadsheetError.malformed(path: path, reason: "the workbook has no worksheet") }
        let target = XMLElements(data: relations, names: ["Relationship"]).elements.first { $0.attributes["Id"] == relation }?.attributes[
            "Target"]
        guard let target else { throw RegistrySpreadsheetError.malformed(path: path, reason: "the first worksheet's part is not named") }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        let shared =
            archive[("xl/sharedStrings.xml")] == nil ? [] : SharedStrings(data: try part("xl/sharedStrings.xml", in: archive)).strings
        let cells = SheetCells(data: try part(sheetPath, in: archive), shared: shared)
        if let problem = cells.problem { throw RegistrySpreadsheetError.malformed(path: path, reason: problem) }
        let rows = cells.rows.sorted { $0.key < $1.key }
        guard let header = rows.first else { return RegistrySheet.Table(header: [], rows: []) }
        func dense(_ row: [Int: String]) -> [String] {
            guard let last = row.keys.max() else { return [] }
            return (0...last).map { row[$0] ?? "" }
        }
        return RegistrySheet.Table(
            header: dense(header.value),
            rows: rows.dropFirst().map { ($0.key, dense($0.value)) }.filter { !$0.1.allSatisfy(\.isEmpty) })
    }

    func part(_ name: String, in archive: Archive) throws -> Data {
        guard let entry = archive[name] else {
            throw RegistrySpreadsheetError.malformed(path: path, reason: "the workbook has no \(name)")
        }
        var result = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: true) { chunk in
                result.append(chunk)
                if result.count > Self.maxPartBytes {
                    throw RegistrySpreadsheetError.malformed(path: path, reason: "\(name) is larger than 64 MiB")
                }
            }
        } catch let error as RegistrySpreadsheetError {
            throw error
        } catch {
            throw RegistrySpreadsheetError.malformed(path: path, reason: "\(name) cannot be inflated")
        }
        return result
    }
}

/// Elements of the given names with their attributes (namespace prefixes kept as written).
final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    let names: Set<String>
    var elements: [Element] = []

    init(data: Data, names: Set<String>) {
        self.names = names
        super.init()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        parser.parse()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if names.contains(name) { elements.append(Element(name: name, attributes: attributes)) }
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, runs joined.
final class SharedStrings: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current: String?
    private var inText = false

    init(data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        parser.parse()
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "si" { current = "" }
        if name == "t" { inText = true }
        // Phonetic guides (<rPh>) are not part of the text.
        if name == "rPh" { inText = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText, current != nil { current? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "t" { inText = false }
        if name == "si" {
            strings.append(current ?? "")
            current = nil
        }
    }
}

/// A worksheet's cells by 1-based row number and 0-based column.
final class SheetCells: NSObject, XMLParserDelegate {
    var rows: [Int: [Int: String]] = [:]
    var problem: String?
    private let shared: [String]
    private var reference: (row: Int, column: Int)?
    private var type = ""
    private var value = ""
    private var capturing = false
    private var rowNumber = 0
    private var nextColumn = 0

    init(data: Data, shared: [String]) {
        self.shared = shared
        super.init()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        if !parser.parse(), problem == nil {
            problem = "the worksheet XML is malformed (\(parser.parserError?.localizedDescription ?? "unknown error"))"
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            nextColumn = 0
        case "c":
            let column = attributes["r"].flatMap(Self.column(of:)) ?? nextColumn
            reference = (rowNumber, column)
            nextColumn = column + 1
            type = attributes["t"] ?? "n"
            value = ""
        case "v", "t":
            capturing = reference != nil
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": capturing = false
        case "c":
            guard let reference else { return }
            var text = value
            switch type {
            case "s":
                guard let index = Int(value), shared.indices.contains(index) else {
                    problem = "cell \(Self.name(reference)) names shared string \(value), which the workbook lacks"
                    return
                }
                text = shared[index]
            case "b": text = value == "1" ? "true" : "false"
            case "n":
                // Whole numbers as Excel shows them (a year, a depth), not "2024.0".
                if let number = Double(value), number == number.rounded(), abs(number) < 1e15 { text = String(Int(number)) }
            default: break
            }
            if !text.isEmpty { rows[reference.row, default: [:]][reference.column] = text }
            self.reference = nil
        default: break
        }
    }

    /// `B12` → column 1.
    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { break }
            column = column * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters == 0 ? nil : column - 1
    }

    static func name(_ reference: (row: Int, column: Int)) -> String {
        var column = reference.column + 1
        var letters = ""
        while column > 0 {
            let remainder = (column - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            column = (column - 1) / 26
        }
        return "\(letters)\(reference.row)"
    }
}
