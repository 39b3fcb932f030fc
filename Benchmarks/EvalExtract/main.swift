// eval-extract: runs the HTML reader over a folder of pages and writes `{"NNNN": "main text", …}`, the
// results file the WCXB benchmark's `evaluate.py` scores. `scripts/eval-extract` (run by `make eval-extract`)
// unpacks `Eval/wcxb-dev/`, calls this, runs trafilatura beside it and prints both scores.
// Usage: eval-extract PAGES_DIR RESULTS.json
import Foundation
import SPScanExtract

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: eval-extract PAGES_DIR RESULTS.json\n".utf8))
    exit(2)
}
let folder = URL(fileURLWithPath: arguments[1])
let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".html") }.sorted() ?? []
guard !names.isEmpty else {
    FileHandle.standardError.write(Data("eval-extract: no .html pages in \(folder.path)\n".utf8))
    exit(2)
}
let extractor = Extractor()
var results: [String: String] = [:]
var failures = 0
let started = ContinuousClock.now
for name in names {
    let id = String(name.dropLast(".html".count))
    guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else { continue }
    do {
        results[id] = try extractor.extract(data, contentType: "text/html", filename: name).text
    } catch {
        failures += 1
        results[id] = ""
        FileHandle.standardError.write(Data("eval-extract: \(name): \(error.localizedDescription)\n".utf8))
    }
}
let elapsed = ContinuousClock.now - started
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
do {
    try encoder.encode(results).write(to: URL(fileURLWithPath: arguments[2]))
} catch {
    FileHandle.standardError.write(Data("eval-extract: cannot write \(arguments[2]): \(error.localizedDescription)\n".utf8))
    exit(1)
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
FileHandle.standardError.write(
    Data("eval-extract: \(names.count) pages in \(String(format: "%.1f", seconds)) s, \(failures) failed\n".utf8))
