import Foundation
import SPScanTestSupport
import Testing

@Suite("spscan init")
struct InitCommandTests {
    @Test("init writes a project that validates, with the shipped framework, and refuses to overwrite it")
    func initThenValidate() throws {
        let directory = try TemporaryDirectory()
        let result = try CLIRunner.run(["init", "project"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let project = directory.path("project")
        for name in ["Sources.yaml", "Framework.yaml", "Reviews.yaml", ".gitignore"] {
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(name).path), "\(name)")
        }
        let framework = try Data(contentsOf: project.appendingPathComponent("Framework.yaml"))
        #expect(framework == (try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"))))
        let ignore = try String(contentsOf: project.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains(".spscan/"))

        let validate = try CLIRunner.run(["validate"], in: project)
        #expect(validate.exitCode == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("2 sources"), "\(validate.stdout)")
        #expect(!validate.stderr.contains("warning"), "\(validate.stderr)")

        // The commented webhook example is valid once uncommented.
        let sourcesFile = project.appendingPathComponent("Sources.yaml")
        let template = try String(contentsOf: sourcesFile, encoding: .utf8)
        let uncommented = template.replacingOccurrences(of: "  # notify:", with: "  notify:")
            .replacingOccurrences(of: "  #   - url:", with: "    - url:")
            .replacingOccurrences(of: "  #     secret_env:", with: "      secret_env:")
        #expect(uncommented != template)
        try Data(uncommented.utf8).write(to: sourcesFile)
        let withHooks = try CLIRunner.run(["validate"], in: project)
        #expect(withHooks.exitCode == 0, "\(withHooks.stderr)\n\(uncommented)")
        try Data(template.utf8).write(to: sourcesFile)

        try Data("keep me\n".utf8).write(to: project.appendingPathComponent("Reviews.yaml"))
        let again = try CLIRunner.run(["init"], in: project)
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("already has Sources.yaml, Framework.yaml, Reviews.yaml, .gitignore; nothing was written"))
        #expect(try String(contentsOf: project.appendingPathComponent("Reviews.yaml"), encoding: .utf8) == "keep me\n")
    }
}
