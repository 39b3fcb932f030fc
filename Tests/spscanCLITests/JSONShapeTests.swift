import Foundation
import SPScanTestSupport
import Testing

/// Every command's `--format json` against the shape docs/json.md documents for it: the keys documented, no
/// others, all snake_case. A shape that drifts from its page fails here, not in a user's script.
@Suite("JSON output has the documented shapes")
struct JSONShapeTests {
    let shapes: JSONShapes

    init() throws {
        shapes = try JSONShapes.documented()
    }

    func expectShape(
        _ result: CLIResult, _ shape: String, exitCodes: Set<Int32> = [0, 1], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(exitCodes.contains(result.exitCode), "\(result.stderr)", sourceLocation: sourceLocation)
        let problems = shapes.problems(result.stdout, shape: shape)
        #expect(problems.isEmpty, "\(shape): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
    }

    @Test("catalog commands: query, search, changes, matrix, gaps")
    func catalogCommands() throws {
        let project = try CatalogProject(scans: 2)
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"), to: project.directory.path("Sources.yaml"))
        expectShape(try project.run(["query", "IS-5", "--format", "json"]), "query")
        expectShape(try project.run(["search", "motivational", "--format", "json"]), "search")
        expectShape(try project.run(["changes", "--format", "json"]), "changes")
        expectShape(try project.run(["changes", "--since", "2025-01-01", "--format", "json"]), "changes")
        expectShape(try project.run(["matrix", "--format", "json"]), "matrix")
        expectShape(try project.run(["matrix", "--gaps", "--format", "json"]), "gaps")
    }

    @Test("project commands: validate, framework, tag, extract, robots")
    func projectCommands() throws {
        let project = try CatalogProject()
        let directory = project.directory
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"), to: directory.path("Sources.yaml"))
        expectShape(try project.run(["validate", "--format", "json"]), "validate")
        try directory.write("sources: [{id: x}]\n", to: "Broken.yaml")
        expectShape(try project.run(["validate", "--sources", "Broken.yaml", "--format", "json"]), "validate", exitCodes: [2])
        expectShape(try project.run(["framework", "show", "--format", "json"]), "framework")
        expectShape(try project.run(["framework", "terms", "--format", "json"]), "framework-terms")
        try directory.write(
            "Link workers use motivational interviewing and refer people to community groups with their consent.\n",
            to: "passage.txt")
        expectShape(try project.run(["tag", "passage.txt", "--format", "json"]), "tag")
        expectShape(try project.run(["tag", "passage.txt", "--explain", "--format", "json"]), "tag-explain")
        try directory.write(
            "<html><head><title>T</title></head><body><main><h1>T</h1><p>Some text here.</p></main></body></html>", to: "page.html")
        expectShape(try project.run(["extract", "page.html", "--format", "json"]), "extract")
        try directory.write("User-agent: *\nDisallow: /private\n", to: "robots.txt")
        expectShape(try project.run(["robots", "--robots", "robots.txt", "https://example.org/private", "--format", "json"]), "robots")
    }

    @Test("scan and index reports")
    func scanReports() throws {
        let server = try FixtureServer()
        let project = try scanProject([("fine", server.url("etag/fine")), ("broken", server.url("status/500"))])
        expectShape(try CLIRunner.run(["scan", "--format", "json"], in: project.url), "scan")
        expectShape(try CLIRunner.run(["index", "--format", "json"], in: project.url), "index")
    }
}
