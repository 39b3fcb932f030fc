import Foundation
import SPScanCoverage
import SPScanModel
import SPScanTestSupport
import Testing
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("XLSX workbook")
struct XLSXTests {
    static let hostile = Fixtures.document(
        "hostile", institution: "=HYPERLINK(\"http://x\")", country: .singapore, tags: [Fixtures.tag("CO-1", 0.3)])

    func workbook() throws -> Data {
        let documents = Fixtures.documents + [Self.hostile]
        let framework = Fixtures.framework
        let byInstitution = CoverageMatrix.build(
            documents: documents, framework: framework, rows: .institution, columns: .competency)
        let byCountry = CoverageMatrix.build(documents: documents, framework: framework, rows: .country, columns: .competency)
        let gaps = Gaps.find(matrix: byInstitution, documents: documents, framework: framework)
        return try XLSXExporter.workbook(
            views: [("By institution", byInstitution), ("By country", byCountry)], gaps: gaps)
    }

    func parts(_ data: Data) throws -> [String: String] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return parts
    }

    @Test("the zip holds every part a spreadsheet needs, and each is well-formed XML")
    func parts() throws {
        let parts = try parts(try workbook())
        #expect(
            parts.keys.sorted() == [
                "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml",
                "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
                "xl/worksheets/sheet4.xml",
            ])
        for (path, text) in parts {
            let parser = XMLParser(data: Data(text.utf8))
            #expect(parser.parse(), "\(path) is not well-formed: \(String(describing: parser.parserError))")
        }
        let workbook = try #require(parts["xl/workbook.xml"])
        #expect(workbook.contains("<sheet name=\"By institution\" sheetId=\"1\" r:id=\"rId1\"/>"))
        #expect(workbook.contains("<sheet name=\"Gaps\" sheetId=\"3\" r:id=\"rId3\"/>"))
        #expect(workbook.contains("<sheet name=\"Legend\" sheetId=\"4\" r:id=\"rId4\"/>"))
    }

    @Test("a matrix sheet freezes its header row and label column, and colours the counts on a scale")
    func sheet() throws {
        let sheet = try #require(try parts(try workbook())["xl/worksheets/sheet1.xml"])
        #expect(sheet.contains("<pane xSplit=\"1\" ySplit=\"1\" topLeftCell=\"B2\" activePane=\"bottomRight\" state=\"frozen\"/>"))
        #expect(sheet.contains("<conditionalFormatting sqref=\"C2:G6\"><cfRule type=\"colorScale\""))
        #expect(sheet.contains("<c r=\"A3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Alpha University</t></is></c>"))
        #expect(sheet.contains("<c r=\"C3\" s=\"2\"><v>2</v></c>"))
        #expect(!sheet.contains("<f>"))
    }

    @Test("a label that looks like a formula is stored neutralised, as text")
    func neutralised() throws {
        let sheet = try #require(try parts(try workbook())["xl/worksheets/sheet1.xml"])
        #expect(sheet.contains("<t xml:space=\"preserve\">'=HYPERLINK(&quot;http://x&quot;)</t>"))
    }

    @Test("the same input gives the same bytes")
    func deterministic() throws {
        #expect(try workbook() == workbook())
    }

    @Test("sheet names are cut and made unique as Excel requires")
    func names() throws {
        let long = String(repeating: "x", count: 40)
        let data = try XLSXExporter.workbook([
            XLSXSheet(name: "a/b", rows: []), XLSXSheet(name: long, rows: []), XLSXSheet(name: long, rows: []),
        ])
        let workbook = try #require(try parts(data)["xl/workbook.xml"])
        #expect(workbook.contains("name=\"a-b\""))
        #expect(workbook.contains("name=\"\(String(repeating: "x", count: 31))\""))
        #expect(workbook.contains("name=\"\(String(repeating: "x", count: 27)) (2)\""))
    }

    @Test(
        "LibreOffice opens every sheet of the workbook and reads back the matrix",
        .enabled(
            if: LibreOffice.executable != nil,
            "LibreOffice is not installed (apt-get install libreoffice-calc-nogui); the XML checks above still ran"))
    func libreOffice() throws {
        let soffice = try #require(LibreOffice.executable)
        let directory = try TemporaryDirectory()
        let file = directory.path("coverage.xlsx")
        try workbook().write(to: file)
        let process = Process()
        process.executableURL = soffice
        process.arguments = [
            "-env:UserInstallation=file://\(directory.path("profile").path)", "--headless", "--convert-to",
            // Comma, double quote, UTF-8, from line 1, …, and -1: every sheet to its own `<name>-<sheet>.csv`.
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir", directory.url.path, file.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for sheet in ["By institution", "By country", "Gaps", "Legend"] {
            #expect(FileManager.default.fileExists(atPath: directory.path("coverage-\(sheet).csv").path), "sheet \(sheet)")
        }
        let gaps = try String(contentsOf: directory.path("coverage-Gaps.csv"), encoding: .utf8)
        #expect(gaps.hasPrefix("Rank,Kind,Row,Column,Institution,Documents,Summary"))
        let csv = try String(contentsOf: directory.path("coverage-By institution.csv"), encoding: .utf8)
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == "Institution,Documents,AS-1,AS-2,CO-1,CO-2,CO-3")
        #expect(lines.contains("Alpha University,2,2,1,1,0,0"))
        #expect(lines.contains("\"'=HYPERLINK(\"\"http://x\"\")\",1,0,0,1,0,0"))
        #expect(lines.last == "Total,6,3,1,3,0,0")
    }
}

enum LibreOffice {
    /// `soffice` on the PATH or where Debian puts it.
    static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        let candidates = path.split(separator: ":").map { "\($0)/soffice" } + ["/usr/lib/libreoffice/program/soffice"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map(URL.init(fileURLWithPath:))
    }
}
