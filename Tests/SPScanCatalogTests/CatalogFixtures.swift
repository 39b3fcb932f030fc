import Foundation
import SPScanCatalog
import SPScanModel

/// Small hand-written documents for catalog tests: two institutions, two countries, French and English.
enum Fixtures {
    static let day1 = Date(timeIntervalSince1970: 1_763_980_800)  // 2025-11-24T10:40:00Z
    static let day2 = day1.addingTimeInterval(86_400)
    static let day3 = day2.addingTimeInterval(86_400)

    static let cisp = Source(
        id: "ca-cisp", url: web("https://example.ca/cisp"), title: "Link worker curriculum", country: .canada,
        region: "ON", institution: "Canadian Institute", institutionType: .network, kind: .training,
        targetGroups: [.linkWorkers, .volunteers])
    static let nasp = Source(
        id: "gb-nasp", url: web("https://example.org.uk/nasp"), title: "Link worker guide", country: .unitedKingdom,
        region: "England", institution: "National Academy", institutionType: .charity, kind: .guide,
        targetGroups: [.linkWorkers])
    static let quebec = Source(
        id: "ca-quebec", url: web("https://example.qc.ca/guide"), title: "Guide de la prescription sociale",
        country: .canada, region: "QC", institution: "Réseau Québec", institutionType: .network, kind: .guide,
        targetGroups: [.clinicians], language: .french)

    /// A fixture URL; the literals are valid, and a typo would show as a test failure, not a crash.
    static func web(_ text: String) -> URL {
        URL(string: text) ?? URL(fileURLWithPath: "/invalid-fixture-url")
    }

    static func passage(_ text: String, heading: String = "", at start: Int = 0) -> Passage {
        Passage(text: text, heading: heading, start: start, end: start + text.unicodeScalars.count)
    }

    static func evidence(_ text: String, term: String, score: Double) -> Evidence {
        Evidence(text: text, start: 0, end: text.unicodeScalars.count, terms: [term], spans: [], score: score)
    }

    static func tag(_ competency: String, _ score: Double, evidence: [Evidence] = []) -> Tag {
        Tag(competency: competency, domain: String(competency.prefix { $0 != "-" }), score: score, evidence: evidence)
    }

    static let cispPassages = [
        passage("Motivational interviewing helps people set goals that matter to them.", heading: "Module 2"),
        passage("Link workers map community assets and local groups.", heading: "Module 3"),
    ]
    static let naspPassages = [
        passage("Practitioners use motivational interviews to support behaviour change."),
        passage("Safeguarding adults at risk is covered in depth."),
    ]
    static let quebecPassages = [
        passage("L'évaluation des besoins sociaux se fait avec la personne.", heading: "Évaluation")
    ]

    static func cispDocument(tags: [Tag]? = nil) -> TaggedDocument {
        TaggedDocument(
            id: "ca-cisp", source: cisp, url: cisp.url.absoluteString,
            tags: tags ?? [
                tag("IS-5", 0.9, evidence: [evidence(cispPassages[0].text, term: "motivational interviewing", score: 0.9)]),
                tag("CE-7", 0.6, evidence: [evidence(cispPassages[1].text, term: "community assets", score: 0.6)]),
            ])
    }

    static func naspDocument() -> TaggedDocument {
        TaggedDocument(
            id: "gb-nasp", source: nasp, url: nasp.url.absoluteString,
            tags: [
                tag("IS-5", 0.7, evidence: [evidence(naspPassages[0].text, term: "motivational interviews", score: 0.7)]),
                tag("SP-2", 0.8, evidence: [evidence(naspPassages[1].text, term: "safeguarding", score: 0.8)]),
            ])
    }

    static func quebecDocument() -> TaggedDocument {
        TaggedDocument(
            id: "ca-quebec", source: quebec, url: quebec.url.absoluteString,
            tags: [tag("IS-1", 0.5, evidence: [evidence(quebecPassages[0].text, term: "évaluation", score: 0.5)])])
    }

    /// A catalog after one scan of the three sources.
    static func scannedCatalog(_ catalog: CatalogDatabase) throws -> ScanID {
        try catalog.write { writer in
            let scan = try writer.beginScan(startedAt: day1)
            for source in [cisp, nasp, quebec] {
                try writer.upsertSource(source)
                try writer.recordFetchOutcome(
                    scan: scan, sourceID: source.id, url: source.url.absoluteString, outcome: .new, httpStatus: 200)
            }
            try writer.replaceDocument(cispDocument(), passages: cispPassages, textHash: "h-cisp-1", scan: scan)
            try writer.replaceDocument(naspDocument(), passages: naspPassages, textHash: "h-nasp-1", scan: scan)
            try writer.replaceDocument(quebecDocument(), passages: quebecPassages, textHash: "h-quebec-1", scan: scan)
            try writer.finishScan(scan, finishedAt: day1.addingTimeInterval(60))
            return scan
        }
    }
}
