import Foundation
import SPScanModel
import SPScanTestSupport
import Synchronization
import Testing

@testable import SPScanWeb

/// The scheduler with a real scan closure that writes a file, as the pipeline writes the catalog.
@Suite struct SchedulerTests {
    static func source(_ id: String, _ schedule: Schedule? = nil) -> Source {
        Source(
            id: id, url: URL(fileURLWithPath: "/"), title: id, country: .ireland, institution: "I", institutionType: .charity,
            kind: .guide, targetGroups: [.volunteers], schedule: schedule)
    }

    @Test func aDueScanRunsOnceAndTheNextIsPlannedAfterIt() async throws {
        let directory = try TemporaryDirectory()
        let log = directory.path("scans.log")
        let scheduler = ScanScheduler(sources: [Self.source("a"), Self.source("b", .weekly)], every: 86_400, lastRuns: [:]) {
            request in
            let line = request.sourceIDs.joined(separator: ",") + "\n"
            let previous = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            try (previous + line).write(to: log, atomically: true, encoding: .utf8)
            return ScanRunResult(summary: "scanned \(request.sourceIDs.count)", succeeded: true)
        }
        let now = Date(timeIntervalSince1970: 2_000_000)
        let result = await scheduler.runDue(now: now)
        #expect(result == ScanRunResult(summary: "scanned 2", succeeded: true))
        #expect(await scheduler.runDue(now: now.addingTimeInterval(60)) == nil)
        #expect(try String(contentsOf: log, encoding: .utf8) == "a,b\n")
        let status = await scheduler.status(now: now)
        #expect(status.next == PlannedScan(at: now.addingTimeInterval(86_400), sourceIDs: ["a"]))
        #expect(status.lastRun?.summary == "scanned 2")
        #expect(status.running == false)
        #expect(await scheduler.runDue(now: now.addingTimeInterval(86_400)) != nil)
        #expect(try String(contentsOf: log, encoding: .utf8) == "a,b\na\n")
    }

    @Test func neverTwoScansAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let marker = directory.path("running")
        let overlaps = Mutex(0)
        let scheduler = ScanScheduler(sources: [Self.source("a")], every: 1, lastRuns: [:]) { _ in
            if FileManager.default.fileExists(atPath: marker.path) { overlaps.withLock { $0 += 1 } }
            try Data().write(to: marker)
            try await Task.sleep(for: .milliseconds(50))
            try FileManager.default.removeItem(at: marker)
            return ScanRunResult(summary: "ok", succeeded: true)
        }
        let now = Date(timeIntervalSince1970: 2_000_000)
        async let first = scheduler.runDue(now: now)
        async let second = scheduler.runDue(now: now)
        let results = await [first, second]
        #expect(results.compactMap { $0 }.count == 1)
        #expect(overlaps.withLock { $0 } == 0)
    }

    @Test func aFailingScanIsRecordedAndNotRetriedAtOnce() async throws {
        struct Refused: Error, LocalizedError {
            var errorDescription: String? { "another scan holds the lock" }
        }
        let scheduler = ScanScheduler(sources: [Self.source("a")], every: 3_600, lastRuns: [:]) { _ in throw Refused() }
        let now = Date(timeIntervalSince1970: 2_000_000)
        #expect(await scheduler.runDue(now: now) == ScanRunResult(summary: "failed: another scan holds the lock", succeeded: false))
        #expect(await scheduler.runDue(now: now) == nil)
        #expect(await scheduler.status(now: now).lastRun?.succeeded == false)
    }

    @Test func theScansAPIAndPageShowTheNextRun() async throws {
        let fixture = try WebFixture()
        let next = Date().addingTimeInterval(3_600)
        let scheduler = ScanScheduler(
            sources: [Self.source("ca-course", .daily)], every: 7 * 86_400, lastRuns: ["ca-course": next.addingTimeInterval(-86_400)]
        ) { _ in ScanRunResult(summary: "", succeeded: true) }
        try await fixture.application(scheduler: scheduler).test(.router) { client in
            try await client.execute(uri: "/api/scans", method: .get) { response in
                let schedule = try #require(try jsonObject(response)["schedule"] as? [String: Any])
                #expect(schedule["every"] as? Double == 604_800)
                #expect(schedule["running"] as? Bool == false)
                let planned = try #require(schedule["next"] as? [String: Any])
                #expect(planned["source_ids"] as? [String] == ["ca-course"])
                let at = try #require(planned["at"] as? String)
                #expect(ISO8601DateFormatter().date(from: at).map { abs($0.timeIntervalSince(next)) < 1 } == true)
            }
            try await client.execute(uri: "/scans", method: .get) { response in
                let page = text(response)
                #expect(page.contains("<dt>Every</dt><dd>7 days</dd>"))
                #expect(page.contains("<dt>Next run</dt><dd>"))
                #expect(page.contains(": 1 source<details><summary>which</summary>ca-course</details></dd>"))
                #expect(page.contains("<dt>Coming</dt><dd>1 source due "))
                #expect(page.contains("<form method=\"post\" action=\"/scans/run\"><button type=\"submit\">Scan now</button>"))
            }
        }
    }

    @Test func comingRunsAreSummarisedByWhenTheyFall() {
        let now = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24 16:00 UTC
        var due = Array(repeating: now, count: 2)
        due += Array(repeating: now.addingTimeInterval(3 * 3_600), count: 12)
        due += Array(repeating: now.addingTimeInterval(20 * 3_600), count: 57)
        due.append(now.addingTimeInterval(9 * 86_400))
        #expect(SchedulePlan.summary(of: due, now: now) == "2 sources due now, 12 in 3 h, 57 tomorrow, 1 in a week")
        #expect(SchedulePlan.summary(of: [now.addingTimeInterval(3 * 3_600)], now: now) == "1 source due in 3 h")
        #expect(SchedulePlan.summary(of: [], now: now) == "no source has a schedule")
    }

    @Test(.timeLimit(.minutes(1)))
    func scanNowStartsAScanOfEverySourceFromThePageOnly() async throws {
        let fixture = try WebFixture()
        let ran = fixture.directory.path("ran")
        let scheduler = ScanScheduler(sources: [Self.source("b"), Self.source("a")], every: 86_400, lastRuns: ["a": Date(), "b": Date()]) {
            request in
            try Data(request.sourceIDs.joined(separator: ",").utf8).write(to: ran)
            return ScanRunResult(summary: "scanned \(request.sourceIDs.count) sources", succeeded: true)
        }
        try await fixture.application(scheduler: scheduler).test(.router) { client in
            try await client.execute(uri: "/scans/run", method: .post) { response in
                #expect(response.status == .forbidden, "no Origin, no token: another site could have sent it")
            }
            try await client.execute(uri: "/scans/run", method: .post, headers: [.origin: "http://evil.example"]) { response in
                #expect(response.status == .forbidden)
            }
            #expect(!FileManager.default.fileExists(atPath: ran.path))
            try await client.execute(uri: "/scans/run", method: .post, headers: [.origin: "http://localhost"]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/scans")
            }
            while await scheduler.status().lastRun == nil { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try String(contentsOf: ran, encoding: .utf8) == "a,b")
            #expect(await scheduler.status().lastRun?.summary == "scanned 2 sources")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theServerRunsADueScanAndKeepsAnsweringWhileItRuns() async throws {
        let fixture = try WebFixture()
        let started = fixture.directory.path("scan-started")
        let release = fixture.directory.path("scan-may-finish")
        let scheduler = ScanScheduler(sources: [Self.source("ca-course")], every: 86_400, lastRuns: [:]) { request in
            try Data(request.sourceIDs.joined(separator: ",").utf8).write(to: started)
            while !FileManager.default.fileExists(atPath: release.path) { try await Task.sleep(for: .milliseconds(10)) }
            return ScanRunResult(summary: "scanned 1 source", succeeded: true)
        }
        try await fixture.application(scheduler: scheduler).test(.live) { client in
            while !FileManager.default.fileExists(atPath: started.path) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(try String(contentsOf: started, encoding: .utf8) == "ca-course")
            // Mid-scan: the pages and the API answer, and say a scan is running.
            try await client.execute(uri: "/api/scans", method: .get) { response in
                #expect(response.status == .ok)
                let schedule = try #require(try jsonObject(response)["schedule"] as? [String: Any])
                #expect(schedule["running"] as? Bool == true)
            }
            try await client.execute(uri: "/api/matrix", method: .get) { response in
                #expect(response.status == .ok)
            }
            try Data().write(to: release)
            while await scheduler.status().running { try await Task.sleep(for: .milliseconds(10)) }
            try await client.execute(uri: "/api/scans", method: .get) { response in
                let schedule = try #require(try jsonObject(response)["schedule"] as? [String: Any])
                #expect((schedule["last_run"] as? [String: Any])?["summary"] as? String == "scanned 1 source")
                #expect((schedule["next"] as? [String: Any])?["source_ids"] as? [String] == ["ca-course"])
            }
        }
    }

    @Test func aScanCommandGetsTheDueSourcesAndItsExitCodeIsRead() async throws {
        let directory = try TemporaryDirectory()
        let record = directory.path("arguments")
        func command(exit code: Int) -> ScanFunction {
            ScanCommand.function(
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", "echo \"$@\" > '\(record.path)'; exit \(code)", "spscan"])
        }
        let ok = try await command(exit: 0)(ScanRequest(sourceIDs: ["a", "b"]))
        #expect(ok == ScanRunResult(summary: "scanned 2 sources", succeeded: true))
        #expect(try String(contentsOf: record, encoding: .utf8) == "--only a b\n")
        let partial = try await command(exit: 1)(ScanRequest(sourceIDs: ["a"]))
        #expect(partial == ScanRunResult(summary: "scanned 1 source; some failed (exit 1; see `spscan changes`)", succeeded: false))
        let refused = try await command(exit: 2)(ScanRequest(sourceIDs: ["a"]))
        #expect(refused.summary == "the scan of 1 source stopped before fetching (exit 2); see the server's log")
    }
}
