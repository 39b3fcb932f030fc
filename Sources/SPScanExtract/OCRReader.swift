import Foundation
import SPScanModel

/// Reads the pages of a scanned PDF through OCR: poppler's `pdftoppm` renders each page at 300 dpi and
/// Tesseract (Debian's `tesseract-ocr`, English and French data) reads it, under a page and a time limit.
///
/// Tesseract's TSV output gives each word with its confidence; words are grouped back into Tesseract's
/// paragraphs, and each page carries the mean confidence of its words, so that a reader of the evidence
/// knows the text was recognised, not read, and how sure the engine was.
struct OCRReader {
    var limits: ExtractionLimits

    /// A page read by OCR.
    struct Page {
        var number: Int
        var paragraphs: [String]
        /// Mean word confidence, 0–100.
        var confidence: Double
    }

    /// Whether both tools are installed.
    static var isAvailable: Bool { ChildProcess.executable(named: "tesseract") != nil && ChildProcess.executable(named: "pdftoppm") != nil }

    /// Reads up to `limits.ocrPageLimit` pages of `pdf`, stopping when `limits.ocrTimeout` is spent.
    /// Returns the pages read and whether the limits stopped the reading early.
    func read(pdf: URL, pages: Int, folder: URL) -> (pages: [Page], stopped: Bool) {
        guard let pdftoppm = ChildProcess.executable(named: "pdftoppm"), let tesseract = ChildProcess.executable(named: "tesseract")
        else { return ([], false) }
        let deadline = ContinuousClock.now + limits.ocrTimeout
        var read: [Page] = []
        let wanted = min(pages, limits.ocrPageLimit)
        for number in 1...max(1, wanted) {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return (read, true) }
            let image = folder.appendingPathComponent("page-\(number)")
            let rendered = ChildProcess.run(
                pdftoppm, ["-r", "300", "-gray", "-png", "-singlefile", "-f", "\(number)", "-l", "\(number)", pdf.path, image.path],
                timeout: remaining)
            guard rendered != nil else { continue }
            let png = image.appendingPathExtension("png")
            defer { try? FileManager.default.removeItem(at: png) }
            // One thread per page: a scan already runs one document per core.
            guard
                let tsv = ChildProcess.run(
                    tesseract, [png.path, "stdout", "-l", limits.ocrLanguages, "--psm", "3", "tsv"],
                    timeout: deadline - ContinuousClock.now, environment: ["OMP_THREAD_LIMIT": "1"])
            else { continue }
            if let page = Self.parse(tsv: tsv, page: number) { read.append(page) }
        }
        return (read, pages > wanted)
    }

    static func parse(tsv: String, page: Int) -> Page? {
        OCRPageParser.parse(tsv: tsv, page: page).map { Page(number: $0.number, paragraphs: $0.paragraphs, confidence: $0.confidence) }
    }
}

/// Tesseract's TSV output read back into paragraphs; public for tests.
public enum OCRPageParser {
    public struct Page: Sendable {
        public var number: Int
        public var paragraphs: [String]
        /// Mean word confidence, 0–100.
        public var confidence: Double
    }

    /// Groups Tesseract's TSV words (level 5) by block and paragraph, in reading order.
    public static func parse(tsv: String, page: Int) -> Page? {
        var paragraphs: [String] = []
        var current: [String] = []
        var currentKey = ""
        var confidences: [Double] = []
        for line in tsv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 12, fields[0] == "5", let confidence = Double(fields[10]), confidence >= 0 else { continue }
            let word = fields[11].trimmingCharacters(in: .whitespaces)
            guard !word.isEmpty else { continue }
            let key = "\(fields[2])-\(fields[3])"
            if key != currentKey, !current.isEmpty {
                paragraphs.append(current.joined(separator: " "))
                current = []
            }
            currentKey = key
            current.append(word)
            confidences.append(confidence)
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        guard !paragraphs.isEmpty else { return nil }
        return Page(number: page, paragraphs: paragraphs, confidence: confidences.reduce(0, +) / Double(confidences.count))
    }
}

/// Runs a helper program (poppler's small tools, Tesseract) as a child that dies with us
/// (`setpriv --pdeathsig KILL`), with a time limit, and returns its standard output when it succeeds.
enum ChildProcess {
    static func run(
        _ tool: URL, _ arguments: [String], timeout: Swift.Duration, outputLimit: Int = 16_000_000, environment: [String: String] = [:]
    ) -> String? {
        var command = [tool.path] + arguments
        if let setpriv = executable(named: "setpriv") { command = [setpriv.path, "--pdeathsig", "KILL", "--"] + command }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let seconds = max(1, Int(timeout.components.seconds))
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds), execute: timer)
        var data = Data()
        let handle = output.fileHandleForReading
        while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
            if data.count < outputLimit { data.append(chunk.prefix(outputLimit - data.count)) }
        }
        process.waitUntilExit()
        timer.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
