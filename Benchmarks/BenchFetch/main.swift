// bench-fetch: the fetch stage alone (no Sources.yaml parsing), over the URLs of a file, into a fresh corpus:
// a first scan, then a re-scan answered by 304s. Run by `make bench-fetch` (scripts/bench-fetch), which serves
// the documents with nginx and times curl on the same URLs. Prints wall and CPU seconds and documents/s.
import Foundation
import Logging
import SPScanFetch
import SPScanModel

let arguments = CommandLine.arguments
guard arguments.count == 3, let list = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: bench-fetch URLS-FILE CORPUS-DIR\n".utf8))
    exit(2)
}
var settings = CrawlSettings(politenessDelay: 0, concurrency: 16, perHostConcurrency: 16, retries: 0, allowPrivate: true)
settings.userAgent = "spscan-bench/1.0"
let sources = list.split(separator: "\n").enumerated().compactMap { index, line -> Source? in
    guard let url = URL(string: String(line)) else { return nil }
    return Source(
        id: "doc-\(index)", url: url, title: "Document \(index)", country: .canada, institution: "Bench",
        institutionType: .network, kind: .training, targetGroups: [.linkWorkers], settings: settings)
}
var logger = Logger(label: "bench-fetch")
logger.logLevel = .error
let store = try SnapshotStore(corpus: URL(fileURLWithPath: arguments[2], isDirectory: true))
let fetcher = Fetcher(store: store, options: FetchOptions(concurrency: 16), logger: logger)

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
}

for label in ["fetch stage (first)", "fetch stage (re-scan, 304s)"] {
    let start = Date()
    let cpu = cpuSeconds()
    let results = await fetcher.fetch(sources, offline: false)
    let wall = Date().timeIntervalSince(start)
    let outcomes = Dictionary(grouping: results, by: \.outcome).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
    let figures = String(
        format: "wall %7.2f s   cpu %7.2f s   %6.0f documents/s", wall, cpuSeconds() - cpu, Double(sources.count) / max(wall, 0.001))
    print(label.padding(toLength: 35, withPad: " ", startingAt: 0) + figures + "   (" + outcomes.joined(separator: ", ") + ")")
}
