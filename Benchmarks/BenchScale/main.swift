// bench-scale: builds a project of N generated documents (default 100,000, 20 passages each: 2 million passages)
// in a folder, for `make bench-scale` (scripts/bench-scale) to time the commands over it. It writes Sources.yaml
// (one source per document), copies Framework.yaml, and fills the catalog through CatalogWriter as a scan does:
// batches of 1,000 documents per transaction, then two more scans that re-tag 2 % of the documents each, so that
// `trend` has a history to read. Then it times `query` and `search` in-process (p50/p95 over 200 runs each).
//
// Usage: bench-scale --documents N --dir DIR [--framework PATH]. Figures go to standard output, one `key value`
// line each after the human-readable lines, so that the script can gather them.
//
// The text is synthetic but shaped like the real corpus, as in bench-catalog: ~30-word passages over a Zipf-like
// vocabulary, 3 to 8 tags per document (the framework's own competencies) with 1 to 3 evidence passages each.
// Generation is seeded, so two runs build the same catalog.

import Foundation
import SPScanCatalog
import SPScanModel
import SPScanTestSupport

#if canImport(Glibc)
    import Glibc
#endif

func argument(_ flag: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func wallSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func fileSize(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

/// The generated corpus: words, facets and documents, all drawn from one seeded generator.
struct Generator {
    var random = SplitMix64(state: 2026)
    var vocabulary: [String] = []
    let competencies: [(id: String, domain: String)]
    let passagesPerDocument: Int
    let institutions = (1...400).map { "Institution \($0)" }
    let regions = ["ON", "BC", "QC", "England", "Wales", "Scotland", "Leinster", "Central"]

    init(competencies: [(id: String, domain: String)], passagesPerDocument: Int) {
        self.competencies = competencies
        self.passagesPerDocument = passagesPerDocument
        let syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "pel", "dri", "nu", "sen", "gar", "tol", "fi", "ber", "qua", "zem"]
        while vocabulary.count < 20_000 {
            let length = Int.random(in: 2...4, using: &random)
            vocabulary.append((0..<length).map { _ in syllables.randomElement(using: &random) ?? "ka" }.joined())
        }
        // The domain's words in the middle of the frequency range, where a user's search words are.
        let realWords = [
            "motivational", "interviewing", "referral", "community", "assessment", "safeguarding", "goals", "wellbeing",
            "loneliness", "social", "prescribing", "link", "worker", "volunteer", "evaluation", "partnership", "consent",
            "boundaries", "supervision", "housing", "debt", "navigation", "culturally", "safe", "coaching",
        ]
        for (index, word) in realWords.enumerated() { vocabulary[20 + index * 12] = word }
    }

    /// A Zipf-like draw: low ranks are frequent, the tail is long.
    mutating func word() -> String {
        let u = Double.random(in: 0..<1, using: &random)
        let rank = Int(pow(Double(vocabulary.count), u)) - 1
        return vocabulary[min(max(rank, 0), vocabulary.count - 1)]
    }

    mutating func sentence(_ words: Int) -> String {
        (0..<words).map { _ in word() }.joined(separator: " ") + "."
    }

    mutating func source(_ index: Int) -> Source {
        let groups = TargetGroup.allCases.filter { _ in Bool.random(using: &random) }
        return Source(
            id: String(format: "src-%06d", index), url: URL(string: "https://bench.example/\(index)") ?? URL(fileURLWithPath: "/"),
            title: "Training \(index)", country: Country.allCases[index % Country.allCases.count],
            region: regions[index % regions.count], institution: institutions[index % institutions.count],
            institutionType: InstitutionType.allCases[index % InstitutionType.allCases.count],
            kind: DocumentKind.allCases[index % DocumentKind.allCases.count], targetGroups: groups.isEmpty ? [.linkWorkers] : groups)
    }

    mutating func passages() -> [Passage] {
        var offset = 0
        return (0..<passagesPerDocument).map { position -> Passage in
            let text = sentence(Int.random(in: 20...40, using: &random))
            defer { offset += text.unicodeScalars.count + 2 }
            return Passage(text: text, heading: "Module \(position / 5 + 1)", start: offset, end: offset + text.unicodeScalars.count)
        }
    }

    mutating func tags(_ passages: [Passage]) -> [Tag] {
        competencies.shuffled(using: &random).prefix(Int.random(in: 3...8, using: &random)).map { competency in
            let evidence = (0..<Int.random(in: 1...3, using: &random)).map { _ -> Evidence in
                let passage = passages.randomElement(using: &random) ?? passages[0]
                return Evidence(
                    text: passage.text, start: passage.start, end: passage.end, heading: passage.heading, terms: [word(), word()],
                    spans: [Span(start: 0, end: 8, term: word())], score: Double.random(in: 0.3...1, using: &random))
            }
            return Tag(competency: competency.id, domain: competency.domain, score: evidence.map(\.score).max() ?? 0.5, evidence: evidence)
        }
    }
}

/// One source of Sources.yaml, in the registry's own spelling.
func registryEntry(_ source: Source) -> String {
    """
      - id: \(source.id)
        title: \(source.title)
        url: \(source.url.absoluteString)
        country: \(source.country.rawValue)
        region: \(source.region ?? "")
        institution: \(source.institution)
        institution_type: \(source.institutionType.rawValue)
        kind: \(source.kind.rawValue)
        target_groups: [\(source.targetGroups.map(\.rawValue).joined(separator: ", "))]

    """
}

func run() throws {
    let count = Int(argument("--documents", "100000")) ?? 100_000
    let passagesPerDocument = Int(argument("--passages", "20")) ?? 20
    let directory = URL(fileURLWithPath: argument("--dir", "bench-scale"))
    let frameworkURL = URL(fileURLWithPath: argument("--framework", "Framework.yaml"))
    let batchSize = 1_000
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let framework = try FrameworkLoader.load(from: frameworkURL)
    let projectFramework = directory.appendingPathComponent("Framework.yaml")
    try? FileManager.default.removeItem(at: projectFramework)
    try FileManager.default.copyItem(at: frameworkURL, to: projectFramework)
    let catalogURL = directory.appendingPathComponent(".spscan/catalog.sqlite")
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: catalogURL.path + suffix) }

    var generator = Generator(
        competencies: framework.competencies.map { ($0.id, $0.domain) }, passagesPerDocument: passagesPerDocument)
    let sources = (0..<count).map { generator.source($0) }
    var registry = "defaults:\n  politeness_delay: 0s\nsources:\n"
    for source in sources { registry += registryEntry(source) }
    try registry.write(to: directory.appendingPathComponent("Sources.yaml"), atomically: true, encoding: .utf8)

    let catalog = try CatalogDatabase(path: catalogURL)
    var generationSeconds = 0.0
    var writeSeconds = 0.0
    var writeCPU = 0.0
    // Only a sample of documents is kept for the later scans, so that memory stays the catalog's, not ours.
    var retagged: [Int: (TaggedDocument, [Passage])] = [:]
    let keepEvery = 50
    let started = Date(timeIntervalSince1970: 1_764_000_000)
    let firstScan = try catalog.beginScan(startedAt: started)
    try catalog.write { try $0.upsertSources(sources) }
    for batch in stride(from: 0, to: count, by: batchSize) {
        let generateStart = wallSeconds()
        let documents = (batch..<min(batch + batchSize, count)).map { index -> (TaggedDocument, [Passage]) in
            let passages = generator.passages()
            let document = TaggedDocument(
                id: sources[index].id, source: sources[index], url: sources[index].url.absoluteString, tags: generator.tags(passages))
            return (document, passages)
        }
        generationSeconds += wallSeconds() - generateStart
        let (wall, cpu) = (wallSeconds(), cpuSeconds())
        try catalog.write { writer in
            for (document, passages) in documents {
                try writer.replaceDocument(document, passages: passages, textHash: "h1-\(document.id)", scan: firstScan)
            }
        }
        writeSeconds += wallSeconds() - wall
        writeCPU += cpuSeconds() - cpu
        for (offset, item) in documents.enumerated() where (batch + offset) % keepEvery == 0 { retagged[batch + offset] = item }
    }
    try catalog.finishScan(firstScan, finishedAt: started.addingTimeInterval(600))
    let firstBuild = (wall: writeSeconds, cpu: writeCPU)

    // Two later scans: each re-tags the kept 2 % (one competency lost or gained), as a daily re-scan would.
    let (historyWall, historyCPU) = (wallSeconds(), cpuSeconds())
    for later in 1...2 {
        let scan = try catalog.beginScan(startedAt: started.addingTimeInterval(Double(later) * 86_400))
        try catalog.write { writer in
            for key in retagged.keys.sorted() {
                guard let (stored, passages) = retagged[key] else { continue }
                var document = stored
                if document.tags.count > 3 {
                    document.tags.removeLast()
                } else if let missing = framework.competencies.first(where: { c in !document.tags.contains { $0.competency == c.id } }) {
                    document.tags.append(Tag(competency: missing.id, domain: missing.domain, score: 0.7, evidence: []))
                }
                retagged[key] = (document, passages)
                try writer.replaceDocument(document, passages: passages, textHash: "h1-\(document.id)", scan: scan)
            }
        }
        try catalog.finishScan(scan, finishedAt: started.addingTimeInterval(Double(later) * 86_400 + 60))
    }
    let history = (wall: wallSeconds() - historyWall, cpu: cpuSeconds() - historyCPU)
    let summary = try catalog.summary()

    // Queries and searches as a user types them: every competency in turn, a third of them filtered.
    let filters: [DocumentFilter] = [.all, DocumentFilter(countries: [.canada]), DocumentFilter(targetGroups: [.volunteers])]
    var querySamples: [Double] = []
    var queryCPU: [Double] = []
    var queryHits = 0
    for index in 0..<200 {
        let competency = framework.competencies[index % framework.competencies.count].id
        let (wall, cpu) = (wallSeconds(), cpuSeconds())
        queryHits += try catalog.query(competency: competency, filter: filters[index % filters.count]).count
        querySamples.append((wallSeconds() - wall) * 1000)
        queryCPU.append((cpuSeconds() - cpu) * 1000)
    }
    // The page a person reads: the best 20 in scope with the count of all, as the web page asks for its list.
    var pageSamples: [Double] = []
    var pageCPU: [Double] = []
    var pageTotal = 0
    for index in 0..<200 {
        let competency = framework.competencies[index % framework.competencies.count].id
        let (wall, cpu) = (wallSeconds(), cpuSeconds())
        pageTotal +=
            try catalog.query(competency: competency, filter: filters[index % filters.count], scope: .inScope, limit: 20).total
        pageSamples.append((wallSeconds() - wall) * 1000)
        pageCPU.append((cpuSeconds() - cpu) * 1000)
    }
    let searchTerms = [
        "motivational interviewing", "referral", "community assessment", "safeguarding", "evaluation", "\"social prescribing\"",
        "wellbeing goals", "housing debt", "culturally safe", "link worker",
    ]
    var searchSamples: [Double] = []
    var searchCPU: [Double] = []
    var searchHits = 0
    for index in 0..<200 {
        let text =
            index % 2 == 0
            ? searchTerms[index % searchTerms.count]
            : "\(generator.vocabulary[20 + index * 7 % 2_000]) \(generator.vocabulary[40 + index * 13 % 2_000])"
        let (wall, cpu) = (wallSeconds(), cpuSeconds())
        searchHits += try catalog.search(text: text, filter: filters[index % filters.count], limit: 20).count
        searchSamples.append((wallSeconds() - wall) * 1000)
        searchCPU.append((cpuSeconds() - cpu) * 1000)
    }
    let catalogBytes = fileSize(catalogURL.path) + fileSize(catalogURL.path + "-wal")

    print(
        "bench-scale: \(summary.documents) documents, \(summary.passages) passages, \(summary.tags) tags, 3 scans; "
            + "catalog \(String(format: "%.0f", Double(catalogBytes) / 1_048_576)) MB (with its WAL)")
    print(
        String(
            format: "  first build: %.1f s wall, %.1f s CPU (%.0f documents/s, %.0f passages/s of CPU); generation apart: %.1f s",
            firstBuild.wall, firstBuild.cpu, Double(count) / firstBuild.cpu, Double(summary.passages) / firstBuild.cpu,
            generationSeconds))
    print(
        String(
            format: "  two later scans of %d re-tagged documents each: %.1f s wall, %.1f s CPU", retagged.count, history.wall, history.cpu))
    print(
        String(
            format: "  query (all hits) p50 %.1f ms  p95 %.1f ms, CPU p50 %.1f ms  p95 %.1f ms  (200 runs, avg %.0f hits)",
            percentile(querySamples, 0.5), percentile(querySamples, 0.95), percentile(queryCPU, 0.5), percentile(queryCPU, 0.95),
            Double(queryHits) / 200))
    print(
        String(
            format:
                "  query, first page of 20 with the count: p50 %.1f ms  p95 %.1f ms, CPU p50 %.1f ms  p95 %.1f ms  (200 runs, avg %.0f hits)",
            percentile(pageSamples, 0.5), percentile(pageSamples, 0.95), percentile(pageCPU, 0.5), percentile(pageCPU, 0.95),
            Double(pageTotal) / 200))
    print(
        String(
            format: "  search p50 %.1f ms  p95 %.1f ms, CPU p50 %.1f ms  p95 %.1f ms  (200 runs, limit 20, avg %.1f hits)",
            percentile(searchSamples, 0.5), percentile(searchSamples, 0.95), percentile(searchCPU, 0.5), percentile(searchCPU, 0.95),
            Double(searchHits) / 200))
    print(String(format: "  peak memory of the build (getrusage maxrss): %.0f MB", peakMemoryMB()))
    // Machine-readable figures for scripts/bench-scale.
    print("figure documents \(summary.documents)")
    print("figure passages \(summary.passages)")
    print("figure catalog_mb \(String(format: "%.1f", Double(catalogBytes) / 1_048_576))")
    print("figure build_wall_s \(String(format: "%.2f", firstBuild.wall))")
    print("figure build_cpu_s \(String(format: "%.2f", firstBuild.cpu))")
    print("figure query_p50_ms \(String(format: "%.2f", percentile(querySamples, 0.5)))")
    print("figure query_p95_ms \(String(format: "%.2f", percentile(querySamples, 0.95)))")
    print("figure query_page_p50_ms \(String(format: "%.2f", percentile(pageSamples, 0.5)))")
    print("figure query_page_p95_ms \(String(format: "%.2f", percentile(pageSamples, 0.95)))")
    print("figure search_p50_ms \(String(format: "%.2f", percentile(searchSamples, 0.5)))")
    print("figure search_p95_ms \(String(format: "%.2f", percentile(searchSamples, 0.95)))")
    print("figure build_peak_mb \(String(format: "%.0f", peakMemoryMB()))")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("bench-scale: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n".utf8))
    exit(1)
}
