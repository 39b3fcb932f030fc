import Foundation
import SPScanCoverage
import SPScanModel
import Testing

@Suite("Report: domain chart, reviewed tags, measured quality")
struct ReportFirstPageTests {
    static let day = Date(timeIntervalSince1970: 1_795_000_000)

    static func countryMatrix(_ documents: [TaggedDocument] = Fixtures.documents) -> CoverageMatrix {
        CoverageMatrix.build(documents: documents, framework: Fixtures.framework, rows: .country, columns: .competency)
    }

    @Test("each row's bar counts the competencies of each domain that at least one of its documents covers")
    func domainBars() throws {
        let (domains, bars) = DomainChart.bars(Self.countryMatrix(), framework: Fixtures.framework)
        #expect(domains.map(\.id) == ["AS", "CO"])
        // Canada: AS-1 and AS-2 (both Alpha documents), CO-1; Ireland's one document covers nothing.
        let canada = try #require(bars.first { $0.label == Country.canada.name })
        #expect(canada.covered == [2, 1])
        #expect(canada.documents == 2)
        let ireland = try #require(bars.first { $0.label == Country.ireland.name })
        #expect(ireland.covered == [0, 0])
    }

    @Test("the chart writes each bar's figures as text, and frames an empty domain so that a gap shows in grey")
    func domainChartText() {
        let svg = DomainChart.svg(title: "By country", matrix: Self.countryMatrix(), framework: Fixtures.framework)
        #expect(svg.hasPrefix("<svg class=\"domain-chart\""))
        #expect(svg.contains("<title>Canada: AS 2 of 2, CO 1 of 3</title>"))
        #expect(svg.contains("<title>Ireland: AS 0 of 2, CO 0 of 3</title>"))
        #expect(svg.contains(">2 of 2</text>"))
        // Ireland's two empty frames, and no filled bar drawn for them: 3 rows × 2 domains = 6 frames in all.
        #expect(svg.components(separatedBy: "fill=\"none\" stroke=\"#c8ccd1\"").count - 1 == 6)
        #expect(!svg.contains("<script"))
    }

    @Test("the report's first sections hold the domain charts by country and by target group")
    func reportHasCharts() {
        let html = Report.html(input: ReportInput(documents: Fixtures.documents, framework: Fixtures.framework, generatedAt: Self.day))
        #expect(html.contains("<section id=\"coverage-by-domain\">"))
        #expect(html.contains("Competencies covered per domain, by country"))
        #expect(html.contains("Competencies covered per domain, by target group"))
        let chart = html.range(of: "coverage-by-domain")!.lowerBound
        let heatmaps = html.range(of: "<section id=\"by-institution\">")!.lowerBound
        #expect(chart < heatmaps)
    }

    @Test("a tag a person accepted is marked with who and when; the tagger's own tags are not")
    func acceptedTagMarked() {
        var input = ReportInput(documents: Fixtures.documents, framework: Fixtures.framework, generatedAt: Self.day)
        input.reviews = [
            ReviewDecision(documentID: "alpha-guide", competency: "as-1", verdict: .accept, reviewer: "Ana Silva", decidedAt: Self.day),
            // A scope decision is not a tag decision, and a rejection leaves no tag to mark.
            ReviewDecision(documentID: "beta-toolkit", competency: ReviewDecision.scopeSubject, verdict: .accept, decidedAt: Self.day),
        ]
        let html = Report.html(input: input)
        #expect(html.contains("<span class=\"reviewed\">reviewed: accepted by Ana Silva on 2026-11-18</span>"))
        #expect(html.components(separatedBy: "<span class=\"reviewed\">").count - 1 == 1)
    }

    @Test("the provenance counts the tag decisions on the documents counted, not scope decisions or other documents")
    func provenanceCountsReviews() {
        let reviews = [
            ReviewDecision(documentID: "alpha-guide", competency: "AS-1", verdict: .accept, decidedAt: Self.day),
            ReviewDecision(documentID: "alpha-guide", competency: "CO-2", verdict: .reject, decidedAt: Self.day),
            ReviewDecision(documentID: "beta-toolkit", competency: "CO-1", verdict: .reject, decidedAt: Self.day),
            ReviewDecision(documentID: "alpha-guide", competency: ReviewDecision.scopeSubject, verdict: .accept, decidedAt: Self.day),
        ]
        let canada = Fixtures.documents.filter { $0.country == .canada }
        let provenance = Provenance(
            scannedAt: Self.day, scan: 3, framework: Fixtures.framework, filter: .all, documents: canada, reviews: reviews)
        #expect(provenance.reviewsAccepted == 1)
        #expect(provenance.reviewsRejected == 1)
        #expect(provenance.fields.contains { $0.label == "Reviewed by a person" && $0.value == "1 tag accepted, 1 rejected" })
        let none = Provenance(scannedAt: nil, scan: nil, framework: Fixtures.framework, filter: .all, documents: canada)
        #expect(none.fields.contains { $0.label == "Reviewed by a person" && $0.value == "none" })
    }

    static let quality = TaggingQuality(
        measuredAt: day, framework: Fixtures.framework,
        heldOut: [
            .init(
                name: "train-b", passages: 160, competencyPrecision: 0.71, competencyRecall: 0.52, competencyF1: 0.6,
                competencyMacroF1: 0.55, domainF1: 0.7, englishF1: 0.61, frenchF1: nil)
        ],
        developmentF1: 0.95, developmentPassages: 50, negativesTagged: .init(count: 7, of: 694),
        negativesInScope: .init(count: 1, of: 347), negativesByWordsAlone: .init(count: 262, of: 694))

    @Test("the methods quote the measured quality, held-out sets first, and say when none was measured")
    func methodsQuoteQuality() {
        var input = ReportInput(documents: Fixtures.documents, framework: Fixtures.framework, generatedAt: Self.day)
        let without = Report.html(input: input)
        #expect(without.contains("No measurement is recorded beside this framework (Eval/quality.json"))
        input.quality = Self.quality
        let html = Report.html(input: input)
        #expect(html.contains("<tr><th scope=\"row\">train-b</th><td class=\"num\">160</td><td class=\"num\">0.71</td>"))
        #expect(html.contains("<td class=\"num\">0.61</td><td class=\"num\">–</td></tr>"))
        #expect(html.contains("Of 694 real web pages about other subjects, 1.0% got at least one tag"))
        #expect(html.contains("Their words alone would have tagged 37.8% of them"), "how much rests on the scope judgement")
        #expect(!html.contains("were measured on test version"))
        var older = Self.quality
        older.frameworkVersion = "0"
        input.quality = older
        #expect(Report.html(input: input).contains("These figures were measured on test version 0, not the 1 this report uses"))
    }

    @Test("the quality file reads back what make eval writes, and a damaged one is an error naming the fix")
    func qualityFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quality-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("quality.json")
        #expect(try TaggingQuality.load(from: file) == nil)
        try JSONStyle.data(Self.quality).write(to: file)
        #expect(try TaggingQuality.load(from: file) == Self.quality)
        #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self).contains("\"negatives_in_scope\""))
        try Data("{\"measured_at\": 3".utf8).write(to: file)
        #expect {
            try TaggingQuality.load(from: file)
        } throws: { error in
            (error as? TaggingQualityError)?.errorDescription?.contains("run `make eval` to write it again") ?? false
        }
    }
}
