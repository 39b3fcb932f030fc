// bench-extract: throughput of `Extractor` on HTML, PDF and DOCX, beside the ceiling measured in the same
// run (libxml2's HTML parse alone; `pdftotext` alone), on one core and on two (the batch split over two
// workers). Inputs are generated here, so the figures are reproducible without network or fixtures:
// HTML pages of ~100 KB inside a heavy site template, 12-page two-column PDFs, DOCX files with tables.
// Run with `make bench-extract` (release build). Figures are printed, never asserted.
import CLibXML2
import Foundation
import SPScanExtract
import ZIPFoundation

// MARK: - Generated inputs

/// A deterministic word stream, so every run reads the same text.
struct Words {
    private var state: UInt64
    private let vocabulary = """
        link worker person community group support plan referral wellbeing listening conversation goals health \
        social prescribing primary care network safeguarding supervision reflective practice outcomes module \
        assessment placement learner course training skills services voluntary sector loneliness isolation \
        motivational interviewing boundaries partnership directory assets evaluation record measure follow \
        the and of to in with for on at by from their that this which will be is are can each
        """.split(separator: " ").map(String.init)

    init(seed: UInt64) { state = seed &* 6_364_136_223_846_793_005 &+ 1 }

    mutating func next() -> String {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return vocabulary[Int((state >> 33) % UInt64(vocabulary.count))]
    }

    mutating func sentence(_ count: Int) -> String {
        var words = (0..<count).map { _ in next() }
        words[0] = words[0].prefix(1).uppercased() + words[0].dropFirst()
        return words.joined(separator: " ") + "."
    }
}

func htmlPage(seed: UInt64, targetBytes: Int = 100_000) -> Data {
    var words = Words(seed: seed)
    var menu = "<div class=\"main-menu\"><ul>"
    for index in 0..<60 { menu += "<li><a href=\"/section/\(index)\">\(words.next()) \(words.next())</a></li>" }
    menu += "</ul></div>"
    var footer = "<div class=\"site-footer\">"
    for index in 0..<80 { footer += "<a href=\"/footer/\(index)\">\(words.next())</a> " }
    footer += "<p>Copyright 2026. All rights reserved.</p></div>"
    var page = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Course \(seed)</title>
        <style>body { margin: 0 } .menu { display: flex }</style><script>var analytics = {};</script></head><body>
        <div class="cookie-banner"><p>We use cookies to improve this site.</p><button>Accept</button></div>
        <div class="site-header">\(menu)</div><div class="breadcrumb"><a href="/">Home</a> &gt; Course</div>
        <div class="wrapper"><div class="col-main"><h1>Course \(seed)</h1>
        """
    var section = 0
    while page.utf8.count + footer.utf8.count < targetBytes - 2_000 {
        section += 1
        page += "<div class=\"block\"><h2>Module \(section)</h2>"
        for _ in 0..<3 { page += "<p>\(words.sentence(25)) \(words.sentence(18)) <a href=\"/x\">\(words.next())</a></p>" }
        page += "<ul>" + (0..<4).map { _ in "<li>\(words.sentence(12))</li>" }.joined() + "</ul>"
        page += "<table>" + (0..<3).map { index in "<tr><td>LO\(index)</td><td>\(words.sentence(14))</td></tr>" }.joined()
        page += "</table></div>"
    }
    page += "</div><div class=\"sidebar\"><ul>"
    page += (0..<12).map { _ in "<li><a href=\"/related\">\(words.next()) \(words.next())</a></li>" }.joined()
    page += "</ul></div></div>\(footer)<script>analytics.track();</script></body></html>"
    return Data(page.utf8)
}

/// A two-column PDF with a running header and footer, written object by object like the test fixtures.
func pdfDocument(seed: UInt64, pages: Int = 12) -> Data {
    var words = Words(seed: seed)
    var objects: [Data] = [
        Data("<< /Type /Catalog /Pages 2 0 R >>".utf8), Data(),
        Data("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8),
    ]
    var kids: [Int] = []
    for page in 1...pages {
        var content = "BT /F1 9 Tf 72 750 Td (Northshire College - Handbook) Tj ET\n"
        for column in [72, 320] {
            var y = 700
            while y > 80 {
                if y % 130 == 0 {
                    content += "BT /F1 13 Tf \(column) \(y) Td (Module \(page).\(y)) Tj ET\n"
                    y -= 20
                }
                var line = ""
                while line.count < 38 { line += words.next() + " " }
                content += "BT /F1 10 Tf \(column) \(y) Td (\(line)) Tj ET\n"
                y -= 13
            }
        }
        content += "BT /F1 9 Tf 500 40 Td (Page \(page) of \(pages)) Tj ET\n"
        objects.append(Data("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream".utf8))
        objects.append(
            Data(
                ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                    + "/Contents \(objects.count) 0 R >>").utf8))
        kids.append(objects.count)
    }
    objects[1] = Data("<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages) >>".utf8)
    var out = Data("%PDF-1.4\n".utf8)
    var offsets: [Int] = []
    for (index, body) in objects.enumerated() {
        offsets.append(out.count)
        out += Data("\(index + 1) 0 obj\n".utf8) + body + Data("\nendobj\n".utf8)
    }
    let xref = out.count
    out += Data("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
    for offset in offsets { out += Data(String(format: "%010d 00000 n \n", offset).utf8) }
    out += Data("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
    return out
}

func docxDocument(seed: UInt64, paragraphs: Int = 300) throws -> Data {
    var words = Words(seed: seed)
    var body = ""
    for index in 0..<paragraphs {
        if index % 20 == 0 {
            body += "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Module \(index / 20)</w:t></w:r></w:p>"
        }
        body += "<w:p><w:r><w:t xml:space=\"preserve\">\(words.sentence(20)) </w:t></w:r><w:r><w:t>\(words.sentence(15))</w:t></w:r></w:p>"
        if index % 30 == 29 {
            body +=
                "<w:tbl>"
                + (0..<5).map { row in
                    "<w:tr><w:tc><w:p><w:r><w:t>LO\(row)</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>\(words.sentence(14))</w:t></w:r></w:p></w:tc></w:tr>"
                }.joined() + "</w:tbl>"
        }
    }
    let xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
        """
    let archive = try Archive(data: Data(), accessMode: .create)
    let bytes = Data(xml.utf8)
    try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) {
        position, size in bytes.subdata(in: Int(position)..<Int(position) + size)
    }
    guard let data = archive.data else { throw BenchError.cannotBuildDocx }
    return data
}

enum BenchError: Error { case cannotBuildDocx, pdftotextMissing }

// MARK: - Measuring

/// Runs `work` over `items` on `workers` threads (the batch split in contiguous shares) and returns seconds.
func measure<Item: Sendable>(_ items: [Item], workers: Int, _ work: @escaping @Sendable (Item) -> Void) -> Double {
    let clock = ContinuousClock()
    let started = clock.now
    let share = (items.count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        let lower = min(items.count, worker * share)
        let upper = min(items.count, lower + share)
        for item in items[lower..<upper] { work(item) }
    }
    let elapsed = clock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func report(_ label: String, units: Int, unitName: String, bytes: Int, seconds: Double) {
    let perSecond = Double(units) / seconds
    let megabytes = Double(bytes) / 1_000_000 / seconds
    print(
        label.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(format: "%9.1f %@/s %9.2f MB/s", perSecond, unitName, megabytes))
}

func libxml2ParseOnly(_ data: Data) {
    let options = Int32(
        HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_RECOVER.rawValue)
    data.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
            let document = htmlReadMemory(base, Int32(buffer.count), nil, "UTF-8", options)
        else { return }
        xmlFreeDoc(document)
    }
}

/// `pdftotext` alone: plain text (the usual ceiling), or with word boxes (`-bbox-layout`, what spscan runs,
/// to find headings by type size and page edges).
func pdftotextOnly(_ file: URL, boxes: Bool) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
    process.arguments = (boxes ? ["-bbox-layout"] : []) + ["-enc", "UTF-8", file.path, "/dev/null"]
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
        process.waitUntilExit()
    } catch {
        print("pdftotext failed: \(error)")
    }
}

let extractor = Extractor()
/// `BENCH_EXTRACT_ONLY=html` (or pdf, docx) runs one part, for profiling.
let only = ProcessInfo.processInfo.environment["BENCH_EXTRACT_ONLY"]
let cores = ProcessInfo.processInfo.activeProcessorCount
var loadAverage = [0.0, 0.0, 0.0]
getloadavg(&loadAverage, 3)
print(
    "bench-extract: \(cores) cores, load average \(String(format: "%.1f", loadAverage[0])) at the start "
        + "(other work on the machine lowers every figure, the ceilings too); one timed pass each, after a warm-up")

// HTML
if only == nil || only == "html" {
    let htmlPages = (0..<400).map { htmlPage(seed: UInt64($0)) }
    let htmlBytes = htmlPages.reduce(0) { $0 + $1.count }
    print("HTML: \(htmlPages.count) pages, \(htmlBytes / htmlPages.count / 1000) KB each")
    htmlPages.prefix(20).forEach {
        libxml2ParseOnly($0); _ = try? extractor.extract($0)
    }
    for workers in [1, 2] {
        report(
            "  ceiling: libxml2 parse alone, \(workers) worker\(workers == 1 ? "" : "s")", units: htmlPages.count,
            unitName: "pages", bytes: htmlBytes, seconds: measure(htmlPages, workers: workers, libxml2ParseOnly))
        report(
            "  spscan extract, \(workers) worker\(workers == 1 ? "" : "s")", units: htmlPages.count, unitName: "pages",
            bytes: htmlBytes, seconds: measure(htmlPages, workers: workers) { _ = try? extractor.extract($0) })
    }

}

// PDF
if only == nil || only == "pdf" {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-extract-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let pdfs = (0..<24).map { pdfDocument(seed: UInt64($0)) }
    let pdfFiles = try pdfs.enumerated().map { index, data in
        let file = folder.appendingPathComponent("doc\(index).pdf")
        try data.write(to: file)
        return file
    }
    let pdfPages = pdfs.count * 12
    let pdfBytes = pdfs.reduce(0) { $0 + $1.count }
    print("PDF: \(pdfs.count) documents of 12 pages, \(pdfBytes / pdfs.count / 1000) KB each")
    if let first = pdfs.first {
        do {
            let document = try extractor.extract(first)
            print("  (check: \(document.passages.count) passages from the first document)")
        } catch {
            print("  PDF extraction failed: \(error.localizedDescription)")
        }
    }
    for workers in [1, 2] {
        report(
            "  ceiling: pdftotext alone, \(workers) worker\(workers == 1 ? "" : "s")", units: pdfPages, unitName: "pages",
            bytes: pdfBytes, seconds: measure(pdfFiles, workers: workers) { pdftotextOnly($0, boxes: false) })
        report(
            "  pdftotext -bbox-layout alone, \(workers) worker\(workers == 1 ? "" : "s")", units: pdfPages,
            unitName: "pages", bytes: pdfBytes, seconds: measure(pdfFiles, workers: workers) { pdftotextOnly($0, boxes: true) })
        report(
            "  spscan extract, \(workers) worker\(workers == 1 ? "" : "s")", units: pdfPages, unitName: "pages",
            bytes: pdfBytes, seconds: measure(pdfs, workers: workers) { _ = try? extractor.extract($0) })
    }

}

// DOCX
if only == nil || only == "docx" {
    let docxFiles = try (0..<60).map { try docxDocument(seed: UInt64($0)) }
    let docxBytes = docxFiles.reduce(0) { $0 + $1.count }
    let docxWords = (try? extractor.extract(docxFiles[0]).text.split(separator: " ").count) ?? 0
    print(
        "DOCX: \(docxFiles.count) documents, \(docxBytes / docxFiles.count / 1000) KB each (\(docxWords) words, about \(docxWords / 500) pages)"
    )
    for workers in [1, 2] {
        report(
            "  spscan extract, \(workers) worker\(workers == 1 ? "" : "s")", units: docxFiles.count, unitName: "docs",
            bytes: docxBytes, seconds: measure(docxFiles, workers: workers) { _ = try? extractor.extract($0) })
    }
}
