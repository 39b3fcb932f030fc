import Foundation
import Hummingbird
import HummingbirdTesting
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanWeb

/// Headless Chromium (Debian's `chromium`) through the page as a person uses it, driven over the DevTools
/// pipe by `Browser/drive.py`. Screenshots are kept in `.build/artifacts/` for a person to look at.
@Suite struct BrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(
        .enabled(
            if: chromium != nil && python != nil,
            "Chromium or python3 is not installed: run scripts/install-deps (apt-get install chromium python3)"),
        .timeLimit(.minutes(2)))
    func filterOpenACompetencyAndAcceptATag() async throws {
        let fixture = try WebFixture()
        let artifacts = CLIRunner.packageRoot.appendingPathComponent(".build/artifacts")
        let driver = CLIRunner.packageRoot.appendingPathComponent("Tests/SPScanWebTests/Browser/drive.py")
        let output = try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            return try await Self.run(
                try #require(Self.python), [driver.path, "http://127.0.0.1:\(port)", artifacts.path])
        }
        let seen = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "driver printed: \(output)")
        #expect((seen["matrix_caption"] as? String)?.hasPrefix("Coverage by target group and competency") == true)
        #expect((seen["filtered_query"] as? String)?.contains("country=GB") == true)
        #expect(seen["filtered_rows"] as? [String] == ["United Kingdom"])
        #expect(seen["competency_title"] as? String == "IS-5 " + (try Self.competencyName("IS-5", fixture)))
        #expect((seen["marks"] as? [String])?.contains("refer") == true, "the column keeps the page's filter")
        #expect(seen["after_accept_path"] as? String == "/competencies/IS-5")
        #expect((seen["after_accept_text"] as? String)?.contains("accepted by a reviewer") == true)
        #expect((seen["document_reviews"] as? [String])?.first?.hasPrefix("IS-5: accepted on ") == true)
        let reviews = try String(contentsOf: fixture.directory.path("Reviews.yaml"), encoding: .utf8)
        #expect(reviews.contains("document: gb-guide"))
        #expect(reviews.contains("decision: accept"))
        #expect(FileManager.default.fileExists(atPath: artifacts.appendingPathComponent("web-competency.png").path))
        #expect((seen["gaps_intro"] as? String)?.contains("by target group and competency") == true)
        let gap = try #require(seen["gap_text"] as? String)
        #expect(gap.hasPrefix("No training in "), "\(gap)")
        #expect((seen["gap_target"] as? String)?.hasPrefix("/competencies/") == true)
        #expect((seen["gap_target"] as? String)?.contains("country=") == true)
        #expect(seen["gap_target_heading"] as? String == "0 documents covering it, best first")
        let downloads = try #require(seen["downloads"] as? [String: Any])
        #expect(Set(downloads.keys) == ["gaps.csv", "gaps.xlsx", "gaps.md", "gaps.json", "gaps.html"])
        for (name, body) in downloads where name != "gaps.xlsx" {
            #expect((body as? String)?.lowercased().contains("framework") == true, "\(name) carries no provenance")
        }
        let workbook = try #require(downloads["gaps.xlsx"] as? [String: Any])
        #expect((workbook["sheets"] as? [String])?.first == "Gaps")
        #expect((workbook["sheets"] as? [String])?.last == "Provenance")
        #expect((workbook["provenance_sheet"] as? String)?.contains("Documents counted") == true)
        #expect(seen["reviewer_field"] as? String == "Ana Lima", "the name is remembered")
        #expect((seen["rejected_entry"] as? String)?.contains("rejected by Ana Lima") == true)
        #expect(seen["rejected_struck"] as? Int == 1)
        #expect(seen["after_undo_rejected"] as? Int == 0)
        #expect(seen["found_competency"] as? String == "CE-7 " + (try Self.competencyName("CE-7", fixture)))
        let layout = try #require(seen["layout"] as? [String: [Any]])
        #expect(layout.count == 16)
        for (page, widths) in layout.sorted(by: { $0.key < $1.key }) {
            let (scroll, client) = (widths.first as? Int ?? .max, widths.dropFirst().first as? Int ?? 0)
            #expect(scroll <= client, "\(page) scrolls sideways: \(widths)")
        }
    }

    static func competencyName(_ id: String, _ fixture: WebFixture) throws -> String {
        let framework = try FrameworkLoader.load(from: fixture.directory.path("Framework.yaml"))
        return framework.competency(id: id)?.name ?? ""
    }

    /// Runs a program to its end without blocking a thread of the pool the server answers on.
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let collected = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let text = String(decoding: await collected.value, as: UTF8.self)
        #expect(status == 0, "the browser driver failed: \(text)")
        return text
    }
}
