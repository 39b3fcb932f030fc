import Foundation
import SPScanExtract
import SPScanModel
import Testing

@Suite("Scanned PDFs read by OCR")
struct OCRTests {
    /// Lower-cased words, as the WCXB scorer counts them.
    private func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    @Test(
        "an image-only 300 dpi page is read by Tesseract, its passages marked with the engine's confidence",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tesseract"), "needs tesseract-ocr (scripts/install-deps)"))
    func scannedPage() throws {
        let document = try Fixture.extract("scanned-page.pdf")
        #expect(document.outcome == .ocr)
        #expect(document.outcomeReason?.hasPrefix("1 of 1 page read by OCR (Tesseract), mean confidence") == true)
        #expect(!document.passages.isEmpty)
        #expect(document.passages.allSatisfy { ($0.ocrConfidence ?? 0) > 0 && $0.page == 1 })
        let known = words(try String(contentsOf: Fixture.folder.appendingPathComponent("scanned-page.txt"), encoding: .utf8))
        var found = Dictionary(words(document.text).map { ($0, 1) }, uniquingKeysWith: +)
        var recovered = 0
        for word in known where (found[word] ?? 0) > 0 {
            found[word, default: 0] -= 1
            recovered += 1
        }
        #expect(Double(recovered) / Double(known.count) >= 0.95, "recovered \(recovered) of \(known.count) words")
        let summary = try ExtractionSummary(input: "scanned-page.pdf", document: document).jsonLine()
        #expect(summary.contains("\"outcome\":\"ocr\""))
        #expect(summary.contains("\"ocr_confidence\":"))
    }

    @Test("Tesseract's TSV is grouped into paragraphs with the page's mean confidence")
    func tsvParsing() throws {
        let tsv = """
            level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
            1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
            5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tLink
            5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80\tworkers
            5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\tlisten.
            5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t40\tSupervision
            """
        let page = try #require(OCRPageParser.parse(tsv: tsv, page: 3))
        #expect(page.paragraphs == ["Link workers listen.", "Supervision"])
        #expect(page.confidence == 70)
        #expect(page.number == 3)
    }
}
