import Foundation
import GRDB
import SPScanTestSupport
import Testing

@Suite("Commands refuse a --catalog that is not spscan's catalog")
struct CatalogMarkerCommandTests {
    @Test("another program's SQLite file: exit 2 from every command, nothing fetched, the file untouched")
    func foreignFile() throws {
        let server = try FixtureServer()
        let project = try scanProject([("page", server.url("etag/page"))])
        let other = project.path("other.sqlite")
        let queue = try DatabaseQueue(path: other.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')") }
        try queue.close()
        let before = try Data(contentsOf: other)
        for arguments in [["scan"], ["query", "IS-1"], ["search", "referral"], ["matrix"]] {
            let result = try CLIRunner.run(arguments + ["--catalog", "other.sqlite"], in: project.url)
            #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("is not an spscan catalog (it is another program's SQLite database)"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: other) == before)
        #expect(!FileManager.default.fileExists(atPath: other.path + "-wal"))
        #expect(server.requests.isEmpty, "the scan stopped before fetching")
    }

    @Test("an empty file is refused by scan and the catalog commands, and built into a catalog by index")
    func emptyFile() throws {
        let server = try FixtureServer()
        let project = try scanProject([("page", server.url("etag/page"))])
        _ = try project.write("", to: "empty.sqlite")
        let scan = try CLIRunner.run(["scan", "--catalog", "empty.sqlite"], in: project.url)
        #expect(scan.exitCode == 2, "\(scan.stderr)")
        #expect(scan.stderr.contains("empty.sqlite is an empty file, not a catalog; run `spscan index --catalog"), "\(scan.stderr)")
        let query = try CLIRunner.run(["query", "IS-1", "--catalog", "empty.sqlite"], in: project.url)
        #expect(query.exitCode == 2)
        #expect(try Data(contentsOf: project.path("empty.sqlite")).isEmpty)
        let index = try CLIRunner.run(["index", "--catalog", "empty.sqlite"], in: project.url)
        #expect(index.exitCode == 0, "\(index.stderr)")
        let again = try CLIRunner.run(["query", "IS-1", "--catalog", "empty.sqlite"], in: project.url)
        #expect(again.exitCode == 0, "\(again.stderr)")
    }
}
