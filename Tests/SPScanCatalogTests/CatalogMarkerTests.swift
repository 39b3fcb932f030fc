import Foundation
import GRDB
import SPScanTestSupport
import Testing

@testable import SPScanCatalog

@Suite("A catalog is a catalog: spscan's schema marker")
struct CatalogMarkerTests {
    /// The bytes of every file in `directory`, by name: what "left untouched" is checked against.
    func contents(_ directory: TemporaryDirectory) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) {
            files[name] = try Data(contentsOf: directory.path(name))
        }
        return files
    }

    @Test("another program's SQLite database is refused and left exactly as it was, whatever the opening mode")
    func foreignDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.sqlite")
        do {
            let queue = try DatabaseQueue(path: path.path)
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')")
            }
            try queue.close()
        }
        let before = try contents(directory)
        for creation in [CatalogDatabase.Creation.never, .ifMissing, .ifMissingOrEmpty] {
            #expect(
                throws: CatalogError.notACatalog(path: path.path, reason: "it is another program's SQLite database")
            ) { try CatalogDatabase(path: path, creation: creation) }
        }
        #expect(try contents(directory) == before, "no table, journal or WAL file was added")
    }

    @Test("a SQLite file with another application id is refused, naming the id")
    func otherApplicationID() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("app.sqlite")
        let queue = try DatabaseQueue(path: path.path)
        try queue.write { db in
            try db.execute(sql: "PRAGMA application_id = 42; CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        try queue.close()
        #expect(throws: CatalogError.notACatalog(path: path.path, reason: "its SQLite application id is 42, not spscan's")) {
            try CatalogDatabase(path: path)
        }
    }

    @Test("an empty file is refused unless a catalog is to be built there (spscan index)")
    func emptyFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("", to: "empty.sqlite")
        #expect(throws: CatalogError.emptyFile(path: path.path)) { try CatalogDatabase(path: path) }
        #expect(throws: CatalogError.emptyFile(path: path.path)) { try CatalogDatabase.openExisting(path: path) }
        #expect(try Data(contentsOf: path).isEmpty)
        #expect(CatalogError.emptyFile(path: "x").localizedDescription.contains("spscan index --catalog x"))
        let built = try CatalogDatabase(path: path, creation: .ifMissingOrEmpty)
        #expect(try built.summary().documents == 0)
        #expect(try built.writer.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") } == CatalogDatabase.applicationID)
    }

    @Test("a new catalog carries the marker; one built before the marker existed opens and is stamped")
    func markerAndEarlierCatalogs() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("catalog.sqlite")
        do {
            let catalog = try CatalogDatabase(path: path)
            _ = try Fixtures.scannedCatalog(catalog)
            #expect(try catalog.writer.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") } == CatalogDatabase.applicationID)
            // As an earlier spscan left it: the migrations table, no application id.
            try catalog.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = 0") }
        }
        let reopened = try CatalogDatabase.openExisting(path: path)
        #expect(try reopened.summary().documents == 3)
        #expect(try reopened.writer.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") } == CatalogDatabase.applicationID)
    }
}
