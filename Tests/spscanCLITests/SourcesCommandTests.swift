import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

/// `spscan sources export|import` through the binary: the shipped registry out to CSV and XLSX and back in
/// unchanged, an XLSX edit merged, and a bad sheet refused with every problem and nothing written.
@Suite struct SourcesCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        for name in ["Sources.yaml", "Framework.yaml"] {
            try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(name), to: directory.path(name))
        }
    }

    func run(_ arguments: [String]) throws -> CLIResult {
        try CLIRunner.run(arguments, in: directory.url)
    }

    func registryText() throws -> String {
        try String(contentsOf: directory.path("Sources.yaml"), encoding: .utf8)
    }

    @Test("export to CSV and XLSX then import back leaves Sources.yaml byte for byte the same", arguments: ["csv", "xlsx"])
    func roundTrip(format: String) throws {
        let before = try registryText()
        let export = try run(["sources", "export", "--output", "sheet.\(format)"])
        #expect(export.exitCode == 0, "\(export.stderr)")
        let imported = try run(["sources", "import", "sheet.\(format)"])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("0 added, 0 updated, 69 unchanged"), "\(imported.stdout)")
        #expect(try registryText() == before)
    }

    @Test("an XLSX export opens as a workbook with a Sources sheet and a header row of the registry's fields")
    func workbookParts() throws {
        #expect(try run(["sources", "export", "--format", "xlsx", "--output", "sheet.xlsx"]).exitCode == 0)
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        unzip.arguments = ["python3", "-c", Self.readWorkbook, directory.path("sheet.xlsx").path]
        let pipe = Pipe()
        unzip.standardOutput = pipe
        try unzip.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        unzip.waitUntilExit()
        #expect(output.contains("sheet Sources"), "\(output)")
        #expect(output.contains("xl/worksheets/sheet1.xml"), "\(output)")

        let xlsxWithoutOutput = try run(["sources", "export", "--format", "xlsx"])
        #expect(xlsxWithoutOutput.exitCode == 2)
        #expect(xlsxWithoutOutput.stderr.contains("add --output FILE.xlsx"))
    }

    /// Lists the workbook's sheet names and parts with Python's zipfile, a reader independent of ours.
    static let readWorkbook = """
        import re, sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        print("\\n".join(z.namelist()))
        for name in re.findall(r'<sheet [^>]*name="([^"]+)"', z.read("xl/workbook.xml").decode()):
            print("sheet", name)
        """

    @Test("a row edited in a CSV updates that source only; --dry-run reports it and writes nothing")
    func editedRow() throws {
        #expect(try run(["sources", "export", "--output", "sheet.csv"]).exitCode == 0)
        let sheet = try String(contentsOf: directory.path("sheet.csv"), encoding: .utf8)
        var rows = try CSV.parse(sheet).map(\.fields)
        let yearColumn = try #require(rows[0].firstIndex(of: "year"))
        let year = rows[1][yearColumn] == "2025" ? "2024" : "2025"
        rows[1][yearColumn] = year
        try Data(CSV.write(rows).utf8).write(to: directory.path("edited.csv"))

        let before = try registryText()
        let dry = try run(["sources", "import", "edited.csv", "--dry-run"])
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would write Sources.yaml: 0 added, 1 updated, 68 unchanged"), "\(dry.stdout)")
        #expect(try registryText() == before)

        let real = try run(["sources", "import", "edited.csv"])
        #expect(real.exitCode == 0, "\(real.stderr)")
        let after = try registryText()
        #expect(after != before)
        #expect(after.contains("year: \(year)"))
        #expect(try run(["validate"]).exitCode == 0)
    }

    @Test("a sheet with bad cells exits 2, names each row and column, and leaves Sources.yaml as it was")
    func badSheet() throws {
        let csv = """
            id,url,title,country,institution,institution_type,kind,target_groups
            ca-new-a,https://example.org/a,A,CA,cisp,network,training,youth
            ca-new-b,https://example.org/b,B,XX,cisp,network,training,link-workers

            """
        try Data(csv.utf8).write(to: directory.path("bad.csv"))
        let before = try registryText()
        let result = try run(["sources", "import", "bad.csv"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("bad.csv: row 2, column target_groups: unknown target group 'youth'"), "\(result.stderr)")
        #expect(result.stderr.contains("bad.csv: row 3, column country: unknown country 'XX'"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was written to Sources.yaml"))
        #expect(try registryText() == before)

        try Data(csv.utf8).write(to: directory.path("bad.txt"))
        let named = try run(["sources", "import", "bad.txt"])
        #expect(named.exitCode == 2)
        #expect(named.stderr.contains("name the file .csv or .xlsx"), "\(named.stderr)")
    }
}
