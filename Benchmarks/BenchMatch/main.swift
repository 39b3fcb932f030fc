// bench-match: tagging throughput and peak memory on generated text, against a literal multi-pattern scan
// of the same text with the same surface terms by ripgrep (`rg -i -F -c -f TERMS`), in the same run.
//
// The input (default 100 MB) is written to a temporary file as paragraphs mixing ordinary words with the
// framework's terms; one document in ten is French. It is then read back one ~1 MB document at a time (the
// pipeline tags one document at a time too), so peak memory reflects the tagger, not the input size.
// Usage: bench-match [--megabytes N] [--framework PATH]   (`make bench-match` runs it on one core)
//        bench-match --spscan PATH [--sizes 10,25,50] [--command-only]   (also time the whole `spscan tag FILE`)
//        bench-match --vocabulary N   (build a matcher for N generated terms: time, memory, a tagging pass)
import Foundation
import SPScanMatch
import SPScanModel

#if canImport(Glibc)
    import Glibc
#endif

func argument(_ flag: String, _ fallback: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

/// A small deterministic generator (SplitMix64), so that every run measures the same text.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

/// CPU time of the calling thread: unlike wall time, it does not grow when other processes share the core,
/// so figures stay comparable on a busy machine.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// User and system CPU time of finished child processes (ripgrep).
func childrenCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Splits a document at blank lines, as the pipeline's extractor does, with offsets in scalars (bytes that
/// start a UTF-8 sequence). A free function with local state only, so that its loop pays no dynamic checks.
func splitPassages(_ bytes: [UInt8], language: Language) -> [Passage] {
    var passages: [Passage] = []
    var blockStart = 0
    var blockScalars = 0
    var scalarOffset = 0
    var position = 0
    let count = bytes.count
    while position <= count {
        let atEnd = position == count
        if atEnd || (bytes[position] == 0x0A && position + 1 < count && bytes[position + 1] == 0x0A) {
            if position - blockStart > 1 {
                let text = bytes[blockStart..<position].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
                passages.append(
                    Passage(text: text, start: scalarOffset, end: scalarOffset + blockScalars, language: language))
            }
            scalarOffset += blockScalars + 2
            blockScalars = 0
            position += 2
            blockStart = position
        } else {
            if bytes[position] & 0xC0 != 0x80 { blockScalars += 1 }
            position += 1
        }
    }
    return passages
}

/// The whole run in a function: top-level variables are globals, and every access to a global pays a
/// dynamic exclusivity check that would be charged to the tagger.
func runBenchmark() {
    let megabytes = Int(argument("--megabytes", "100")) ?? 100
    let frameworkPath = argument("--framework", "Framework.yaml")

    do {
        let framework = try FrameworkLoader.load(from: URL(fileURLWithPath: frameworkPath))
        let tagger = try Tagger(framework: framework)
        let session = tagger.session()
        let englishTerms = framework.competencies.flatMap { $0.terms[.english] ?? [] }.map(\.text)
        let frenchTerms = framework.competencies.flatMap { $0.terms[.french] ?? [] }.map(\.text)
        let englishFiller = """
            the a of and to in for with on is are this that be by or as will their from an at it learners participants \
            module session course training people person support work service services local health community staff \
            practice role worker workers programme program skills knowledge understanding develop include including \
            explore describe explain use using provide providing help helping manage across within during each every \
            new time year week day group groups team teams case cases plan plans review learning outcomes key duties \
            practical approach approaches example examples evidence guide toolkit section unit level national regional
            """.split(whereSeparator: \.isWhitespace).map(String.init)
        let frenchFiller = """
            le la les des du de et est une un pour dans avec sur au aux qui que ou par en ces leur sont participants \
            formation module séance personne personnes soutien travail service services santé communauté équipe \
            pratique rôle intervenant compétences connaissances développer comprendre expliquer utiliser offrir aider \
            chaque nouvelle année semaine groupe groupes plan apprentissage résultats tâches approche exemple guide
            """.split(whereSeparator: \.isWhitespace).map(String.init)

        // 1. Generate the input file and the ripgrep pattern file.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-match-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("input.txt")
        let termsURL = directory.appendingPathComponent("terms.txt")
        try Set(englishTerms + frenchTerms).sorted().joined(separator: "\n").appending("\n")
            .write(to: termsURL, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: inputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: inputURL)
        var random = SplitMix(state: 42)
        let target = megabytes * 1_000_000
        var written = 0
        var documentIndex = 0
        while written < target {
            let french = documentIndex % 10 == 9
            let filler = french ? frenchFiller : englishFiller
            let terms = french ? frenchTerms : englishTerms
            var document = ""
            while document.utf8.count < 1_000_000 {
                var words: [String] = []
                for _ in 0..<(60 + Int(random.next() % 80)) {
                    words.append(random.next() % 20 == 0 ? random.pick(terms) : random.pick(filler))
                }
                document += words.joined(separator: " ") + ".\n\n"
            }
            document += "\u{1E}\n\n"  // record separator: one generated document ends here
            let data = Data(document.utf8)
            output.write(data)
            written += data.count
            documentIndex += 1
        }
        try output.close()
        let totalMB = Double(written) / 1_000_000

        // 2. Tag it, one document at a time, as the pipeline does.
        var tagCount = 0
        var taggerNanoseconds: UInt64 = 0
        var taggerCPUSeconds = 0.0
        var passageCount = 0
        let endToEndSeconds = try seconds {
            let input = try FileHandle(forReadingFrom: inputURL)
            var pending = Data()
            var index = 0
            func tagDocument(_ data: Data) {
                let bytes = [UInt8](data)
                let language: Language = index % 10 == 9 ? .french : .english
                let passages = splitPassages(bytes, language: language)
                passageCount += passages.count
                let document = ExtractedDocument(title: nil, language: language, format: .text, text: "", passages: passages)
                let started = DispatchTime.now().uptimeNanoseconds
                let startedCPU = threadCPUSeconds()
                tagCount += session.tag(document).tags.count
                taggerCPUSeconds += threadCPUSeconds() - startedCPU
                taggerNanoseconds += DispatchTime.now().uptimeNanoseconds - started
                index += 1
            }
            while let chunk = try input.read(upToCount: 4 << 20), !chunk.isEmpty {
                pending.append(chunk)
                while let separator = pending.firstIndex(of: 0x1E) {
                    tagDocument(pending[pending.startIndex..<separator])
                    pending = Data(pending[(separator + 1)...])
                }
            }
            if !pending.isEmpty { tagDocument(pending) }
            try input.close()
        }
        let peak = peakMemoryMB()

        // 3. The same text through ripgrep's literal multi-pattern scan, in the same run.
        var ripgrepSeconds: Double?
        var ripgrepLines = ""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["rg", "-j1", "-i", "-F", "-c", "-f", termsURL.path, inputURL.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        var ripgrepCPUSeconds = 0.0
        do {
            let childrenBefore = childrenCPUSeconds()
            ripgrepSeconds = try seconds {
                try process.run()
                ripgrepLines = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
            }
            ripgrepCPUSeconds = childrenCPUSeconds() - childrenBefore
            if process.terminationStatus > 1 { ripgrepSeconds = nil }
        } catch {
            ripgrepSeconds = nil
        }

        let tagSeconds = Double(taggerNanoseconds) / 1e9
        let throughput = totalMB / tagSeconds
        print(
            "bench-match: \(String(format: "%.1f", totalMB)) MB in \(documentIndex) documents, \(passageCount) passages, \(englishTerms.count + frenchTerms.count) terms"
        )
        let cpuThroughput = totalMB / taggerCPUSeconds
        print(
            "  spscan tagger (tokenise, stem, match, score): \(String(format: "%.1f", cpuThroughput)) MB/s of CPU time "
                + "(\(String(format: "%.2f", taggerCPUSeconds)) s); wall \(String(format: "%.2f", tagSeconds)) s, "
                + "\(String(format: "%.1f", throughput)) MB/s; \(tagCount) document tags"
        )
        print(
            "  end to end (read file, split passages, tag): \(String(format: "%.2f", endToEndSeconds)) s, "
                + "\(String(format: "%.1f", totalMB / endToEndSeconds)) MB/s"
        )
        print("  peak memory (getrusage maxrss): \(String(format: "%.1f", peak)) MB")
        if let ripgrepSeconds {
            let ripgrepThroughput = totalMB / ripgrepSeconds
            let ripgrepCPUThroughput = totalMB / ripgrepCPUSeconds
            let lines = ripgrepLines.trimmingCharacters(in: .whitespacesAndNewlines)
            print(
                "  rg -j1 -i -F -c -f TERMS: \(String(format: "%.1f", ripgrepCPUThroughput)) MB/s of CPU time "
                    + "(\(String(format: "%.2f", ripgrepCPUSeconds)) s); wall \(String(format: "%.2f", ripgrepSeconds)) s, "
                    + "\(String(format: "%.1f", ripgrepThroughput)) MB/s; \(lines) matching lines"
            )
            print(
                "  tagger speed as a fraction of ripgrep: \(String(format: "%.2f", cpuThroughput / ripgrepCPUThroughput)) "
                    + "(CPU time), \(String(format: "%.2f", throughput / ripgrepThroughput)) (wall)")
        } else {
            print("  rg baseline: ripgrep not found or failed; install it with scripts/install-deps")
        }
    } catch {
        FileHandle.standardError.write(Data("bench-match: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n".utf8))
        exit(2)
    }
}

/// Resident memory now (not the peak), from /proc/self/statm, in MB.
func residentMemoryMB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// Builds the matcher for a large generated vocabulary (issue 18: 200,000 terms must build in bounded memory):
/// made-up words of one to three tokens spread over 25 competencies, half English, half French.
func runVocabularyBenchmark(terms count: Int) {
    var random = SplitMix(state: 7)
    let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "go", "fu", "ri", "be", "zo", "cha"]
    func word() -> String { (0..<(2 + Int(random.next() % 3))).map { _ in random.pick(syllables) }.joined() }
    var perCompetency = [[Language: [Term]]](repeating: [:], count: 25)
    var sample: [String] = []
    for index in 0..<count {
        let text = (0..<(1 + Int(random.next() % 3))).map { _ in word() }.joined(separator: " ")
        let language: Language = index % 2 == 0 ? .english : .french
        perCompetency[index % 25][language, default: []].append(Term(text))
        if index % 1000 == 0 { sample.append(text) }
    }
    let competencies = perCompetency.enumerated().map { index, terms in
        Competency(id: "XX-\(index + 1)", domain: "XX", name: "Generated \(index + 1)", description: "", terms: terms)
    }
    let framework = Framework(
        id: "generated", title: "Generated", version: "1",
        domains: [Domain(id: "XX", name: "Generated", description: "", competencies: competencies)])
    let before = residentMemoryMB()
    let started = DispatchTime.now().uptimeNanoseconds
    do {
        let tagger = try Tagger(framework: framework)
        let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let after = residentMemoryMB()
        var text = ""
        while text.utf8.count < 5_000_000 {
            text += (0..<40).map { _ in random.next() % 8 == 0 ? random.pick(sample) : word() }.joined(separator: " ") + ".\n\n"
        }
        let passages = splitPassages(Array(text.utf8), language: .english)
        let document = ExtractedDocument(title: nil, language: .english, format: .text, text: "", passages: passages)
        let startedCPU = threadCPUSeconds()
        let tags = tagger.session().tag(document).tags.count
        let tagSeconds = threadCPUSeconds() - startedCPU
        print("bench-match --vocabulary \(count): \(VocabularyBudget.entryCount(framework)) terms")
        print("  build: \(String(format: "%.2f", buildSeconds)) s wall")
        print(
            "  matcher memory: \(String(format: "%.1f", after - before)) MB resident after building "
                + "(\(String(format: "%.0f", (after - before) * 1_048_576 / Double(count))) bytes per term); "
                + "peak of the process \(String(format: "%.1f", peakMemoryMB())) MB")
        print(
            "  tagging 5 MB against it: \(String(format: "%.1f", 5 / tagSeconds)) MB/s of CPU time, \(tags) tags")
    } catch {
        FileHandle.standardError.write(Data("bench-match: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n".utf8))
        exit(2)
    }
}

/// Runs a child process to its end with standard output discarded; returns wall and CPU seconds (user and
/// system, from the children's rusage), or nil when it could not run or failed.
func timeProcess(_ path: String, _ arguments: [String], okStatuses: Set<Int32> = [0]) -> (wall: Double, cpu: Double)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let before = childrenCPUSeconds()
    do {
        let wall = try seconds {
            try process.run()
            process.waitUntilExit()
        }
        guard okStatuses.contains(process.terminationStatus) else { return nil }
        return (wall, childrenCPUSeconds() - before)
    } catch {
        return nil
    }
}

/// `spscan tag FILE` as a user runs it (read, passages, language, matching, scoring, JSON output) on one text
/// file of 10, 25 and 50 MB, beside `rg` and the matcher alone on the same file: the figures issue 17 asks for,
/// and whether the command stays linear in the file's size.
func runCommandBenchmark(spscan: String, frameworkPath: String, sizes: [Int]) {
    do {
        let framework = try FrameworkLoader.load(from: URL(fileURLWithPath: frameworkPath))
        let session = try Tagger(framework: framework).session()
        let terms = framework.competencies.flatMap { $0.terms[.english] ?? [] }.map(\.text)
        let allTerms = Set(framework.competencies.flatMap { ($0.terms[.english] ?? []) + ($0.terms[.french] ?? []) }.map(\.text))
        let filler = """
            the a of and to in for with on is are this that be by or as will their from an at it learners participants \
            module session course training people person support work service services local health community staff \
            practice role worker workers programme program skills knowledge understanding develop include including \
            explore describe explain use using provide providing help helping manage across within during each every
            """.split(whereSeparator: \.isWhitespace).map(String.init)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-match-command-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let termsURL = directory.appendingPathComponent("terms.txt")
        try allTerms.sorted().joined(separator: "\n").appending("\n").write(to: termsURL, atomically: true, encoding: .utf8)
        print("bench-match, whole command: `spscan tag FILE --format json` on one English text file (one core)")
        for megabytes in sizes {
            // Training passages of 60 to 140 words, one in twenty a framework term, separated by blank lines.
            var random = SplitMix(state: 17)
            let url = directory.appendingPathComponent("input-\(megabytes)mb.txt")
            FileManager.default.createFile(atPath: url.path, contents: nil)
            let output = try FileHandle(forWritingTo: url)
            var written = 0
            while written < megabytes * 1_000_000 {
                var chunk = ""
                while chunk.utf8.count < 1_000_000 {
                    var words: [String] = []
                    for _ in 0..<(60 + Int(random.next() % 80)) {
                        words.append(random.next() % 20 == 0 ? random.pick(terms) : random.pick(filler))
                    }
                    chunk += words.joined(separator: " ") + ".\n\n"
                }
                let data = Data(chunk.utf8)
                output.write(data)
                written += data.count
            }
            try output.close()
            let size = Double(written) / 1_000_000

            let command = timeProcess(spscan, ["tag", url.path, "--framework", frameworkPath, "--format", "json", "--quiet"])
            let ripgrep = timeProcess("/usr/bin/env", ["rg", "-j1", "-i", "-F", "-c", "-f", termsURL.path, url.path], okStatuses: [0, 1])
            let bytes = [UInt8](try Data(contentsOf: url))
            let passages = splitPassages(bytes, language: .english)
            let document = ExtractedDocument(title: nil, language: .english, format: .text, text: "", passages: passages)
            let startedCPU = threadCPUSeconds()
            _ = session.tag(document)
            let matcherCPU = threadCPUSeconds() - startedCPU
            func rate(_ value: Double?) -> String { value.map { String(format: "%6.1f MB/s", size / $0) } ?? "   failed" }
            print(
                String(
                    format: "  %5.1f MB: spscan tag %@ (wall %.2f s, CPU %.2f s)", size, rate(command?.cpu), command?.wall ?? 0,
                    command?.cpu ?? 0)
                    + "   rg \(rate(ripgrep?.cpu))   matcher alone \(rate(matcherCPU)) (CPU)")
        }
        print("  (MB/s of CPU time; the command's includes process start, reading, passages, language, scoring and JSON)")
    } catch {
        FileHandle.standardError.write(Data("bench-match: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n".utf8))
        exit(2)
    }
}

if let vocabulary = Int(argument("--vocabulary", "")) {
    runVocabularyBenchmark(terms: vocabulary)
} else {
    let spscan = argument("--spscan", "")
    if !CommandLine.arguments.contains("--command-only") { runBenchmark() }
    if !spscan.isEmpty {
        let sizes = argument("--sizes", "10,25,50").split(separator: ",").compactMap { Int($0) }
        runCommandBenchmark(spscan: spscan, frameworkPath: argument("--framework", "Framework.yaml"), sizes: sizes)
    }
}
