import Foundation
import SPScanModel

/// Reads PDF text through poppler's `pdftotext`, run as a child process under a time and a memory limit.
///
/// A separate process means that a hostile or broken PDF can at worst be killed: it never crashes or hangs
/// the scan, which a PDF library in our own process could. `pdftotext` without `-layout` gives text in
/// reading order (columns one after the other) with a form feed after each page, so passages keep their page.
/// Lines repeated at the top or bottom of most pages (running headers, footers, page numbers) are removed.
struct PDFReader {
    var limits: ExtractionLimits

    func read(_ data: Data) throws(ExtractError) -> [Block] {
        guard let pdftotext = executable(named: "pdftotext") else { throw .pdfToolMissing }
        let run = try runTool(pdftotext, on: data)
        var pages = run.output.components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        guard !pages.isEmpty else { throw .corruptPDF(detail: firstComplaint(run.errors) ?? "no pages") }
        let pageLines = removeRunningLines(pages.map { $0.components(separatedBy: "\n") })
        var blocks: [Block] = []
        for (index, lines) in pageLines.enumerated() {
            blocks += pageBlocks(lines, page: index + 1)
        }
        if blocks.isEmpty {
            throw .imageOnlyPDF(pages: pages.count)
        }
        markTitle(&blocks)
        return blocks
    }

    // MARK: - Running the tool

    private struct ToolRun {
        var output: String
        var errors: String
    }

    private func runTool(_ tool: URL, on data: Data) throws(ExtractError) -> ToolRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spscan-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.pdf")
        let output = folder.appendingPathComponent("output.txt")
        let errors = folder.appendingPathComponent("errors.txt")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: input)
            try Data().write(to: errors)
        } catch {
            throw .pdfToolFailed(status: -1, detail: "cannot write a temporary file: \(error.localizedDescription)")
        }
        let timeoutSeconds = Int(limits.pdfTimeout.components.seconds)
        var arguments = ["-enc", "UTF-8", "-eol", "unix", input.path, output.path]
        let process = Process()
        if let prlimit = executable(named: "prlimit") {
            // --cpu stops a busy loop even if our timer were late; --as bounds memory.
            process.executableURL = prlimit
            arguments = ["--as=\(limits.pdfMemoryBytes)", "--cpu=\(timeoutSeconds + 1)", "--", tool.path] + arguments
        } else {
            process.executableURL = tool
        }
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try? FileHandle(forWritingTo: errors)
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw .pdfToolFailed(status: -1, detail: "cannot start \(tool.path): \(error.localizedDescription)")
        }
        if finished.wait(timeout: .now() + .seconds(timeoutSeconds)) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + .seconds(2)) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
            throw .pdfTimedOut(seconds: timeoutSeconds)
        }
        let complaints = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        let text = (try? Data(contentsOf: output)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        if process.terminationReason == .uncaughtSignal {
            throw .pdfToolFailed(status: process.terminationStatus, detail: "stopped by signal \(process.terminationStatus)")
        }
        switch process.terminationStatus {
        case 0:
            return ToolRun(output: text, errors: complaints)
        case 3:
            throw .encryptedPDF
        default:
            if complaints.localizedCaseInsensitiveContains("password") { throw .encryptedPDF }
            if process.terminationStatus == 1 {
                throw .corruptPDF(detail: firstComplaint(complaints) ?? "poppler cannot open it")
            }
            throw .pdfToolFailed(status: process.terminationStatus, detail: firstComplaint(complaints) ?? "")
        }
    }

    private func firstComplaint(_ errors: String) -> String? {
        errors.split(separator: "\n").first.map { String($0.prefix(200)) }
    }

    private func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    // MARK: - Pages to blocks

    /// Drops lines that open or close at least half the pages (two at least), compared with digits masked, so
    /// that `Page 3 of 9` matches `Page 4 of 9`; and bare page numbers at a page's edge.
    func removeRunningLines(_ pages: [[String]]) -> [[String]] {
        let edge = 2
        func key(_ line: String) -> String {
            String(line.collapsingWhitespace.lowercased().map { $0.isNumber ? "#" : $0 })
        }
        func edgeIndices(_ lines: [String]) -> [Int] {
            let filled = lines.indices.filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
            return Array(Set(filled.prefix(edge) + filled.suffix(edge))).sorted()
        }
        var counts: [String: Int] = [:]
        for lines in pages {
            for line in Set(edgeIndices(lines).map { key(lines[$0]) }) { counts[line, default: 0] += 1 }
        }
        let needed = max(2, (pages.count + 1) / 2)
        return pages.map { lines in
            var kept = lines
            for index in edgeIndices(lines).reversed() {
                let lineKey = key(lines[index])
                let isPageNumber = lineKey.allSatisfy { $0 == "#" || $0 == " " || $0 == "-" || $0 == "/" }
                if (pages.count >= 2 && (counts[lineKey] ?? 0) >= needed) || isPageNumber { kept[index] = "" }
            }
            return kept
        }
    }

    /// Paragraphs are runs of lines between blank lines; bullets start list items; a short, unpunctuated
    /// paragraph of one line reads as a heading.
    func pageBlocks(_ lines: [String], page: Int) -> [Block] {
        var blocks: [Block] = []
        var current: [String] = []
        var currentRole: BlockRole = .paragraph

        func flush() {
            guard !current.isEmpty else { return }
            var text = ""
            for line in current {
                if text.hasSuffix("-"), let first = line.first, first.isLowercase {
                    text.removeLast()  // a word hyphenated at the line end
                    text += line
                } else {
                    text += text.isEmpty ? line : " " + line
                }
            }
            var role = currentRole
            var level = 0
            if role == .paragraph, current.count == 1, looksLikeHeading(text) {
                role = .heading
                level = 2
            }
            blocks.append(Block(text, role: role, level: level, page: page))
            current.removeAll()
            currentRole = .paragraph
        }

        for rawLine in lines {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flush()
                continue
            }
            if let item = bulletItem(line) {
                flush()
                current = [item]
                currentRole = .listItem
                continue
            }
            current.append(line)
        }
        flush()
        return blocks
    }

    private func bulletItem(_ line: String) -> String? {
        for bullet in ["•", "▪", "◦", "●", "■", "–", "-", "\u{F0B7}"] where line.hasPrefix(bullet + " ") {
            return String(line.dropFirst(bullet.count + 1))
        }
        return nil
    }

    private func looksLikeHeading(_ text: String) -> Bool {
        guard let first = text.first, first.isUppercase || first.isNumber, let last = text.last else { return false }
        let words = text.wordCount
        return words >= 1 && words <= 10 && !".,;:".contains(last) && text.count <= 90
    }

    /// The first heading of the document is its title (level 1), so that later headings sit below it.
    private func markTitle(_ blocks: inout [Block]) {
        if let first = blocks.firstIndex(where: { $0.role == .heading }) { blocks[first].level = 1 }
    }
}
