// bench-serve: 50 concurrent clients on the matrix and query API and on every page for 20 seconds, against `spscan serve` over a
// generated 10,000-document catalog. Run with `make bench-serve` (release build); figures go to standard output.
//
// The server runs in this process on 127.0.0.1 (port 0); the load comes from `wrk` (Debian's package), whose
// Lua script spreads requests over matrix views and competency queries with and without filters, as a page
// full of people clicking would. Generation is seeded, so two runs load the same catalog. BENCH_DOCUMENTS and
// BENCH_SECONDS shrink the run for a quick check.

import Foundation
import SPScanCatalog
import SPScanModel
import SPScanTestSupport
import SPScanWeb

let environment = ProcessInfo.processInfo.environment
let documentCount = Int(environment["BENCH_DOCUMENTS"] ?? "") ?? 10_000
let seconds = Int(environment["BENCH_SECONDS"] ?? "") ?? 20
let connections = 50
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let framework = try FrameworkLoader.load(from: root.appendingPathComponent("Framework.yaml"))
let competencies = framework.competencies.map(\.id)
let words = [
    "motivational", "interviewing", "referral", "community", "assessment", "safeguarding", "goals", "wellbeing",
    "loneliness", "social", "prescribing", "volunteer", "evaluation", "partnership", "consent", "supervision",
]
let institutions = (1...40).map { "Institution \($0)" }
let regions = ["ON", "BC", "QC", "England", "Wales", "Scotland", "Leinster", "Central"]

func generate(into catalog: CatalogDatabase) throws {
    var random = SplitMix64(state: 2026)
    func sentence(_ count: Int) -> String {
        (0..<count).map { _ in words.randomElement(using: &random) ?? "social" }.joined(separator: " ") + "."
    }
    var index = 0
    while index < documentCount {
        try catalog.write { writer in
            let scan = try writer.beginScan(startedAt: Date())
            for _ in 0..<min(500, documentCount - index) {
                let groups = TargetGroup.allCases.filter { _ in Bool.random(using: &random) }
                let source = Source(
                    id: String(format: "src-%05d", index), url: URL(fileURLWithPath: "/bench/\(index)"), title: "Training \(index)",
                    country: Country.allCases[index % Country.allCases.count], region: regions[index % regions.count],
                    institution: institutions[index % institutions.count],
                    institutionType: InstitutionType.allCases[index % InstitutionType.allCases.count],
                    kind: DocumentKind.allCases[index % DocumentKind.allCases.count], targetGroups: groups.isEmpty ? [.linkWorkers] : groups
                )
                var offset = 0
                let passages = (0..<10).map { position -> Passage in
                    let text = sentence(Int.random(in: 15...30, using: &random))
                    defer { offset += text.unicodeScalars.count + 2 }
                    return Passage(text: text, heading: "Module \(position + 1)", start: offset, end: offset + text.unicodeScalars.count)
                }
                let tags = competencies.shuffled(using: &random).prefix(Int.random(in: 3...8, using: &random)).map { id -> Tag in
                    let passage = passages.randomElement(using: &random) ?? passages[0]
                    let score = Double.random(in: 0.3...1, using: &random)
                    return Tag(
                        competency: id, domain: String(id.prefix(2)), score: score,
                        evidence: [
                            Evidence(
                                text: passage.text, start: passage.start, end: passage.end, heading: passage.heading, terms: ["social"],
                                spans: [Span(start: 0, end: 6, term: "social")], score: score)
                        ])
                }
                try writer.upsertSource(source)
                try writer.replaceDocument(
                    TaggedDocument(id: source.id, source: source, url: source.url.absoluteString, fetchedAt: Date(), tags: tags),
                    passages: passages, textHash: "h\(index)", scan: scan)
                index += 1
            }
            try writer.finishScan(scan, finishedAt: Date())
        }
    }
}

/// The request mix: matrix views (cached per catalog version after their first build) and competency queries
/// (a database read each time), with and without filters.
let paths = [
    "/api/matrix?rows=institution&cols=competency",
    "/api/matrix?rows=country&cols=domain&country=CA&country=GB",
    "/api/matrix?rows=target-group&cols=competency&kind=training",
    "/api/query/IS-5?country=CA&target-group=volunteers&kind=training",
    "/api/query/CE-7?country=GB&institution-type=charity",
    "/api/query/PA-2?region=ON&kind=guide",
    // The pages a person opens: each must answer in under 50 ms of server time at 10,000 documents.
    "/", "/?rows=institution&cols=competency&view=bubbles", "/gaps", "/gaps?rows=country&country=CA", "/competencies",
    "/competencies/IS-5?country=CA", "/documents/src-00042", "/search?q=motivational+interviewing", "/scans", "/out-of-scope",
]
let script = """
    local paths = {
    \(paths.map { "  \"\($0)\"," }.joined(separator: "\n"))
    }
    local counter = 0
    request = function()
      counter = counter + 1
      return wrk.format("GET", paths[(counter % #paths) + 1])
    end
    done = function(summary, latency, requests)
      local seconds = summary.duration / 1e6
      local e = summary.errors
      io.write(string.format("requests: %d in %.1f s\\n", summary.requests, seconds))
      io.write(string.format("requests/s: %.0f\\n", summary.requests / seconds))
      io.write(string.format("latency p50: %.1f ms, p95: %.1f ms, p99: %.1f ms, max: %.1f ms\\n",
        latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
      io.write(string.format("errors: %d (connect %d, read %d, write %d, non-2xx %d, timeout %d)\\n",
        e.connect + e.read + e.write + e.status + e.timeout, e.connect, e.read, e.write, e.status, e.timeout))
    end
    """

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spscan-bench-serve-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let catalogURL = directory.appendingPathComponent("catalog.sqlite")
let started = Date()
try generate(into: try CatalogDatabase(path: catalogURL))
print("catalog: \(documentCount) documents generated in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
let scriptURL = directory.appendingPathComponent("mix.lua")
try script.write(to: scriptURL, atomically: true, encoding: .utf8)

let settings = WebSettings(
    host: "127.0.0.1", port: 0, sources: directory.appendingPathComponent("Sources.yaml"),
    framework: root.appendingPathComponent("Framework.yaml"), catalog: catalogURL,
    reviews: directory.appendingPathComponent("Reviews.yaml"))

let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
let server = Task { try await WebServer.run(settings: settings) { port in portSink.yield(port) } }
func firstPort(_ ports: AsyncStream<Int>) async -> Int? {
    for await port in ports { return port }
    return nil
}
guard let port = await firstPort(ports) else {
    FileHandle.standardError.write(Data("bench-serve: the server did not start\n".utf8))
    exit(1)
}

func run(_ arguments: [String], executable: String = "/usr/bin/wrk") throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

let base = "http://127.0.0.1:\(port)"

// The first request of each kind after the catalog changed: nothing kept yet (the first one also reads every
// document for the matrix).
print("first request after a catalog change (curl):")
for path in paths {
    let time = try run(["-s", "-o", "/dev/null", "-w", "%{time_total}", base + path], executable: "/usr/bin/curl")
    print(String(format: "  %6.1f ms  %@", (Double(time) ?? .nan) * 1000, path))
}

// Warm up: the first matrix request reads every document once.
_ = try run(["-t1", "-c2", "-d2s", "-s", scriptURL.path, base])

// Each request alone first (one client, 2 s), so that the figures under load can be read against them.
let single = scriptURL.deletingLastPathComponent().appendingPathComponent("single.lua")
try """
done = function(summary, latency, requests)
  io.write(string.format("%6.1f ms p50 %6.1f ms p95", latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
""".write(to: single, atomically: true, encoding: .utf8)
print("one client at a time:")
for path in paths {
    let figures = try run(["-t1", "-c1", "-d2s", "-s", single.path, base + path])
    print("  " + (figures.split(separator: "\n").last.map(String.init) ?? "?") + "  " + path)
}
print("load: \(connections) connections, 2 wrk threads, \(seconds) s, \(ProcessInfo.processInfo.activeProcessorCount) cores shared")
let output = try run(["-t2", "-c\(connections)", "-d\(seconds)s", "--timeout", "5s", "-s", scriptURL.path, base])
let figures = output.split(separator: "\n").drop { !$0.hasPrefix("requests:") }
print(figures.joined(separator: "\n"))
// Exit without stopping the server: its connections are wrk's, already closed.
_ = server
exit(0)
