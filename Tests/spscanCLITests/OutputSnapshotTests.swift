import Foundation
import SPScanTestSupport
import Testing

/// What a user reads on the terminal, pinned as plain-text snapshots in `Snapshots/` (re-record with
/// `RECORD_SNAPSHOTS=1` after reviewing the change): the scan summary, the query table and validate's report.
@Suite struct OutputSnapshotTests {
    @Test("the scan summary: outcomes, failures with their fix, and coverage")
    func scanSummary() throws {
        let server = try FixtureServer()
        let project = try scanProject([
            ("fine", server.url("etag/fine")), ("missing", server.url("status/404")), ("broken", server.url("status/500")),
        ])
        let scan = try CLIRunner.run(["scan"], in: project.url, environment: ["COLUMNS": "100"])
        #expect(scan.exitCode == 1, "\(scan.stderr)")
        // The fixture server's port changes from run to run.
        let summary = scan.stdout.replacingOccurrences(of: server.url("").absoluteString, with: "http://127.0.0.1:PORT/")
        let mismatch = Snapshot.mismatch(summary, named: "scan-summary")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test("the query table at 100 columns")
    func queryTable() throws {
        let project = try CatalogProject()
        let query = try CLIRunner.run(["query", "IS-5"], in: project.directory.url, environment: ["COLUMNS": "100"])
        #expect(query.exitCode == 0, "\(query.stderr)")
        let mismatch = Snapshot.mismatch(query.stdout, named: "query-table")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test("validate lists every problem with file, line and column, and exits 2")
    func validateErrors() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        try directory.write(
            """
            sources:
              - id: Bad_Id
                url: ftp://example.org/a
                title: A
                country: UK1
                institution: Example
                institution_type: network
                kind: training
                target_groups: [youth]
              - id: ca-two
                url: https://example.org/b
                title: B
                country: CA
                institution: Example
                institution_type: charity
                kind: course
                target_groups: [link-workers]
                colour: blue

            """, to: "Sources.yaml")
        let validate = try CLIRunner.run(["validate"], in: directory.url)
        #expect(validate.exitCode == 2)
        let mismatch = Snapshot.mismatch("stdout:\n\(validate.stdout)\nstderr:\n\(validate.stderr)", named: "validate-errors")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
