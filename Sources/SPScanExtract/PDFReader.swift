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

    /// What a PDF gave: its blocks and, when its pages were images read by OCR, a sentence saying so.
    struct Text {
        var blocks: [Block]
        var ocrSummary: String?
    }

    func read(_ data: Data) throws(ExtractError) -> Text {
        guard let pdftotext = executable(named: "pdftotext") else { throw .pdfToolMissing }
        let folder = try TemporaryFolder(prefix: "spscan-pdf")
        defer { folder.remove() }
        let input = folder.url.appendingPathComponent("input.pdf")
        do {
            try data.write(to: input)
        } catch {
            throw .pdfToolFailed(status: -1, detail: "cannot write a temporary file: \(error.localizedDescription)")
        }
        let pages = try readLayout(pdftotext, input: input, folder: folder.url).map(attachBulletColumns)
        let blocks = makeBlocks(removeRunningBlocks(pages))
        if !blocks.isEmpty { return Text(blocks: blocks) }
        // Pages repeated whole (the same form printed twice) look like running headers: keep them once.
        let repeated = makeBlocks(pages)
        if !repeated.isEmpty { return Text(blocks: repeated) }
        let diagnosis = diagnoseNoText(input: input, pages: pages.count)
        guard case .imageOnlyPDF = diagnosis, OCRReader.isAvailable else { throw diagnosis }
        let read = OCRReader(limits: limits).read(pdf: input, pages: pages.count, folder: folder.url)
        guard !read.pages.isEmpty else { throw diagnosis }
        var ocrBlocks: [Block] = []
        for page in read.pages {
            for paragraph in page.paragraphs {
                ocrBlocks.append(Block(paragraph, page: page.number, ocrConfidence: (page.confidence * 10).rounded() / 10))
            }
        }
        let low = read.pages.filter { $0.confidence < limits.ocrLowConfidence }.map { String($0.number) }
        let mean = read.pages.map(\.confidence).reduce(0, +) / Double(read.pages.count)
        var summary =
            "\(read.pages.count) of \(pages.count) page\(pages.count == 1 ? "" : "s") read by OCR (Tesseract), mean confidence \(Int(mean.rounded()))%"
        if !low.isEmpty { summary += "; low confidence on page\(low.count == 1 ? "" : "s") \(low.joined(separator: ", ")), check the text" }
        if read.stopped { summary += "; the OCR page or time limit stopped it before the end" }
        return Text(blocks: ocrBlocks, ocrSummary: summary)
    }

    /// Why a PDF whose pages hold no text has none, from what poppler reports of its images and fonts.
    private func diagnoseNoText(input: URL, pages: Int) -> ExtractError {
        let images = run("pdfimages", ["-list", input.path]).map { listed in
            // `pdfimages -list`: two header lines, then one row per image starting with its page number.
            Set(listed.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: " ").first.flatMap { Int($0) } })
        }
        let fonts = run("pdffonts", [input.path]).map { max(0, $0.split(separator: "\n").count - 2) }
        if let images, !images.isEmpty { return .imageOnlyPDF(pages: images.count) }
        let plural = pages == 1 ? "" : "s"
        if let fonts, fonts > 0 { return .emptyDocument(reason: "its \(pages) page\(plural) use fonts but hold no readable characters") }
        return .emptyDocument(reason: "its \(pages) page\(plural) \(pages == 1 ? "is" : "are") blank: no text and no images")
    }

    /// Runs a small poppler tool under the PDF time limit and returns its standard output, or nil.
    private func run(_ name: String, _ arguments: [String]) -> String? {
        guard let tool = executable(named: name) else { return nil }
        return ChildProcess.run(tool, arguments, timeout: limits.pdfTimeout)
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

    // MARK: - Running the tool

    /// Runs `pdftotext -bbox-layout` with its output piped into a streaming XML read, page by page.
    ///
    /// Through `setpriv --pdeathsig KILL` the tool dies with us if we are killed, and through `prlimit` its
    /// memory and CPU time are bounded; a timer stops it after `pdfTimeout`.
    private func readLayout(_ tool: URL, input: URL, folder: URL) throws(ExtractError) -> [[LayoutBlock]] {
        let errors = folder.appendingPathComponent("errors.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let timeoutSeconds = max(1, Int(limits.pdfTimeout.components.seconds))  // whole seconds, as prlimit takes
        var command = [tool.path, "-bbox-layout", "-enc", "UTF-8", "-eol", "unix", input.path, "-"]
        if let prlimit = executable(named: "prlimit") {
            // --cpu stops a busy loop even if our timer were late; --as bounds memory.
            command = [prlimit.path, "--as=\(limits.pdfMemoryBytes)", "--cpu=\(timeoutSeconds + 1)", "--"] + command
        }
        if let setpriv = executable(named: "setpriv") { command = [setpriv.path, "--pdeathsig", "KILL", "--"] + command }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = try? FileHandle(forWritingTo: errors)
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw .pdfToolFailed(status: -1, detail: "cannot start \(tool.path): \(error.localizedDescription)")
        }
        let timedOut = TimeoutFlag()
        let timer = DispatchWorkItem {
            timedOut.set()
            process.terminate()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeoutSeconds), execute: timer)
        var pages: [[LayoutBlock]] = []
        var readError: ExtractError?
        do {
            pages = try readPages(from: output.fileHandleForReading.fileDescriptor)
        } catch {
            readError = error
            process.terminate()
        }
        try? output.fileHandleForReading.close()
        if finished.wait(timeout: .now() + .seconds(timeoutSeconds + 2)) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        timer.cancel()
        if timedOut.isSet { throw .pdfTimedOut(seconds: timeoutSeconds) }
        if let readError, case .layoutTooLarge = readError { throw readError }
        let complaints = Self.tail(of: errors)
        if process.terminationReason == .uncaughtSignal {
            throw .pdfToolFailed(status: process.terminationStatus, detail: "stopped by signal \(process.terminationStatus)")
        }
        switch process.terminationStatus {
        case 0:
            if let readError { throw readError }
            guard !pages.isEmpty else { throw .corruptPDF(detail: firstComplaint(complaints) ?? "no pages") }
            return pages
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

    /// The last 64 KB of the tool's complaints: a damaged PDF can make poppler write megabytes of them.
    private static func tail(of file: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// Reads `<page>`, `<block>`, `<line>` and `<word>` elements as they stream, keeping only the words and
    /// the geometry the heuristics need.
    private func readPages(from fileDescriptor: Int32) throws(ExtractError) -> [[LayoutBlock]] {
        let stream = try XMLStream(fileDescriptor: fileDescriptor, limit: limits.maxLayoutBytes, part: "pdftotext -bbox-layout output")
        var pages: [[LayoutBlock]] = []
        var page: [LayoutBlock] = []
        var pageHeight = 792.0
        var block: LayoutBlock?
        var heights: [Double] = []
        var lineWords: [String] = []
        var lineTop = 0.0
        var word: String?
        while let event = try stream.next() {
            switch event {
            case .start("page"):
                page = []
                pageHeight = Double(stream.attribute("height") ?? "") ?? 792
            case .start("block"):
                heights = []
                block = LayoutBlock(
                    lines: [], fontSize: 0, top: Double(stream.attribute("yMin") ?? "") ?? 0,
                    bottom: Double(stream.attribute("yMax") ?? "") ?? 0, page: pages.count + 1, pageHeight: pageHeight)
            case .start("line"):
                lineWords = []
                lineTop = Double(stream.attribute("yMin") ?? "") ?? 0
            case .start("word"):
                word = ""
                if let top = Double(stream.attribute("yMin") ?? ""), let bottom = Double(stream.attribute("yMax") ?? "") {
                    heights.append(bottom - top)
                }
            case .text(let text):
                if word != nil { word? += text }
            case .end("word"):
                if let word { lineWords.append(word) }
                word = nil
            case .end("line"):
                let text = lineWords.joined(separator: " ")
                if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    block?.lines.append(text)
                    block?.lineTops.append(lineTop)
                }
            case .end("block"):
                if var finished = block, !finished.lines.isEmpty {
                    heights.sort()
                    finished.fontSize = heights.isEmpty ? 0 : heights[heights.count / 2]
                    page.append(finished)
                }
                block = nil
            case .end("page"):
                pages.append(page)
            default:
                break
            }
        }
        return pages
    }

    private func firstComplaint(_ errors: String) -> String? {
        errors.split(separator: "\n").last.map { String($0.prefix(200)) }
    }

    private func executable(named name: String) -> URL? { ChildProcess.executable(named: name) }

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
