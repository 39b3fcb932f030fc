// The history part of bench-catalog: `trend` over 100 scans of the generated catalog (each scan re-tagging
// 100 documents, one competency gained or lost each), and a word diff of two 100-page texts.

import Foundation
import SPScan
import SPScanCatalog
import SPScanCoverage
import SPScanModel

@MainActor func benchHistory(catalog: CatalogDatabase, documents: [(Source, TaggedDocument, [Passage])]) throws {
    var current = documents.map { $0.1 }
    let scanCount = 98
    let writeTime = try milliseconds {
        for _ in 0..<scanCount {
            let scan = try catalog.beginScan(startedAt: Date())
            try catalog.write { writer in
                for _ in 0..<100 {
                    let index = Int.random(in: 0..<current.count, using: &random)
                    var document = current[index]
                    if document.tags.count > 3, Bool.random(using: &random) {
                        document.tags.removeLast()
                    } else if let missing = competencies.first(where: { id in !document.tags.contains { $0.competency == id } }) {
                        document.tags.append(Tag(competency: missing, domain: String(missing.prefix(2)), score: 0.7, evidence: []))
                    }
                    current[index] = document
                    try writer.replaceDocument(document, passages: documents[index].2, textHash: "h\(document.id)", scan: scan)
                }
            }
            try catalog.finishScan(scan, finishedAt: Date())
        }
    }
    let scans = try catalog.scans().count
    print(
        String(
            format: "history: %d more scans of 100 re-tagged documents written in %.1f s (%d scans in all)", scanCount, writeTime / 1000,
            scans))

    let domains = ["IS", "CE", "PA"].map { domain in
        Domain(
            id: domain, name: domain, description: domain,
            competencies: competencies.filter { $0.hasPrefix(domain) }.map {
                Competency(id: $0, domain: domain, name: $0, description: $0, terms: [:])
            })
    }
    let framework = Framework(id: "bench", title: "bench", version: "1", domains: domains)
    for rows in [RowDimension.country, .targetGroup, .institution] {
        var samples: [Double] = []
        var moved = 0
        cpuSamples = []
        for _ in 0..<5 {
            samples.append(
                try timed {
                    let history = try CoverageHistory(catalog: catalog, framework: framework)
                    moved = history.trend(rows: rows, columns: .competency).moved.count
                })
        }
        report("trend (\(rows.rawValue))", samples, cpu: cpuSamples, extra: "   \(scans) scans, \(moved) cells moved")
    }
    var atSamples: [Double] = []
    for _ in 0..<5 {
        atSamples.append(
            try milliseconds {
                let history = try CoverageHistory(catalog: catalog, framework: framework)
                _ = CoverageMatrix.build(
                    documents: history.documents(afterScan: scans / 2), framework: framework, rows: .country, columns: .competency)
            })
    }
    report("matrix --at (mid-history)", atSamples)

    // Two 100-page versions: 100 pages of 40 paragraphs of about 15 words, one paragraph in a hundred edited,
    // a few removed and inserted.
    var paragraphs: [String] = []
    for _ in 0..<4_000 { paragraphs.append(sentence(Int.random(in: 8...22, using: &random))) }
    var edited = paragraphs
    for index in stride(from: 7, to: edited.count, by: 100) {
        var words = edited[index].split(separator: " ").map(String.init)
        words[words.count / 2] = word()
        edited[index] = words.joined(separator: " ")
    }
    edited.remove(at: 1_234)
    edited.insert(sentence(12), at: 2_345)
    let old = paragraphs.joined(separator: "\n")
    let new = edited.joined(separator: "\n")
    var diffSamples: [Double] = []
    var hunks = 0
    cpuSamples = []
    for _ in 0..<10 {
        diffSamples.append(timed { hunks = TextDiff.words(from: old, to: new).hunks().count })
    }
    let words = old.split(whereSeparator: \.isWhitespace).count
    report("diff (100 pages)", diffSamples, cpu: cpuSamples, extra: "   \(words) words, \(hunks) hunks")
}
