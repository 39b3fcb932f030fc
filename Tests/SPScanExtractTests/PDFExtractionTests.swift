import Foundation
import SPScanExtract
import SPScanModel
import Testing

@Suite("PDF through pdftotext")
struct PDFExtractionTests {
    @Test("two columns read in order, with page numbers, and the running header and footer dropped")
    func twoColumns() throws {
        let document = try Fixture.extract("handbook-two-columns.pdf")
        #expect(document.format == .pdf)
        #expect(document.title == "Link Worker Training Handbook")
        let order = [
            "This handbook describes", "Module 1: Personalised care", "Learners practise what matters",
            "Each module combines online study", "Module 2: Community assets", "Refer people to activities",
            "Module 3: Safeguarding", "Safeguarding training is renewed", "Module 4: Reflective practice",
        ]
        let positions = try order.map { fragment in try #require(document.text.range(of: fragment), "lost: \(fragment)").lowerBound }
        #expect(positions == positions.sorted())
        #expect(!document.text.contains("Northshire College"))
        #expect(!document.text.contains("Confidential draft"))
        #expect(!document.text.contains("Page 1 of 2"))
        #expect(document.passage(containing: "Learners map local community groups")?.page == 1)
        #expect(document.passage(containing: "Learners recognise signs of abuse")?.page == 2)
        document.expectOffsetsMatchText()
    }

    @Test("larger type becomes headings under the title; bullets become list items")
    func headingsAndBullets() throws {
        let document = try Fixture.extract("handbook-two-columns.pdf")
        let safeguarding = try #require(document.passage(containing: "Learners recognise signs of abuse"))
        #expect(safeguarding.heading == "Link Worker Training Handbook > Module 3: Safeguarding")
        let bullet = try #require(document.passage(containing: "Build relationships with community groups."))
        #expect(bullet.role == .listItem)
        #expect(!bullet.text.contains("\u{2022}"))
    }

    @Test("bullets that poppler reads as a column of their own still start one list item each")
    func bulletColumn() throws {
        let document = try Fixture.extract("bullet-column.pdf")
        #expect(!document.text.contains("\u{2022}"))
        let items = document.passages.filter { $0.role == .listItem }
        #expect(items.count == 1)
        #expect(
            items.first?.text == "Hold a person-centred conversation about what matters\n\n"
                + "Map the community groups and services in their area, keeping the directory up to date with partners\n\n"
                + "Follow up each referral and close support well")
        #expect(document.passage(containing: "learners will be able to")?.role == .paragraph)
        #expect(document.passage(containing: "Assessment is by a portfolio")?.role == .paragraph)
        document.expectOffsetsMatchText()
    }

    @Test("an encrypted PDF is refused with a clear error")
    func encrypted() throws {
        #expect(try Fixture.error("encrypted.pdf") == .encryptedPDF)
    }

    @Test("a PDF with images only says it needs OCR")
    func imageOnly() throws {
        #expect(try Fixture.error("image-only.pdf") == .imageOnlyPDF(pages: 1))
    }

    @Test("a corrupt PDF gives a per-document error naming poppler's complaint")
    func corrupt() throws {
        let error = try #require(try Fixture.error("corrupt.pdf"))
        guard case .corruptPDF(let detail) = error else {
            Issue.record("expected corruptPDF, got \(error)")
            return
        }
        #expect(!detail.isEmpty)
        #expect(error.localizedDescription.contains("download it again"))
    }
}
