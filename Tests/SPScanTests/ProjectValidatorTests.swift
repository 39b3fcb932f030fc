import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScan

@Suite("Project validation across both files")
struct ProjectValidatorTests {
    @Test("problems in both files are reported together, with paths as given")
    func bothFilesTogether() throws {
        let directory = try TemporaryDirectory()
        let sources = try directory.write("sources:\n  - id: Bad_Id\n", to: "Sources.yaml")
        let framework = try directory.write("id: f\ntitle: F\ndomains: []\n", to: "Framework.yaml")
        let paths = ProjectPaths(
            sources: sources, framework: framework, corpus: directory.path("Corpus"), catalog: directory.path("c.sqlite"))
        let report = ProjectValidator.validate(paths)
        #expect(report.hasErrors)
        let files = Set(report.diagnostics.compactMap { $0.location?.file })
        #expect(files == [ProjectPaths.display(sources), ProjectPaths.display(framework)])
        #expect(throws: ConfigurationError.self) { try ProjectValidator.load(paths) }
    }

    @Test("a missing file names the option that points at it")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let paths = ProjectPaths(
            sources: directory.path("none.yaml"), framework: directory.path("none2.yaml"),
            corpus: directory.path("Corpus"), catalog: directory.path("c.sqlite"))
        let messages = ProjectValidator.validate(paths).diagnostics.map(\.message)
        #expect(messages.count == 2)
        #expect(messages[0].hasSuffix("no such file; create it or point --sources at it"))
        #expect(messages[1].hasSuffix("no such file; create it or point --framework at it"))
    }
}
