import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanFetch

#if canImport(Glibc)
    import Glibc
#endif

/// What `SnapshotStore.commit` leaves on disk, by file-system flushes (`GroupSync`) or file by file.
@Suite("Snapshot store: batch commits")
struct GroupCommitTests {
    let date = Date(timeIntervalSince1970: 1_790_000_000)

    /// Ten sources with a document each, one body shared by two sources, a body already stored and a failure.
    func batch(_ store: SnapshotStore) throws -> [PendingSnapshot] {
        let stored = Data("stored before".utf8)
        try store.put(stored)
        var items = (0..<10).map { index in
            let body = Data("<html><body>Document \(index)</body></html>".utf8)
            return PendingSnapshot(
                data: body,
                record: SnapshotRecord(
                    sourceID: "s\(index)", url: "https://e.org/\(index)", fetchedAt: date, outcome: .new, httpStatus: 200,
                    size: body.count, sha256: SHA256.hex(body)))
        }
        let shared = Data("<html><body>Document 3</body></html>".utf8)
        items.append(
            PendingSnapshot(
                data: shared,
                record: SnapshotRecord(
                    sourceID: "twin", url: "https://e.org/twin", fetchedAt: date, outcome: .new, sha256: SHA256.hex(shared))))
        items.append(
            PendingSnapshot(
                data: stored,
                record: SnapshotRecord(
                    sourceID: "s1", url: "https://e.org/1/old", fetchedAt: date, outcome: .new, sha256: SHA256.hex(stored), depth: 1)))
        let failure = SnapshotRecord(sourceID: "down", url: "https://e.org/down", fetchedAt: date, outcome: .failed, error: "x")
        items.append(PendingSnapshot(data: nil, record: failure))
        return items
    }

    /// Every file under the corpus, relative to it.
    func files(_ corpus: URL) -> [String] {
        (FileManager.default.enumerator(atPath: corpus.path)?.allObjects as? [String] ?? []).filter { name in
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: corpus.appendingPathComponent(name).path, isDirectory: &isFolder)
            return exists && !isFolder.boolValue
        }
    }

    /// Every record on disk, read by a store opened afresh (as the next scan would), with no object missing.
    func recordsNamingOnlyStoredObjects(_ corpus: URL) throws -> [SnapshotRecord] {
        let store = try SnapshotStore(corpus: corpus)
        var all: [SnapshotRecord] = []
        for id in try store.sourceIDs() {
            for record in try store.records(sourceID: id) {
                if let sha = record.sha256 {
                    #expect(try SHA256.hex(store.data(sha256: sha)) == sha, "\(record.sourceID) names a missing or torn object")
                }
                all.append(record)
            }
        }
        return all
    }

    func sorted(_ records: [SnapshotRecord]) -> [SnapshotRecord] {
        records.sorted { ($0.sourceID, $0.url) < ($1.sourceID, $1.url) }
    }

    @Test("syncfs is used on Linux 5.8 and later, whose syncfs reports write-back errors")
    func kernelRelease() throws {
        #expect(GroupSync.reportsWriteBackErrors(release: "6.1.0-13-amd64"))
        #expect(GroupSync.reportsWriteBackErrors(release: "5.8.0"))
        #expect(GroupSync.reportsWriteBackErrors(release: "5.15.153.1-microsoft-standard-WSL2"))
        #expect(!GroupSync.reportsWriteBackErrors(release: "5.7.19"))
        #expect(!GroupSync.reportsWriteBackErrors(release: "4.19.0-26-amd64"))
        #expect(!GroupSync.reportsWriteBackErrors(release: ""))
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        #if os(Linux)
            #expect(store.syncsByGroup == GroupSync.reportsWriteBackErrors(release: GroupSync.kernelRelease()))
        #else
            #expect(!store.syncsByGroup)
        #endif
        #expect(try !SnapshotStore(corpus: directory.path("Corpus"), groupSync: false).syncsByGroup)
    }

    @Test("a batch is whole on disk once commit returns, by file-system flushes or file by file", arguments: [true, false])
    func wholeBatch(groupSync: Bool) throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.path("Corpus")
        let store = try SnapshotStore(corpus: corpus, groupSync: groupSync)
        let items = try batch(store)
        try store.commit(items)

        let records = try recordsNamingOnlyStoredObjects(corpus)
        #expect(sorted(records) == sorted(items.map(\.record)))
        let names = files(corpus)
        #expect(!names.contains { $0.contains(".tmp-") })
        #expect(names.filter { $0.hasPrefix("objects/") }.count == 11)
        #expect(names.filter { $0.hasPrefix("log/") }.count == 12)
    }

    @Test(
        "a kill between the phases of a grouped commit leaves no record naming a missing object; the rerun completes it",
        arguments: [SnapshotStore.CommitPhase.objectsWritten, .objectsRenamed])
    func killedBetweenPhases(after phase: SnapshotStore.CommitPhase) throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.path("Corpus")
        let store = try SnapshotStore(corpus: corpus)
        try #require(store.syncsByGroup, "this system commits file by file; the phases are those of GroupSync")
        let items = try batch(store)
        try store.commit(items, stoppingAfter: phase)

        let names = files(corpus)
        #expect(names.filter { $0.hasPrefix("log/") }.isEmpty)
        #expect(names.filter { $0.contains(".tmp-") }.count == (phase == .objectsWritten ? 10 : 0))
        #expect(names.filter { $0.hasPrefix("objects/") && !$0.contains(".tmp-") }.count == (phase == .objectsWritten ? 1 : 11))
        #expect(try recordsNamingOnlyStoredObjects(corpus).isEmpty)

        // The next scan opens the corpus, clears what the kill left, and commits the same documents again.
        let next = try SnapshotStore(corpus: corpus)
        next.removeLeftovers()
        #expect(!files(corpus).contains { $0.contains(".tmp-") })
        try next.commit(items)
        #expect(try sorted(recordsNamingOnlyStoredObjects(corpus)) == sorted(items.map(\.record)))
        #expect(!files(corpus).contains { $0.contains(".tmp-") })
    }

    @Test(
        "a log folder on another file system than the corpus is fsynced file by file, and the batch is whole",
        .enabled(if: FileManager.default.fileExists(atPath: "/dev/shm")))
    func foreignFileSystem() throws {
        let directory = try TemporaryDirectory()
        let elsewhere = URL(fileURLWithPath: "/dev/shm/spscan-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let corpus = directory.path("Corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: corpus.appendingPathComponent("log"), withDestinationURL: elsewhere)
        var here = stat()
        var there = stat()
        try #require(stat(corpus.path, &here) == 0 && stat(elsewhere.path, &there) == 0)
        try #require(here.st_dev != there.st_dev, "/dev/shm is on the same file system as the temporary folder")

        let store = try SnapshotStore(corpus: corpus)
        let items = try batch(store)
        try store.commit(items)
        #expect(try sorted(recordsNamingOnlyStoredObjects(corpus)) == sorted(items.map(\.record)))
        let logs = try FileManager.default.contentsOfDirectory(atPath: elsewhere.path)
        #expect(logs.count == 12)
    }
}
