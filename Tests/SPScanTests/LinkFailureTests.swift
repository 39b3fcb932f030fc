import Foundation
import SPScanModel
import Testing

@testable import SPScan
@testable import SPScanFetch

@Suite("Followed links in the scan report")
struct LinkFailureTests {
    @Test("a refused or failed followed link counts as a failure and is listed; a fetched one does not")
    func refusedLinks() throws {
        let now = Date()
        let records = [
            SnapshotRecord(sourceID: "course", url: "https://example.org/", fetchedAt: now, outcome: .new, sha256: "a"),
            SnapshotRecord(
                sourceID: "course", url: "http://10.0.0.5/outline.pdf", fetchedAt: now, outcome: .refused,
                error: "http://10.0.0.5/outline.pdf resolves to the private address 10.0.0.5", depth: 1),
            SnapshotRecord(
                sourceID: "course", url: "https://example.org/gone.pdf", fetchedAt: now, outcome: .failed, error: "HTTP 500", depth: 1),
            SnapshotRecord(sourceID: "course", url: "https://example.org/ok.pdf", fetchedAt: now, outcome: .new, sha256: "b", depth: 1),
        ]
        let result = SourceFetchResult(sourceID: "course", url: "https://example.org/", outcome: .new, records: records)
        let report = ScanReport(results: [result], offline: false)
        #expect(report.linkFailures.map(\.url) == ["http://10.0.0.5/outline.pdf", "https://example.org/gone.pdf"])
        #expect(report.hasFailures)
        #expect(
            report.summary
                == """
                Scanned 1 source: 1 new.
                Linked documents not fetched: 2.
                  refused link: course: http://10.0.0.5/outline.pdf resolves to the private address 10.0.0.5
                  failed link: course: HTTP 500
                """)
        let clean = ScanReport(
            results: [
                SourceFetchResult(sourceID: "course", url: "https://example.org/", outcome: .new, records: [records[0], records[3]])
            ],
            offline: false)
        #expect(!clean.hasFailures)
    }
}
