import Foundation
import SPScanCatalog
import SPScanTestSupport
import Testing

@Suite("a change of layout or page chrome is named as such, not listed as changed text")
struct LayoutOnlyChangeTests {
    static let together = """
        <p>Learners practise active listening with each person. They agree next steps and follow up after a referral.</p>
        """
    static let split = """
        <p>Learners practise active listening with each person.</p>
        <p>They agree next steps and follow up after a referral.</p>
        """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func ids(_ object: [String: Any], _ key: String) -> [String] {
        (object[key] as? [[String: Any]] ?? []).compactMap { $0["document_id"] as? String }
    }

    /// Scans start in whole seconds; `changes --since` tells scans apart only when they start in different ones.
    static func scanInNextSecond(_ project: TemporaryDirectory) async throws -> String {
        let next = (Date().timeIntervalSince1970 + 1).rounded(.down) + 0.05
        try await Task.sleep(for: .seconds(next - Date().timeIntervalSince1970))
        let scan = try CLIRunner.run(["scan"], in: project.url)
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        let scans = try CatalogDatabase(path: project.path(".spscan/catalog.sqlite")).scans()
        return ISO8601DateFormatter().string(from: try #require(scans.last).startedAt)
    }

    @Test("new bytes with the same main text (a footer date, a paragraph split) are named as a layout change, not as changed text")
    func layoutOnly() async throws {
        let site = try ChangingSite()
        let project = try scanProject(Array(site.sources.prefix(2)))
        site.set("a", Self.together)
        site.set("b", Modules.volunteers + "<footer>Updated 1 November 2026</footer>")
        #expect(try CLIRunner.run(["scan"], in: project.url).exitCode == 0)
        site.set("a", Self.split)
        site.set("b", Modules.volunteers + "<footer>Updated 2 November 2026</footer>")
        let second = try await Self.scanInNextSecond(project)

        let changes = try CLIRunner.run(["changes", "--since", second], in: project.url)
        #expect(changes.exitCode == 0, "\(changes.stderr)")
        #expect(changes.stdout.contains("No text changed."), "\(changes.stdout)")
        #expect(
            changes.stdout.contains("Only the layout changed (2): new snapshots with the same words, not a change of text:"),
            "\(changes.stdout)")
        #expect(!changes.stdout.contains("Changed documents"), "\(changes.stdout)")
        let report = try Self.json(try CLIRunner.run(["changes", "--since", second, "--format", "json"], in: project.url).stdout)
        #expect(Self.ids(report, "layout_only_documents") == ["a", "b"])
        #expect(Self.ids(report, "changed_documents") == [])
        #expect((report["sentences"] as? [Any])?.isEmpty == true)

        // Neither made a version; the diff says the page was seen again with the same words.
        for id in ["a", "b"] {
            let diff = try CLIRunner.run(["diff", id], in: project.url)
            #expect(diff.exitCode == 0, "\(diff.stderr)")
            #expect(
                diff.stdout.contains(
                    "with the same main text: only the layout or page chrome changed since version 1, so that is no new version."),
                "\(diff.stdout)")
            let json = try Self.json(try CLIRunner.run(["diff", id, "--format", "json"], in: project.url).stdout)
            #expect(json["layout_changed_at"] is String, "\(json)")
        }

        // a's words change, then change back: it changed over those scans (netted, no sentence to show), and is
        // not called a change of layout.
        site.set("a", Modules.interviewing)
        let third = try await Self.scanInNextSecond(project)
        site.set("a", Self.split)
        _ = try await Self.scanInNextSecond(project)
        let back = try Self.json(try CLIRunner.run(["changes", "--since", third, "--format", "json"], in: project.url).stdout)
        #expect(Self.ids(back, "changed_documents") == ["a"], "\(back)")
        #expect(Self.ids(back, "layout_only_documents") == [])
        let diff = try Self.json(try CLIRunner.run(["diff", "a", "--format", "json"], in: project.url).stdout)
        #expect(diff["layout_changed_at"] == nil, "\(diff)")

        // A real change of words is still a change.
        site.set("b", Modules.volunteers + Modules.directory)
        _ = try await Self.scanInNextSecond(project)
        let after = try Self.json(try CLIRunner.run(["changes", "--format", "json"], in: project.url).stdout)
        #expect(Self.ids(after, "changed_documents") == ["b"])
        #expect(Self.ids(after, "layout_only_documents") == [])
        #expect(
            try JSONShapes.documented().problems(
                try CLIRunner.run(["changes", "--since", second, "--format", "json"], in: project.url).stdout, shape: "changes"
            ).isEmpty)
    }
}
