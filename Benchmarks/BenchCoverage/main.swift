// bench-coverage: builds the coverage matrix, its gaps, every export and the report over 10,000 generated
// documents, and prints the median time of each. Run with `make bench-coverage` (release build).
import Foundation
import SPScanCoverage
import SPScanModel
import SPScanTestSupport

let documentCount = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 10_000
var random = SplitMix64(state: 42)

let framework = Framework(
    id: "bench", title: "Benchmark framework", version: "1",
    domains: (1...5).map { domain in
        Domain(
            id: "D\(domain)", name: "Domain \(domain)", description: "Generated.",
            competencies: (1...5).map { number in
                Competency(
                    id: "D\(domain)-\(number)", domain: "D\(domain)", name: "Competency \(domain).\(number)",
                    description: "Generated.", terms: [:])
            })
    })
let competencies = framework.competencies
let institutions = (1...300).map { "Institution \($0)" }
let regions = ["ON", "BC", "QC", "England", "Wales", "Scotland", nil]

let documents: [TaggedDocument] = (0..<documentCount).map { index in
    let tags = competencies.shuffled(using: &random).prefix(Int.random(in: 0...8, using: &random)).map { competency in
        let text = "Passage \(index) about \(competency.name): what matters to you, with active listening and follow-up."
        return Tag(
            competency: competency.id, domain: competency.domain, score: Double.random(in: 0.3...1, using: &random),
            evidence: [
                Evidence(
                    text: text, start: 0, end: text.unicodeScalars.count, terms: ["what matters to you"],
                    spans: [Span(start: 30, end: 49, term: "what matters to you")], score: 0.8)
            ])
    }
    return TaggedDocument(
        id: "source-\(index / 3)~\(index)", sourceID: "source-\(index / 3)", url: "https://example.org/\(index)",
        title: "Document \(index)", country: Country.allCases.randomElement(using: &random) ?? .canada,
        region: regions.randomElement(using: &random) ?? nil,
        institution: institutions.randomElement(using: &random) ?? "Institution",
        institutionType: InstitutionType.allCases.randomElement(using: &random) ?? .charity,
        kind: DocumentKind.allCases.randomElement(using: &random) ?? .training,
        targetGroups: Array(TargetGroup.allCases.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))),
        origin: index % 10 == 0 ? .sample : .capture, tags: Array(tags))
}

/// Runs `body` once to warm up, then `runs` times, and returns the median in milliseconds and the last result.
func measure<T>(_ runs: Int = 7, _ body: () throws -> T) rethrows -> (Double, T) {
    var result = try body()
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let start = clock.now
        result = try body()
        let elapsed = clock.now - start
        times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    times.sort()
    return (times[times.count / 2], result)
}

func line(_ name: String, _ milliseconds: Double, _ note: String = "") {
    let padded = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    print(padded + String(format: "%9.2f ms", milliseconds) + (note.isEmpty ? "" : "   " + note))
}

print(
    "bench-coverage: \(documents.count) documents, \(documents.reduce(0) { $0 + $1.tags.count }) tags, "
        + "\(institutions.count) institutions, \(competencies.count) competencies; median of 7 runs after a warm-up")
let (institutionTime, byInstitution) = measure {
    CoverageMatrix.build(documents: documents, framework: framework, rows: .institution, columns: .competency)
}
line("matrix: institution × competency", institutionTime, "\(byInstitution.rows.count) rows")
let (groupTime, byGroup) = measure {
    CoverageMatrix.build(documents: documents, framework: framework, rows: .targetGroup, columns: .competency, value: .share)
}
line("matrix: target group × competency (share)", groupTime, "\(byGroup.rows.count) rows")
let (domainTime, _) = measure {
    CoverageMatrix.build(documents: documents, framework: framework, rows: .region, columns: .domain, value: .maxScore)
}
line("matrix: region × domain (max score)", domainTime)
let (filterTime, filtered) = measure { DocumentFilter(countries: [.canada], targetGroups: [.linkWorkers]).apply(documents) }
line("filter: CA and link workers", filterTime, "\(filtered.count) documents")
let (gapsTime, gaps) = measure { Gaps.find(matrix: byInstitution, documents: documents, framework: framework) }
line("gaps: institution × competency", gapsTime, "\(gaps.gaps.count) gaps")
let (tableTime, table) = measure { TableExporter.render(byInstitution) }
line("export table", tableTime, "\(table.utf8.count) bytes")
let (csvTime, csv) = measure { CSVExporter.render(byInstitution) }
line("export csv", csvTime, "\(csv.utf8.count) bytes")
let (jsonTime, json) = try measure { try JSONExporter.render(byInstitution, gaps: gaps) }
line("export json (with gaps)", jsonTime, "\(json.utf8.count) bytes")
let (mdTime, md) = measure { MarkdownExporter.render(byInstitution) }
line("export md", mdTime, "\(md.utf8.count) bytes")
let (htmlTime, html) = measure { HTMLExporter.page(byInstitution) }
line("export html", htmlTime, "\(html.utf8.count) bytes")
let (xlsxTime, xlsx) = try measure {
    try XLSXExporter.workbook(
        views: [("By institution", byInstitution), ("By target group", byGroup)], gaps: gaps)
}
line("export xlsx (2 views, gaps, legend)", xlsxTime, "\(xlsx.count) bytes")
let (reportTime, report) = measure(3) {
    Report.html(input: ReportInput(documents: documents, framework: framework, generatedAt: Date(timeIntervalSince1970: 0)))
}
line("report (3 heatmaps, gaps, evidence)", reportTime, "\(report.utf8.count) bytes")
