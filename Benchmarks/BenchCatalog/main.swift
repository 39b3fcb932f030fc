// bench-catalog: builds a generated catalog of 10,000 documents and 500,000 passages in a temporary file, then
// times the reads users wait on. Run with `make bench-catalog` (release build); figures go to standard output.
//
// The corpus is synthetic but shaped like the real one: ~30-word passages over a Zipf-like vocabulary (so that
// some words are in a third of all passages and most are rare), 3 to 8 tags per document with 1 to 3
// evidence passages each, facets spread over four countries, 40 institutions and eight target groups.
// Generation is seeded, so two runs measure the same catalog.

import Foundation
import SPScanCatalog
import SPScanModel
import SPScanTestSupport

let documentCount = Int(ProcessInfo.processInfo.environment["BENCH_DOCUMENTS"] ?? "") ?? 10_000
let passagesPerDocument = 50
let batchSize = 250
let competencies = (1...10).map { "IS-\($0)" } + (1...7).map { "CE-\($0)" } + (1...8).map { "PA-\($0)" }

var random = SplitMix64(state: 2026)
let realWords = [
    "motivational", "interviewing", "referral", "community", "assessment", "safeguarding", "goals", "wellbeing",
    "loneliness", "social", "prescribing", "link", "worker", "volunteer", "evaluation", "évaluation", "partnership",
    "consent", "boundaries", "supervision", "housing", "debt", "navigation", "culturally", "safe", "coaching",
]
let syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "pel", "dri", "nu", "sen", "gar", "tol", "fi", "ber", "qua", "zem"]
var vocabulary: [String] = []
while vocabulary.count < 5_000 {
    let length = Int.random(in: 2...4, using: &random)
    vocabulary.append((0..<length).map { _ in syllables.randomElement(using: &random) ?? "ka" }.joined())
}
// The domain's words sit in the middle of the frequency range (each in 1 to 10 per cent of passages), where
// a user's search words are; the most frequent ranks behave like stop words.
for (index, word) in realWords.enumerated() {
    vocabulary[20 + index * 12] = word
}

/// A Zipf-like draw: low ranks are frequent, the tail is long.
@MainActor func word() -> String {
    let u = Double.random(in: 0..<1, using: &random)
    let rank = Int(pow(Double(vocabulary.count), u)) - 1
    return vocabulary[min(max(rank, 0), vocabulary.count - 1)]
}

@MainActor func sentence(_ words: Int) -> String {
    (0..<words).map { _ in word() }.joined(separator: " ") + "."
}

let institutions = (1...40).map { "Institution \($0)" }
let regions = ["ON", "BC", "QC", "England", "Wales", "Scotland", "Leinster", "Central"]

@MainActor func makeSource(_ index: Int) -> Source {
    let country = Country.allCases[index % Country.allCases.count]
    let groups = TargetGroup.allCases.filter { _ in Bool.random(using: &random) }
    return Source(
        id: String(format: "src-%05d", index), url: URL(fileURLWithPath: "/bench/\(index)"), title: "Training \(index): " + sentence(5),
        country: country, region: regions[index % regions.count], institution: institutions[index % institutions.count],
        institutionType: InstitutionType.allCases[index % InstitutionType.allCases.count],
        kind: DocumentKind.allCases[index % DocumentKind.allCases.count], targetGroups: groups.isEmpty ? [.linkWorkers] : groups)
}

@MainActor func makeDocument(_ index: Int) -> (Source, TaggedDocument, [Passage]) {
    let source = makeSource(index)
    var offset = 0
    let passages = (0..<passagesPerDocument).map { position -> Passage in
        let text = sentence(Int.random(in: 20...40, using: &random))
        defer { offset += text.unicodeScalars.count + 2 }
        return Passage(text: text, heading: "Module \(position / 10 + 1)", start: offset, end: offset + text.unicodeScalars.count)
    }
    let tagged = competencies.shuffled(using: &random).prefix(Int.random(in: 3...8, using: &random))
    let tags = tagged.map { competency -> Tag in
        let evidence = (0..<Int.random(in: 1...3, using: &random)).map { _ -> Evidence in
            let passage = passages.randomElement(using: &random) ?? passages[0]
            return Evidence(
                text: passage.text, start: passage.start, end: passage.end, heading: passage.heading, terms: [word(), word()],
                spans: [Span(start: 0, end: 8, term: word())], score: Double.random(in: 0.3...1, using: &random))
        }
        return Tag(
            competency: competency, domain: String(competency.prefix(2)), score: evidence.map(\.score).max() ?? 0.5,
            evidence: evidence)
    }
    let document = TaggedDocument(id: source.id, source: source, url: source.url.absoluteString, tags: tags)
    return (source, document, passages)
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
}

/// CPU time of the process: on a machine shared with other builds, wall time measures the neighbours too.
func cpuMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1_000_000
}

/// CPU times of the timed reads, reported beside wall times.
nonisolated(unsafe) var cpuSamples: [Double] = []

/// Wall time of `body`, recording its CPU time in `cpuSamples`.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let cpu = cpuMilliseconds()
    let wall = try milliseconds(body)
    cpuSamples.append(cpuMilliseconds() - cpu)
    return wall
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func report(_ name: String, _ samples: [Double], cpu: [Double] = [], extra: String = "") {
    var figures = String(
        format: "wall p50 %7.2f  p95 %7.2f  max %7.2f ms", percentile(samples, 0.5), percentile(samples, 0.95), samples.max() ?? 0)
    if !cpu.isEmpty {
        figures += String(format: "   CPU p50 %7.2f  p95 %7.2f ms", percentile(cpu, 0.5), percentile(cpu, 0.95))
    }
    print(name.padding(toLength: 26, withPad: " ", startingAt: 0) + figures + "   (\(samples.count) runs)" + extra)
}

// BENCH_KEEP=DIR keeps the generated catalog there, to study query plans with the sqlite3 shell.
let kept = ProcessInfo.processInfo.environment["BENCH_KEEP"].map { URL(fileURLWithPath: $0) }
let directory = kept ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-catalog-\(UUID().uuidString)")
defer { if kept == nil { try? FileManager.default.removeItem(at: directory) } }

do {
    let catalog = try CatalogDatabase(path: directory.appendingPathComponent("catalog.sqlite"))
    let loadFile = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)
    let load = loadFile?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    print(
        "bench-catalog: \(documentCount) documents × \(passagesPerDocument) passages, batches of \(batchSize) per transaction; "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(load)")

    // Generation is timed apart from the writes, so the build rate is the catalog's own.
    let generated = (0..<documentCount).map(makeDocument)
    let scan = try catalog.beginScan(startedAt: Date())
    let cpuBefore = cpuMilliseconds()
    let buildTime = try milliseconds {
        for batch in stride(from: 0, to: generated.count, by: batchSize) {
            try catalog.write { writer in
                for (source, document, passages) in generated[batch..<min(batch + batchSize, generated.count)] {
                    try writer.upsertSource(source)
                    try writer.replaceDocument(document, passages: passages, textHash: "h\(document.id)", scan: scan)
                }
            }
        }
    }
    let buildCPU = cpuMilliseconds() - cpuBefore
    try catalog.finishScan(scan, finishedAt: Date())
    let summary = try catalog.summary()
    let catalogPath = directory.appendingPathComponent("catalog.sqlite").path
    let size = (try? FileManager.default.attributesOfItem(atPath: catalogPath)[.size] as? Int) ?? 0
    print(
        String(
            format: "build: %d documents, %d passages, %d tags in %.1f s: %.0f documents/s, %.0f passages/s "
                + "(file %.0f MB before checkpoint)",
            summary.documents, summary.passages, summary.tags, buildTime / 1000, Double(summary.documents) / (buildTime / 1000),
            Double(summary.passages) / (buildTime / 1000), Double(size) / 1_048_576))
    print(
        String(
            format: "build CPU time: %.1f s: %.0f documents per CPU second (wall time includes waiting for other processes)",
            buildCPU / 1000, Double(summary.documents) / (buildCPU / 1000)))

    // Re-writing documents whose text did not change: what a daily re-scan mostly does.
    let rescan = try catalog.beginScan(startedAt: Date())
    let rescanTime = try milliseconds {
        try catalog.write { writer in
            for (_, document, passages) in generated.prefix(1_000) {
                try writer.replaceDocument(document, passages: passages, textHash: "h\(document.id)", scan: rescan)
            }
        }
    }
    print(String(format: "re-scan of 1,000 unchanged documents: %.0f ms (%.0f documents/s)", rescanTime, 1_000 / (rescanTime / 1000)))

    let filters: [DocumentFilter] = [
        .all, DocumentFilter(countries: [.canada]), DocumentFilter(targetGroups: [.volunteers]), DocumentFilter(kinds: [.training]),
        DocumentFilter(institutions: ["Institution 7"]), DocumentFilter(countries: [.unitedKingdom], targetGroups: [.clinicians]),
    ]
    var hitsCount = 0
    var querySamples: [Double] = []
    var unfilteredQueries: [Double] = []
    var unfilteredCPU: [Double] = []
    cpuSamples = []
    for index in 0..<300 {
        let competency = competencies[index % competencies.count]
        let filter = filters[index % filters.count]
        let time = try timed { hitsCount += try catalog.query(competency: competency, filter: filter).count }
        querySamples.append(time)
        if filter.isEmpty {
            unfilteredQueries.append(time)
            unfilteredCPU.append(cpuSamples.last ?? 0)
        }
    }
    report("query (all hits)", querySamples, cpu: cpuSamples, extra: String(format: "   avg %.0f hits", Double(hitsCount) / 300))
    report("  of which unfiltered", unfilteredQueries, cpu: unfilteredCPU)

    var searchSamples: [Double] = []
    var unfilteredSearches: [Double] = []
    var unfilteredSearchCPU: [Double] = []
    var searchHits = 0
    cpuSamples = []
    let searchTerms = [
        "motivational interviewing", "referral", "community assessment", "safeguarding", "evaluation", "\"social prescribing\"",
        "wellbeing goals", "housing debt", "culturally safe", "link worker",
    ]
    for index in 0..<300 {
        // Random queries draw content words (ranks 20 to 2,000), not the stop-word-like head of the vocabulary.
        let text =
            index % 3 == 0
            ? searchTerms[index % searchTerms.count]
            : "\(vocabulary[Int.random(in: 20..<2_000, using: &random)]) \(vocabulary[Int.random(in: 20..<2_000, using: &random)])"
        let filter = filters[index % filters.count]
        let time = try timed { searchHits += try catalog.search(text: text, filter: filter, limit: 20).count }
        searchSamples.append(time)
        if filter.isEmpty {
            unfilteredSearches.append(time)
            unfilteredSearchCPU.append(cpuSamples.last ?? 0)
        }
    }
    report("search (limit 20)", searchSamples, cpu: cpuSamples, extra: String(format: "   avg %.1f hits", Double(searchHits) / 300))
    report("  of which unfiltered", unfilteredSearches, cpu: unfilteredSearchCPU)

    for (name, detail) in [("none", EvidenceDetail.none), ("best", .best), ("all", .all)] {
        var samples: [Double] = []
        var tags = 0
        cpuSamples = []
        for _ in 0..<5 {
            samples.append(try timed { tags = try catalog.taggedDocuments(evidence: detail).reduce(0) { $0 + $1.tags.count } })
        }
        report("taggedDocuments(\(name))", samples, cpu: cpuSamples, extra: "   \(tags) tags")
    }
    var filtered: [Double] = []
    for _ in 0..<5 {
        filtered.append(
            try milliseconds { _ = try catalog.taggedDocuments(filter: DocumentFilter(countries: [.ireland]), evidence: .best) })
    }
    report("taggedDocuments(IE, best)", filtered)
    var changes: [Double] = []
    for _ in 0..<5 { changes.append(try milliseconds { _ = try catalog.changes() }) }
    report("changes (latest scan)", changes)
    try benchHistory(catalog: catalog, documents: generated)
} catch {
    FileHandle.standardError.write(Data("bench-catalog: \(error.localizedDescription)\n".utf8))
    exit(1)
}
