import Foundation
import SPScanFetch
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("Snapshot store")
struct SnapshotStoreTests {
    let date = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("objects are content-addressed under objects/<2 hex>/<sha256>, written once")
    func objects() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        let sha = try store.put(Data("abc".utf8))
        #expect(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let path = directory.path("Corpus/objects/ba/\(sha)").path
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.put(Data("abc".utf8)) == sha)
        #expect(try store.data(sha256: sha) == Data("abc".utf8))
        let missing = String(repeating: "0", count: 64)
        #expect(throws: FetchError.objectMissing(sha256: missing, path: store.objectURL(sha256: missing).path)) {
            try store.data(sha256: missing)
        }
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors, across block boundaries")
    func sha256() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("the log keeps every record in order; current picks the latest body per URL, captures before samples")
    func logAndCurrent() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        let url = "https://example.org/a"
        let sample = try store.importSample(sourceID: "s", url: url, data: Data("sample".utf8), contentType: "text/html", at: date)
        #expect(try store.current(sourceID: "s") == [sample])
        let v1 = try store.put(Data("one".utf8))
        let capture = SnapshotRecord(sourceID: "s", url: url, fetchedAt: date, outcome: .new, httpStatus: 200, sha256: v1)
        try store.append(capture)
        let failure = SnapshotRecord(sourceID: "s", url: url, fetchedAt: date, outcome: .failed, error: "down")
        try store.append(failure)
        let linked = SnapshotRecord(sourceID: "s", url: url + "/b.pdf", fetchedAt: date, outcome: .new, sha256: v1, depth: 1)
        try store.append(linked)
        #expect(try store.records(sourceID: "s") == [sample, capture, failure, linked])
        #expect(try store.current(sourceID: "s") == [capture, linked])
        #expect(try store.records(sourceID: "other").isEmpty)
        #expect(try store.sourceIDs() == ["s"])
    }

    @Test("importing the same sample twice appends nothing; a new sample appends a changed record")
    func sampleIdempotent() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        let first = try store.importSample(sourceID: "s", url: "https://e.org", data: Data("x".utf8), contentType: "text/html", at: date)
        let again = try store.importSample(sourceID: "s", url: "https://e.org", data: Data("x".utf8), contentType: "text/html", at: date)
        #expect(first == again)
        #expect(first.origin == .sample)
        #expect(try store.records(sourceID: "s").count == 1)
        let changed = try store.importSample(sourceID: "s", url: "https://e.org", data: Data("y".utf8), contentType: "text/html", at: date)
        #expect(changed.outcome == .changed)
        #expect(try store.records(sourceID: "s").count == 2)
    }

    @Test("a line cut short by a crash is ignored, then trimmed by the next append")
    func partialLine() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        let record = SnapshotRecord(sourceID: "s", url: "https://e.org", fetchedAt: date, outcome: .failed, error: "x")
        try store.append(record)
        let log = store.logURL(sourceID: "s")
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"source\":\"s\",\"ur".utf8))
        try handle.close()
        #expect(try store.records(sourceID: "s") == [record])
        try store.append(record)
        #expect(try store.records(sourceID: "s") == [record, record])
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(!text.contains("\"ur\n") && text.hasSuffix("\n"))
    }

    @Test("a corrupt line is reported with its path and line number")
    func corruptLine() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        try Data("not json\n".utf8).write(to: store.logURL(sourceID: "s"))
        #expect(
            performing: { try store.records(sourceID: "s") },
            throws: { error in
                guard case FetchError.corruptLog(let path, let line, _) = error else { return false }
                return path == store.logURL(sourceID: "s").path && line == 1
            })
    }

    @Test("a second lock on the corpus is refused while the first is held, and granted after")
    func lock() throws {
        let directory = try TemporaryDirectory()
        let corpus = directory.path("Corpus")
        var first: CorpusLock? = try CorpusLock(corpus: corpus)
        #expect(throws: FetchError.corpusLocked(path: corpus.appendingPathComponent(".lock").path)) {
            _ = try CorpusLock(corpus: corpus)
        }
        #expect(first != nil)
        first = nil
        #expect(throws: Never.self) { _ = try CorpusLock(corpus: corpus) }
    }

    @Test("temporary files left by a killed write are removed")
    func leftovers() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        try store.put(Data("abc".utf8))
        let stray = directory.path("Corpus/objects/ba/.tmp-1234")
        try Data("half".utf8).write(to: stray)
        store.removeLeftovers()
        #expect(!FileManager.default.fileExists(atPath: stray.path))
        #expect(try store.data(sha256: SHA256.hex(Data("abc".utf8))) == Data("abc".utf8))
    }
}

@Suite("Address policy")
struct AddressPolicyTests {
    @Test(
        "private, loopback, link-local and special addresses are refused",
        arguments: [
            [127, 0, 0, 1], [10, 1, 2, 3], [172, 16, 0, 1], [172, 31, 255, 255], [192, 168, 1, 1], [169, 254, 169, 254],
            [0, 0, 0, 0], [100, 64, 0, 1], [224, 0, 0, 1],
        ] as [[UInt8]])
    func privateIPv4(_ bytes: [UInt8]) {
        #expect(AddressPolicy.isPrivate(bytes))
    }

    @Test("public addresses pass", arguments: [[8, 8, 8, 8], [172, 32, 0, 1], [192, 169, 0, 1], [100, 128, 0, 1]] as [[UInt8]])
    func publicIPv4(_ bytes: [UInt8]) {
        #expect(!AddressPolicy.isPrivate(bytes))
    }

    @Test("IPv6 loopback, unique-local, link-local and mapped private IPv4 are refused; global passes")
    func ipv6() {
        var loopback = [UInt8](repeating: 0, count: 16)
        loopback[15] = 1
        #expect(AddressPolicy.isPrivate(loopback))
        #expect(AddressPolicy.isPrivate([0xFD, 0] + [UInt8](repeating: 0, count: 14)))
        #expect(AddressPolicy.isPrivate([0xFE, 0x80] + [UInt8](repeating: 0, count: 14)))
        #expect(AddressPolicy.isPrivate([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 10, 0, 0, 1]))
        #expect(!AddressPolicy.isPrivate([0x2A, 0x00, 0x14, 0x50] + [UInt8](repeating: 0, count: 11) + [1]))
        #expect(AddressPolicy.format([127, 0, 0, 1]) == "127.0.0.1")
    }
}

@Suite("Log dates")
struct LogDateTests {
    @Test("log times are written as ISO 8601 UTC seconds and read back, other ISO forms too")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let store = try SnapshotStore(corpus: directory.path("Corpus"))
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        try store.append(SnapshotRecord(sourceID: "s", url: "https://e.org", fetchedAt: date, outcome: .failed))
        let text = try String(contentsOf: store.logURL(sourceID: "s"), encoding: .utf8)
        #expect(text.contains("\"time\":\"2026-11-18T11:06:40Z\""))
        #expect(try store.records(sourceID: "s").first?.fetchedAt == date)
        try Data(
            "{\"source\":\"t\",\"url\":\"https://e.org\",\"time\":\"2026-11-18T12:06:40+01:00\",\"outcome\":\"failed\",\"origin\":\"capture\",\"depth\":0}\n"
                .utf8
        ).write(to: store.logURL(sourceID: "t"))
        #expect(try store.records(sourceID: "t").first?.fetchedAt == date)
    }
}
