import Foundation
import SPScanExtract
import SPScanModel
import Testing

@Suite("DOCX as a reader sees it")
struct OfficeReaderTests {
    @Test("drawing positions never reach the text, and a text box is read once")
    func drawingsAndTextBoxes() throws {
        let document = try Fixture.extract("drawing-footnote.docx")
        for leaked in ["3012440", "center", "40000", "20000", "Datum plane", "Shape 1"] {
            #expect(!document.text.contains(leaked), "leaked drawing value: \(leaked)")
        }
        let box = "Text box: referrals are answered within five working days."
        #expect(document.text.components(separatedBy: box).count == 2, "the text box should be read exactly once")
        #expect(document.text.contains("Link workers accept referrals from practices and from people themselves."))
        #expect(document.text.contains("Each referral is followed up by telephone."))
        document.expectOffsetsMatchText()
    }

    @Test("headers, footers, footnotes and endnotes are passages of their own, marked; comments are left out")
    func headersFootersNotes() throws {
        let document = try Fixture.extract("drawing-footnote.docx")
        let header = try #require(document.passage(containing: "Northshire Link Service - Referral guide"))
        #expect(header.role == .header)
        #expect(header.heading == "")
        #expect(document.text.components(separatedBy: "Referral guide").count == 2, "two alike headers read once")
        #expect(document.passage(containing: "Version 3, reviewed yearly")?.role == .footer)
        let footnote = try #require(document.passage(containing: "Self-referral opened in 2025."))
        #expect(footnote.role == .footnote)
        #expect(!footnote.text.contains("Link workers"))
        #expect(document.passage(containing: "See the service directory")?.role == .endnote)
        #expect(!document.text.contains("Reviewer remark"))
        #expect(document.passage(containing: "Link workers accept")?.heading == "Referral pathways")
    }

    @Test("an ODT's headers, footers, footnotes and endnotes are passages of their own, marked, read once")
    func odtHeadersFootersNotes() throws {
        let document = try Fixture.extract("notes-header.odt")
        #expect(document.format == .odt)
        let body = try #require(document.passage(containing: "People can refer themselves"))
        #expect(body.role == .paragraph)
        #expect(body.text == "People can refer themselves or be referred by their practice.", "notes left out of the body")
        #expect(body.heading == "Referral guide")
        let header = try #require(document.passage(containing: "Northshire Link Service - Referral guide"))
        #expect(header.role == .header)
        #expect(header.heading == "")
        #expect(document.text.components(separatedBy: "Northshire Link Service").count == 2, "two alike headers read once")
        #expect(document.passage(containing: "Version 3, reviewed every year")?.role == .footer)
        let footnote = try #require(document.passage(containing: "Self-referral opened in 2025."))
        #expect(footnote.role == .footnote)
        #expect(footnote.text == "Self-referral opened in 2025.", "the citation mark is not text")
        #expect(document.passage(containing: "See the service directory")?.role == .endnote)
        document.expectOffsetsMatchText()
    }
}
