import Foundation
import SPScanTestSupport
import Testing

@Suite("spscan framework export and import")
struct FrameworkCommandTests {
    static let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/SPScanModelTests/Fixtures/case")

    @Test("export --format case writes a schema-valid package, the same bytes twice")
    func exportTwice() throws {
        let directory = try TemporaryDirectory()
        let root = CLIRunner.packageRoot
        let framework = root.appendingPathComponent("Framework.yaml").path
        let first = try CLIRunner.run(
            ["framework", "export", "--format", "case", "--framework", framework, "--output", directory.path("a.json").path],
            in: directory.url)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stderr.contains("wrote \(directory.path("a.json").path): CASE package (3 domains, 25 competencies)"))
        let second = try CLIRunner.run(["framework", "export", "--framework", framework], in: directory.url)
        #expect(second.exitCode == 0, "\(second.stderr)")
        let written = try Data(contentsOf: directory.path("a.json"))
        #expect(Data(second.stdout.utf8) == written)
        #expect(try CASESchema.problems(in: directory.path("a.json")) == [])
    }

    @Test("import writes a Framework.yaml that validate accepts with a warning per competency; import-export-import is stable")
    func importExportImport() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"), to: directory.path("Sources.yaml"))
        let package = Self.fixtures.appendingPathComponent("opensalt-deep-tree.json").path
        let imported = try CLIRunner.run(["framework", "import", package], in: directory.url)
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("imported 3 domains and 9 competencies"))
        #expect(imported.stderr.contains("no competency has a vocabulary yet"))
        let yaml = try String(contentsOf: directory.path("Framework.yaml"), encoding: .utf8)

        let again = try CLIRunner.run(["framework", "import", package], in: directory.url)
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("Framework.yaml exists; choose another --output, or add --force to replace it"))

        let validate = try CLIRunner.run(["validate"], in: directory.url)
        #expect(validate.exitCode == 0, "\(validate.stderr)")
        let warnings = validate.stderr.split(separator: "\n").filter { $0.contains(": warning: ") && $0.contains("no vocabulary yet") }
        #expect(warnings.count == 9, "\(validate.stderr)")

        let export = try CLIRunner.run(["framework", "export", "--output", "case.json"], in: directory.url)
        #expect(export.exitCode == 0, "\(export.stderr)")
        #expect(try CASESchema.problems(in: directory.path("case.json")) == [])
        let back = try CLIRunner.run(["framework", "import", "case.json", "--output", "-"], in: directory.url)
        #expect(back.exitCode == 0, "\(back.stderr)")
        #expect(back.stdout == yaml)
    }

    @Test("a file that is not CASE is refused with exit 2 and the field at fault")
    func notCASE() throws {
        let directory = try TemporaryDirectory()
        let result = try CLIRunner.run(
            ["framework", "import", Self.fixtures.appendingPathComponent("not-case.json").path, "--output", "-"], in: directory.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("is not a CASE 1.0 or 1.1 package at `CFDocument`: missing"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("Framework.yaml").path))
    }

    @Test("framework show and terms print the same JSON twice, vocabularies keyed by language")
    func jsonIsDeterministic() throws {
        let root = CLIRunner.packageRoot
        for arguments in [["framework", "show", "--format", "json"], ["framework", "terms", "--format", "json"]] {
            let first = try CLIRunner.run(arguments, in: root)
            let second = try CLIRunner.run(arguments, in: root)
            #expect(first.exitCode == 0, "\(first.stderr)")
            #expect(first.stdout == second.stdout, "\(arguments)")
        }
        let show = try CLIRunner.run(["framework", "show", "--format", "json"], in: root)
        #expect(show.stdout.contains("\"terms\" : {\n"))
    }

    @Test("help names export and import, and export --help is export's own")
    func help() throws {
        let root = try CLIRunner.run(["--help"], in: CLIRunner.packageRoot)
        #expect(root.stdout.contains("export it to or"))
        #expect(root.stdout.contains("import it from 1EdTech CASE 1.1 JSON."))
        let export = try CLIRunner.run(["framework", "export", "--help"], in: CLIRunner.packageRoot)
        #expect(export.exitCode == 0)
        #expect(export.stdout.contains("Write the framework as a 1EdTech CASE 1.1 package"))
    }
}
