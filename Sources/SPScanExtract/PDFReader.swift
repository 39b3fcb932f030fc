import Foundation
import SPScanModel

/// Reads PDF text through poppler's `pdftotext`, run as a child process under a time and a memory limit.
///
/// A separate process means that a hostile or broken PDF can at worst be killed: it never crashes or hangs
/// the scan, which a PDF library in our own process could. `pdftotext -bbox-layout` (and not `-layout`)
/// gives poppler's blocks in reading order (columns one after the other), page by page, with the box of each
/// word: larger type marks headings, and blocks repeated at the top or bottom of most pages (running headers,
/// footers, page numbers) are removed. Plain `pdftotext` output loses both, and paragraph breaks with them.
struct PDFReader {
    var limits: ExtractionLimits

    func read(_ data: Data) throws(ExtractError) -> [Block] {
        guard let pdftotext = executable(named: "pdftotext") else { throw .pdfToolMissing }
        let run = try runTool(pdftotext, on: data)
        let layout = try LibXML.parseXML(Data(run.output.utf8), part: "pdftotext -bbox-layout output")
        let pages = layout.descendants(named: "page").enumerated().map { attachBulletColumns(readPage($1, index: $0)) }
        guard !pages.isEmpty else { throw .corruptPDF(detail: firstComplaint(run.errors) ?? "no pages") }
        let kept = removeRunningBlocks(pages)
        let blocks = makeBlocks(kept)
        if blocks.isEmpty { throw .imageOnlyPDF(pages: pages.count) }
        return blocks
    }

    // MARK: - Layout

    /// A block of text as poppler's layout analysis found it, with the geometry the heuristics need.
    struct LayoutBlock {
        var lines: [String]
        /// The top of each line, in page units, parallel to `lines`.
        var lineTops: [Double] = []
        /// Lines that start a list item although they carry no bullet: theirs was read in a column of its own.
        var itemStarts: Set<Int> = []
        /// Median word height, which tracks the font size.
        var fontSize: Double
        var top: Double
        var bottom: Double
        var page: Int
        var pageHeight: Double
    }

    private func readPage(_ page: MarkupElement, index: Int) -> [LayoutBlock] {
        let height = Double(page.attributes["height"] ?? "") ?? 792
        return page.descendants(named: "block").compactMap { block -> LayoutBlock? in
            var heights: [Double] = []
            var lines: [String] = []
            var lineTops: [Double] = []
            for line in block.descendants(named: "line") {
                let words = line.descendants(named: "word")
                for word in words {
                    if let top = Double(word.attributes["yMin"] ?? ""), let bottom = Double(word.attributes["yMax"] ?? "") {
                        heights.append(bottom - top)
                    }
                }
                let text = words.map(plainText).joined(separator: " ")
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                lines.append(text)
                lineTops.append(Double(line.attributes["yMin"] ?? "") ?? 0)
            }
            guard !lines.isEmpty else { return nil }
            heights.sort()
            return LayoutBlock(
                lines: lines, lineTops: lineTops, fontSize: heights.isEmpty ? 0 : heights[heights.count / 2],
                top: Double(block.attributes["yMin"] ?? "") ?? 0, bottom: Double(block.attributes["yMax"] ?? "") ?? 0,
                page: index + 1, pageHeight: height)
        }
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
        let timeoutSeconds = max(1, Int(limits.pdfTimeout.components.seconds))  // whole seconds, as prlimit takes
        var arguments = ["-bbox-layout", "-enc", "UTF-8", "-eol", "unix", input.path, output.path]
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
        errors.split(separator: "\n").last.map { String($0.prefix(200)) }
    }

    private func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    // MARK: - Blocks

    /// Drops blocks in the top or bottom eighth of a page whose text (digits masked, so that `Page 3 of 9`
    /// matches `Page 4 of 9`) recurs on at least half the pages, two at least; and bare page numbers there.
    func removeRunningBlocks(_ pages: [[LayoutBlock]]) -> [[LayoutBlock]] {
        func key(_ block: LayoutBlock) -> String {
            String(block.lines.joined(separator: " ").collapsingWhitespace.lowercased().map { $0.isNumber ? "#" : $0 })
        }
        func atEdge(_ block: LayoutBlock) -> Bool {
            block.top < block.pageHeight * 0.125 || block.bottom > block.pageHeight * 0.875
        }
        var counts: [String: Int] = [:]
        for blocks in pages {
            for blockKey in Set(blocks.filter(atEdge).map(key)) { counts[blockKey, default: 0] += 1 }
        }
        let needed = max(2, (pages.count + 1) / 2)
        return pages.map { blocks in
            blocks.filter { block in
                guard atEdge(block) else { return true }
                let blockKey = key(block)
                let isPageNumber = blockKey.allSatisfy { "# -/".contains($0) } || blockKey.hasPrefix("page #")
                return !(isPageNumber || (pages.count >= 2 && (counts[blockKey] ?? 0) >= needed))
            }
        }
    }

    /// Word processors write each list bullet as a text object of its own, left of its item, and poppler's
    /// layout analysis then reads the bullets as a column apart: a block of nothing but bullets, followed by
    /// the items run together as one paragraph. Each such bullet is matched by its line's height on the page
    /// to the line of text it stands beside; that line starts a list item, and the bullet block goes.
    func attachBulletColumns(_ blocks: [LayoutBlock]) -> [LayoutBlock] {
        var blocks = blocks
        let columns = Set(blocks.indices.filter { blocks[$0].lines.allSatisfy(isBareBullets) })
        var bulletBlocks: [Int] = []
        for index in columns.sorted() {
            let block = blocks[index]
            let tolerance = max(1, block.fontSize / 2)
            var attached = false
            for candidate in blocks.indices where !columns.contains(candidate) {
                let starts = blocks[candidate].lineTops.indices.filter { line in
                    block.lineTops.contains { abs($0 - blocks[candidate].lineTops[line]) <= tolerance }
                }
                guard !starts.isEmpty else { continue }
                blocks[candidate].itemStarts.formUnion(starts)
                attached = true
            }
            if attached { bulletBlocks.append(index) }
        }
        for index in bulletBlocks.reversed() { blocks.remove(at: index) }
        return blocks
    }

    private func isBareBullets(_ line: String) -> Bool {
        let glyphs = line.split(separator: " ")
        return !glyphs.isEmpty && glyphs.allSatisfy { Self.columnBullets.contains(String($0)) }
    }

    /// The glyphs that make a bullet column. Dashes are not among them: a lone dash is as often an empty
    /// table cell as a bullet.
    private static let columnBullets = ["•", "▪", "◦", "●", "■", "\u{F0B7}"]
    /// The glyphs that start a list item at the head of a line.
    private static let bullets = columnBullets + ["–", "-"]

    /// Turns layout blocks into document blocks: larger type becomes headings (the largest size level 1),
    /// bullets start list items, and words hyphenated at a line end are joined again.
    func makeBlocks(_ pages: [[LayoutBlock]]) -> [Block] {
        let all = pages.flatMap { $0 }
        // The body size is the one most characters are set in.
        var charactersBySize: [Double: Int] = [:]
        for block in all { charactersBySize[rounded(block.fontSize), default: 0] += block.lines.reduce(0) { $0 + $1.count } }
        let bodySize = charactersBySize.max { $0.value < $1.value }?.key ?? 0
        let headingSizes = Set(
            all.filter { isHeading($0, bodySize: bodySize) }.map { rounded($0.fontSize) }
        ).sorted(by: >)
        var blocks: [Block] = []
        for block in all {
            if isHeading(block, bodySize: bodySize) {
                let level = (headingSizes.firstIndex(of: rounded(block.fontSize)) ?? 0) + 1
                blocks.append(Block(join(block.lines), role: .heading, level: min(level, 6), page: block.page))
                continue
            }
            var current: [String] = []
            var role: BlockRole = .paragraph
            for (index, line) in block.lines.enumerated() {
                if let item = bulletItem(line) ?? (block.itemStarts.contains(index) ? line : nil) {
                    if !current.isEmpty { blocks.append(Block(join(current), role: role, page: block.page)) }
                    current = [item]
                    role = .listItem
                } else {
                    current.append(line)
                }
            }
            if !current.isEmpty { blocks.append(Block(join(current), role: role, page: block.page)) }
        }
        return blocks
    }

    private func rounded(_ size: Double) -> Double { (size * 2).rounded() / 2 }

    private func isHeading(_ block: LayoutBlock, bodySize: Double) -> Bool {
        guard bodySize > 0, block.fontSize >= bodySize * 1.15 else { return false }
        let text = join(block.lines)
        return text.wordCount <= 20 && block.lines.count <= 3
    }

    private func join(_ lines: [String]) -> String {
        var text = ""
        for line in lines.map({ expandLigatures($0.trimmingCharacters(in: .whitespaces)) }) {
            if text.hasSuffix("-"), let first = line.first, first.isLowercase {
                text.removeLast()  // a word hyphenated at the line end
                text += line
            } else {
                text += text.isEmpty ? line : " " + line
            }
        }
        return text
    }

    /// PDFs often set `fi`, `fl`, `ff` as one ligature glyph, which poppler passes through as U+FB00–FB06;
    /// spelled out, "ﬁnancial" matches the vocabulary's "financial" again.
    func expandLigatures(_ line: String) -> String {
        guard line.unicodeScalars.contains(where: { $0.value >= 0xFB00 && $0.value <= 0xFB06 }) else { return line }
        var result = ""
        for scalar in line.unicodeScalars {
            switch scalar.value {
            case 0xFB00: result += "ff"
            case 0xFB01: result += "fi"
            case 0xFB02: result += "fl"
            case 0xFB03: result += "ffi"
            case 0xFB04: result += "ffl"
            case 0xFB05, 0xFB06: result += "st"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private func bulletItem(_ line: String) -> String? {
        for bullet in Self.bullets where line.hasPrefix(bullet + " ") {
            return String(line.dropFirst(bullet.count + 1))
        }
        return nil
    }
}
