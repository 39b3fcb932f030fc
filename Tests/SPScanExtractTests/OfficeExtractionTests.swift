import Foundation
import SPScanExtract
import SPScanModel
import Testing

@Suite("DOCX and ODT")
struct OfficeExtractionTests {
    @Test("a DOCX keeps headings, the learning outcomes table by row, and numbered items")
    func docx() throws {
        let document = try Fixture.extract("programme-specification.docx")
        #expect(document.format == .docx)
        #expect(document.title == "Community Link Worker Programme Specification")
        let outcome = try #require(
            document.passage(containing: "LO2 | Hold a person-centred conversation and agree a shared plan. | Observed practice"))
        #expect(outcome.role == .tableCell)
        #expect(outcome.heading == "Community Link Worker Programme Specification > Learning outcomes")
        let item = try #require(document.passage(containing: "Workshops with role play"))
        #expect(item.role == .listItem)
        #expect(item.heading.hasSuffix("> Teaching methods"))
        // Runs join without a gap, and field codes (the page number) are not text.
        #expect(document.text.contains("The programme prepares link workers to support people"))
        #expect(!document.text.contains("PAGE"))
        document.expectOffsetsMatchText()
    }

    @Test("an ODT keeps its headings, lists and table, in French")
    func odt() throws {
        let document = try Fixture.extract("referentiel.odt")
        #expect(document.format == .odt)
        #expect(document.language == .french)
        #expect(document.passage(containing: "Orienter vers les ressources communautaires.")?.role == .listItem)
        #expect(document.passage(containing: "C1 | Travailler en partenariat")?.heading == "Référentiel de compétences")
    }

    @Test("a zip bomb is refused from its declared sizes")
    func zipBomb() throws {
        let error = try #require(try Fixture.error("zip-bomb.docx"))
        guard case .zipBomb(let entry, let inflated, _) = error else {
            Issue.record("expected zipBomb, got \(error)")
            return
        }
        #expect(entry == "word/document.xml")
        #expect(inflated > 50_000_000)
    }

    @Test("a zip bomb whose headers lie is stopped while inflating")
    func lyingZipBomb() throws {
        let error = try #require(try Fixture.error("zip-bomb-lying-sizes.docx"))
        guard case .zipBomb(let entry, let inflated, _) = error else {
            Issue.record("expected zipBomb, got \(error)")
            return
        }
        #expect(entry == "word/document.xml")
        #expect(inflated > 8_000_000 && inflated < 50_000_000)
    }

    @Test("a container with more entries than allowed is refused before reading")
    func tooManyEntries() throws {
        let limits = ExtractionLimits(maxArchiveEntries: 2)
        #expect(try Fixture.error("programme-specification.docx", limits: limits) == .tooManyArchiveEntries(count: 3, limit: 2))
    }

    @Test("a ZIP that is not an office document says which part is missing")
    func plainZip() throws {
        // A stored (uncompressed) ZIP holding one text file, written byte by byte.
        var zip = Data()
        let name = Data("notes.txt".utf8)
        let body = Data("hello".utf8)
        let crc: UInt32 = 0x3610_A686
        func le16(_ value: Int) -> Data { withUnsafeBytes(of: UInt16(value).littleEndian) { Data($0) } }
        func le32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
        zip += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc)
        zip += le32(UInt32(body.count)) + le32(UInt32(body.count)) + le16(name.count) + le16(0) + name + body
        let central = zip.count
        zip += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc)
        zip += le32(UInt32(body.count)) + le32(UInt32(body.count)) + le16(name.count) + le16(0) + le16(0) + le16(0)
        zip += le16(0) + le32(0) + le32(0) + name
        let centralSize = zip.count - central
        zip += le32(0x0605_4B50) + le16(0) + le16(0) + le16(1) + le16(1) + le32(UInt32(centralSize)) + le32(UInt32(central)) + le16(0)
        #expect(throws: ExtractError.missingArchivePart("word/document.xml")) {
            try Extractor().extractTyped(zip, filename: "notes.docx")
        }
    }
}
