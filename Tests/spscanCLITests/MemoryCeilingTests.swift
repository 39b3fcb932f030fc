import Foundation
import SPScanTestSupport
import Testing

/// The documented ceiling (docs/extract.md, "Limits"): no input of any size makes a command use more than 1 GB.
/// Each test feeds one of the largest inputs a user can give and reads the peak resident memory of the process
/// and the programs it waited for (`wait4`), so a `pdftotext` child counts too.
@Suite(.serialized) struct MemoryCeilingTests {
    static let ceiling = 1_000_000_000

    @Test("a 62 MB HTML page is extracted under 1 GB")
    func largeHTMLPage() throws {
        let directory = try TemporaryDirectory()
        let page = directory.path("large.html")
        FileManager.default.createFile(atPath: page.path, contents: nil)
        let handle = try FileHandle(forWritingTo: page)
        try handle.write(contentsOf: Data("<!DOCTYPE html><html><head><title>Large</title></head><body><main>".utf8))
        // Paragraphs of about 1 KB, under the element cap, so the whole page is parsed and kept.
        let paragraph = String(
            repeating: "Link workers listen to what matters to the person and connect them to community groups. ", count: 12)
        var written = 0
        var index = 0
        while written < 62_000_000 {
            let chunk = Data("<h2>Section \(index)</h2><p>\(paragraph)</p>\n".utf8)
            try handle.write(contentsOf: chunk)
            written += chunk.count
            index += 1
        }
        try handle.write(contentsOf: Data("</main></body></html>".utf8))
        try handle.close()

        let result = try MeasuredRun.spscan(["extract", page.path, "--format", "json"], stdin: "/dev/null")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.peakBytes < Self.ceiling, "peak \(result.peakBytes / 1_000_000) MB")
        print("62 MB HTML page: peak \(result.peakBytes / 1_000_000) MB")
    }

    @Test("a 2,000-page PDF is extracted under 1 GB: the layout is read as a stream")
    func longPDF() throws {
        let directory = try TemporaryDirectory()
        let pdf = directory.path("long.pdf")
        try Self.writePDF(pages: 2_000, to: pdf)

        let result = try MeasuredRun.spscan(["extract", pdf.path, "--format", "json"], stdin: "/dev/null")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.peakBytes < Self.ceiling, "peak \(result.peakBytes / 1_000_000) MB")
        print("2,000-page PDF: peak \(result.peakBytes / 1_000_000) MB")
    }

    @Test("a framework of 200,000 terms validates, builds and tags under 1 GB")
    func largeVocabulary() throws {
        let directory = try TemporaryDirectory()
        let framework = directory.path("Framework.yaml")
        try Data(Self.generatedFramework(terms: 200_000).utf8).write(to: framework)
        let text = directory.path("passage.txt")
        try Data("Link workers use motivational interviewing with each person they support.\n".utf8).write(to: text)

        let result = try MeasuredRun.spscan(["tag", text.path, "--framework", framework.path, "--format", "json"], stdin: "/dev/null")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.peakBytes < Self.ceiling, "peak \(result.peakBytes / 1_000_000) MB")
        print("200,000-term framework: peak \(result.peakBytes / 1_000_000) MB")
    }

    /// 25 competencies whose terms are made-up words of two to four syllables, one to three words long, each
    /// term distinct: the shape of a vocabulary imported from a large thesaurus.
    static func generatedFramework(terms count: Int) -> String {
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "go", "fu", "ri", "be", "zo", "chu"]
        func word(_ number: Int) -> String {
            var value = number
            var out = ""
            repeat {
                out += syllables[value % syllables.count]
                value /= syllables.count
            } while value > 0
            return out.count < 4 ? out + "na" : out
        }
        var yaml = """
            id: generated
            title: Generated framework
            version: "1"
            domains:
              - id: XX
                name: Generated
                description: A vocabulary as large as a thesaurus.
                competencies:

            """
        let perCompetency = count / 25
        for competency in 0..<25 {
            yaml += "      - id: XX-\(competency + 1)\n        name: Generated \(competency + 1)\n"
            yaml += "        description: Generated.\n        terms:\n          en:\n"
            for index in 0..<perCompetency {
                let number = competency * perCompetency + index
                let words = 1 + number % 3
                let term = (0..<words).map { word(number &* 7 &+ $0 &* 104_729) }.joined(separator: " ")
                yaml += "            - \(term) \(word(number))\n"
            }
        }
        return yaml
    }

    /// A text PDF of `pages` pages, each with a heading and six lines in Helvetica, with a correct cross-reference
    /// table so that poppler reads it without repairing it.
    static func writePDF(pages: Int, to url: URL) throws {
        var body = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        func object(_ text: String) {
            offsets.append(body.count)
            body.append(Data("\(offsets.count) 0 obj\n\(text)\nendobj\n".utf8))
        }
        // 1: catalog, 2: page tree, 3: font; then a page and its content stream per page.
        let kids = (0..<pages).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " ")
        object("<< /Type /Catalog /Pages 2 0 R >>")
        object("<< /Type /Pages /Kids [\(kids)] /Count \(pages) >>")
        object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for page in 0..<pages {
            var stream = "BT /F1 18 Tf 72 740 Td (Module \(page + 1)) Tj ET\n"
            for line in 0..<6 {
                stream +=
                    "BT /F1 11 Tf 72 \(700 - 18 * line) Td (Link workers connect people to community groups, line \(line + 1).) Tj ET\n"
            }
            object(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + 2 * page) 0 R >>"
            )
            object("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)endstream")
        }
        let xref = body.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        body.append(Data(table.utf8))
        try body.write(to: url)
    }
}
