import Foundation
import SPScanCatalog
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("Terminal output fits COLUMNS")
struct TerminalWidthTests {
    /// A passage whose matched words come after 300 characters of preamble, in a document with long facets.
    static let preamble = String(repeating: "This module opens with the history of the service and its partners. ", count: 5)
    static let passage = preamble + "It then teaches motivational interviewing with people who want to change a habit."

    static func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        let catalog = try CatalogDatabase(path: directory.path(".spscan/catalog.sqlite"))
        let source = Source(
            id: "ca-long-course", url: CatalogProject.web("https://example.ca/long"),
            title: "A very long course title that would never fit on one narrow terminal line at all", country: .canada,
            institution: "The Canadian Institute for Social Prescribing and Community Connection", institutionType: .network,
            kind: .training, targetGroups: [.linkWorkers, .volunteers, .communityOrganisations, .clinicians])
        let term = "motivational interviewing"
        let start = passage.unicodeScalars.count - "motivational interviewing with people who want to change a habit.".unicodeScalars.count
        let evidence = Evidence(
            text: passage, start: 0, end: passage.unicodeScalars.count, heading: "Module 4", terms: [term],
            spans: [Span(start: start, end: start + term.unicodeScalars.count, term: term)], score: 0.9)
        try catalog.write { writer in
            let scan = try writer.beginScan(startedAt: Date(timeIntervalSince1970: 1_763_980_800))
            try writer.upsertSource(source)
            try writer.recordFetchOutcome(scan: scan, sourceID: source.id, url: source.url.absoluteString, outcome: .new)
            try writer.replaceDocument(
                TaggedDocument(
                    id: source.id, source: source, url: source.url.absoluteString,
                    tags: [Tag(competency: "IS-4", domain: "IS", score: 0.9, evidence: [evidence])]),
                passages: [Passage(text: passage, heading: "Module 4", start: 0, end: passage.unicodeScalars.count)],
                textHash: "long-1", scan: scan)
            try writer.finishScan(scan, finishedAt: Date(timeIntervalSince1970: 1_763_980_810))
        }
        return directory
    }

    @Test("query at 80 columns: no line is wider, and the evidence shows the words that matched")
    func queryAtEighty() throws {
        let directory = try Self.project()
        let query = try CLIRunner.run(["query", "IS-4"], in: directory.url, environment: ["COLUMNS": "80"])
        #expect(query.exitCode == 0, "\(query.stderr)")
        for line in query.stdout.split(separator: "\n") {
            #expect(line.count <= 80, "\(line.count) characters: \(line)")
        }
        #expect(query.stdout.contains("motivational interviewing"), "\(query.stdout)")
        #expect(query.stdout.contains("(Module 4) \"…"), "the cut start is marked: \(query.stdout)")
        // Labels, not slugs, in the table; the address is kept whole.
        #expect(query.stdout.contains("Link workers"), "\(query.stdout)")
        #expect(query.stdout.contains("<https://example.ca/long>"))
        let wide = try CLIRunner.run(["query", "IS-4"], in: directory.url, environment: ["COLUMNS": "200"])
        #expect(wide.stdout.contains("The Canadian Institute for Social Prescribing"), "a wide terminal cuts less")
    }
}
