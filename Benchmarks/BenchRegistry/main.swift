// bench-registry: loading and validating a generated Sources.yaml of 10,000 sources (the registry `spscan scan`
// reads first), valid and with one mistake in every hundred sources, so that the cost of collecting
// diagnostics shows too. Run by `make bench-registry` (release build). Prints the best and median of 7 runs,
// wall and CPU. BENCH_SOURCES=N to resize.
import Foundation
import SPScanModel

let count = ProcessInfo.processInfo.environment["BENCH_SOURCES"].flatMap(Int.init) ?? 10_000
let runs = 7

/// A registry shaped like a real one: every required facet, lists in both YAML styles, some optional keys.
func registry(sources: Int, mistakes: Bool) -> String {
    var text = "defaults:\n  politeness_delay: 0s\n  concurrency: 16\n  allow_private: true\nsources:\n"
    text.reserveCapacity(sources * 330)
    for index in 0..<sources {
        let bad = mistakes && index % 100 == 99
        text += """
              - id: doc-\(index)
                title: "Module \(index): link working in practice"
                url: https://example-\(index % 97).org/training/module-\(index).html
                country: \(bad ? "CAN" : "CA")
                region: ON
                institution: Bench College \(index % 13)
                institution_type: \(index % 2 == 0 ? "university" : "network")
                kind: training
                target_groups:
                  - link-workers
                  - volunteers
                populations: [older-adults]
                year: 2024

            """
    }
    return text
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
}

print("bench-registry: \(count) sources, best and median of \(runs) runs")
for mistakes in [false, true] {
    let text = registry(sources: count, mistakes: mistakes)
    var walls: [Double] = []
    var cpus: [Double] = []
    var loaded = 0
    var diagnostics = 0
    for _ in 0..<runs {
        let start = Date()
        let cpu = cpuSeconds()
        let (registry, found) = RegistryLoader.parse(text, file: "Sources.yaml")
        walls.append(Date().timeIntervalSince(start))
        cpus.append(cpuSeconds() - cpu)
        loaded = registry?.sources.count ?? 0
        diagnostics = found.count
    }
    walls.sort()
    cpus.sort()
    let label = mistakes ? "with a mistake in 1 of 100" : "valid"
    let figures = String(
        format: "wall %.3f / %.3f s   cpu %.3f / %.3f s", walls[0], walls[runs / 2], cpus[0], cpus[runs / 2])
    print(
        label.padding(toLength: 28, withPad: " ", startingAt: 0) + figures
            + "   (\(text.utf8.count / 1024) KiB, \(loaded) sources loaded, \(diagnostics) diagnostics)")
}
