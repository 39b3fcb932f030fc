import Foundation
import SPScanTestSupport
import Testing

@Suite("spscan scan tells the notify: webhooks of its changes")
struct NotifyCommandTests {
    /// The receiver's own check of a signature, with OpenSSL rather than spscan's HMAC.
    static func opensslHMAC(key: String, body: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "dgst", "-sha256", "-hmac", key]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(body)
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a 500 then 200 receiver gets the signed summary on its second try; an always-failing one is logged; exit 0")
    func scanNotifies() throws {
        let site = try ChangingSite()
        let receiver = try FixtureServer()
        let hookAnswers = Counter()
        receiver.route("/hook") { _ in .html("ok", status: hookAnswers.next() == 1 ? 500 : 200) }
        receiver.route("/down") { _ in .html("down", status: 500) }
        let project = try scanProject(
            [site.sources[0]],
            defaults: """
                  notify:
                    - url: \(receiver.url("hook").absoluteString)
                      secret_env: SPSCAN_TEST_HOOK_SECRET
                      allow_private: true
                    - url: \(receiver.url("down").absoluteString)
                      allow_private: true
                      retries: 1
                """)
        site.set("a", Modules.listening + Modules.interviewing)
        let environment = ["SPSCAN_TEST_HOOK_SECRET": "a secret kept out of Sources.yaml"]
        let first = try CLIRunner.run(["scan"], in: project.url, environment: environment)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Webhooks: 1 of 2 told of the changes."), "\(first.stdout)")
        #expect(
            first.stdout.contains("  not delivered: \(receiver.url("down").absoluteString): HTTP 500; gave up after 2 attempts"),
            "\(first.stdout)")
        #expect(first.stderr.contains("attempt 1 failed (HTTP 500); retrying in 1s"), "\(first.stderr)")

        let posts = receiver.requests(path: "/hook")
        #expect(posts.count == 2)
        let body = try #require(posts.last?.body)
        let signature = try #require(posts.last?.headers["x-spscan-signature"])
        #expect(signature == "sha256=" + (try Self.opensslHMAC(key: environment["SPSCAN_TEST_HOOK_SECRET"] ?? "", body: body)))
        #expect(signature != "sha256=" + (try Self.opensslHMAC(key: "another secret", body: body)))
        #expect(receiver.requests(path: "/down").count == 2)
        #expect(receiver.requests(path: "/down").allSatisfy { $0.headers["x-spscan-signature"] == nil })

        let summary = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(summary["event"] as? String == "scan.changes")
        #expect(summary["scan"] as? Int == 1)
        let counts = try #require(summary["counts"] as? [String: Int])
        #expect(counts["new"] == 1 && counts["changed"] == 0)
        #expect((counts["tags_gained"] ?? 0) > 0, "\(counts)")
        let documents = try #require(summary["documents"] as? [[String: Any]])
        #expect(documents.map { $0["document_id"] as? String } == ["a"])
        #expect(documents.first?["change"] as? String == "new")
        #expect(summary["started_at"] is String)
        let problems = try JSONShapes.documented().problems(String(decoding: body, as: UTF8.self), shape: "webhook")
        #expect(problems.isEmpty, "\(problems)")

        let log = try String(contentsOf: project.path("Corpus/notifications.jsonl"), encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 1)
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let deliveries = try #require(entry["deliveries"] as? [[String: Any]])
        #expect(deliveries.map { $0["delivered"] as? Bool } == [true, false])
        #expect(deliveries.map { $0["attempts"] as? Int } == [2, 2])

        // Nothing changed: nobody is told.
        let second = try CLIRunner.run(["scan", "--format", "json"], in: project.url, environment: environment)
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(receiver.requests(path: "/hook").count == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect((report["notifications"] as? [Any])?.isEmpty == true)

        // A change: told again, and the JSON report carries how each hook answered.
        site.set("a", Modules.listening + Modules.safeguarding)
        let third = try CLIRunner.run(["scan", "--format", "json"], in: project.url, environment: environment)
        #expect(third.exitCode == 0, "\(third.stderr)")
        let changed = try #require(try JSONSerialization.jsonObject(with: Data(third.stdout.utf8)) as? [String: Any])
        let told = try #require(changed["notifications"] as? [[String: Any]])
        #expect(told.map { $0["delivered"] as? Bool } == [true, false])
        #expect(told.first?["http_status"] as? Int == 200)
        let latest = try #require(receiver.requests(path: "/hook").last?.body)
        let again = try #require(try JSONSerialization.jsonObject(with: latest) as? [String: Any])
        let changedDocuments = try #require(again["documents"] as? [[String: Any]])
        #expect(changedDocuments.first?["change"] as? String == "changed")
        #expect((changedDocuments.first?["sentences_added"] as? Int ?? 0) > 0)
    }

    @Test("a loopback webhook without allow_private is refused, and the scan still succeeds")
    func loopbackNeedsAllowing() throws {
        let site = try ChangingSite()
        let receiver = try FixtureServer()
        receiver.route("/hook") { _ in .html("ok") }
        let project = try scanProject(
            [site.sources[0]], defaults: "  notify: [\(receiver.url("hook").absoluteString)]")
        site.set("a", Modules.listening)
        let scan = try CLIRunner.run(["scan"], in: project.url)
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("Webhooks: 0 of 1 told of the changes."), "\(scan.stdout)")
        #expect(scan.stdout.contains("add `allow_private: true` to this notify item"), "\(scan.stdout)")
        let report = try String(contentsOf: project.path("Corpus/notifications.jsonl"), encoding: .utf8)
        #expect(report.contains("\"attempts\":0"), "\(report)")
        #expect(receiver.requests.isEmpty)
    }

    @Test("validate names the line and column of a bad notify URL")
    func validateReportsBadURL() throws {
        let project = try scanProject(
            [("a", try #require(URL(string: "https://example.org/a")))], defaults: "  notify:\n    - url: mailto:team@example.org")
        let result = try CLIRunner.run(["validate"], in: project.url)
        #expect(result.exitCode == 2)
        #expect(
            result.stderr.contains(
                "Sources.yaml:7:12: error: defaults notify item 1: URL scheme 'mailto' is not notified; use an http or https URL"),
            "\(result.stderr)")
    }
}

/// Counts calls across the fixture server's threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
