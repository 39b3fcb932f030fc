import Foundation
import SPScanTestSupport
import Testing

@Suite("spscan validate")
struct ValidateCommandTests {
    @Test("the shipped Sources.yaml and Framework.yaml are valid")
    func shippedFilesAreValid() throws {
        let root = CLIRunner.packageRoot
        let result = try CLIRunner.run(["validate"], in: root)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("25 competencies: OK"))
    }

    @Test("five mistakes give five errors with line and column, and exit 2")
    func fiveMistakes() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        try directory.write(
            """
            sources:
              - id: ok-source
                url: https://example.org/a
                title: A
                country: UK1
                institution: I
                institution_type: charity
                kind: guide
                target_groups: [public, aliens]
              - id: ok-source
                url: ftp://example.org/b
                title: B
                country: CA
                institution: I
                institution_type: charity
                kind: guide
                target_groups: [public]
                colour: blue
            """, to: "Sources.yaml")
        let result = try CLIRunner.run(["validate"], in: directory.url)
        #expect(result.exitCode == 2)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(lines.count == 5, "\(result.stderr)")
        #expect(lines.contains { $0.hasPrefix("Sources.yaml:5:14: error: source 'ok-source': unknown country 'UK1'") })
        #expect(lines.contains { $0.hasPrefix("Sources.yaml:9:29: error: source 'ok-source': unknown target group 'aliens'") })
        #expect(lines.contains { $0.hasPrefix("Sources.yaml:11:10: error: source 'ok-source': URL scheme 'ftp'") })
        #expect(lines.contains { $0.hasPrefix("Sources.yaml:18:5: error: source 'ok-source': unknown key `colour`") })
        #expect(lines.contains { $0.hasPrefix("Sources.yaml:10:9: error: duplicate source id 'ok-source' (first used on line 2)") })
        #expect(result.stderr.contains("5 errors found"))
    }

    @Test("--format json reports diagnostics on standard output")
    func jsonOutput() throws {
        let result = try CLIRunner.run(["validate", "--format", "json"], in: CLIRunner.packageRoot)
        #expect(result.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == true)
        #expect(object["competencies"] as? Int == 25)
    }

    @Test("a missing file says which option to fix")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let result = try CLIRunner.run(["validate", "--sources", "nowhere.yaml"], in: directory.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("cannot read nowhere.yaml: no such file; create it or point --sources at it"))
    }

    @Test("usage errors exit 2, not ArgumentParser's 64")
    func usageError() throws {
        let result = try CLIRunner.run(["validate", "--no-such-flag"], in: CLIRunner.packageRoot)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("Unknown option"))
    }
}
