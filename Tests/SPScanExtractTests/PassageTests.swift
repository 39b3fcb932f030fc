import Foundation
import SPScanModel
import Testing

@testable import SPScanExtract

@Suite("Passages")
struct PassageTests {
    private func words(_ count: Int, from start: Int = 0) -> String {
        (start..<(start + count)).map { "word\($0)" }.joined(separator: " ")
    }

    @Test("short blocks of one section group into one passage; a heading always starts a new one")
    func grouping() {
        let blocks = [
            Block("Outline", role: .heading, level: 1), Block("First paragraph."), Block("Second paragraph."),
            Block("Module 2", role: .heading, level: 2), Block("Third paragraph."),
        ]
        let document = PassageBuilder(maxWords: 120).build(blocks, title: nil, format: .text)
        #expect(document.text == "Outline\n\nFirst paragraph.\n\nSecond paragraph.\n\nModule 2\n\nThird paragraph.")
        #expect(document.passages.map(\.text) == ["Outline", "First paragraph.\n\nSecond paragraph.", "Module 2", "Third paragraph."])
        #expect(document.passages.map(\.heading) == ["Outline", "Outline", "Outline > Module 2", "Outline > Module 2"])
        #expect(document.passages.map(\.role) == [.heading, .paragraph, .heading, .paragraph])
        #expect(document.title == "Outline")
        document.expectOffsetsMatchText()
    }

    @Test("a heading of the same or a higher level replaces the path from its level")
    func headingPath() {
        let blocks = [
            Block("A", role: .heading, level: 1), Block("B", role: .heading, level: 2), Block("C", role: .heading, level: 3),
            Block("D", role: .heading, level: 2), Block("Text under D."),
        ]
        let document = PassageBuilder(maxWords: 120).build(blocks, title: "Given title", format: .html)
        #expect(document.passages.last?.heading == "A > D")
        #expect(document.title == "Given title")
    }

    @Test("passages stay under the word limit, splitting long blocks at sentence ends")
    func wordLimit() {
        let sentence = words(30) + "."
        let long = Array(repeating: sentence, count: 10).joined(separator: " ")
        let blocks = [Block(words(50)), Block(words(50, from: 50)), Block(words(50, from: 100)), Block(long)]
        let document = PassageBuilder(maxWords: 120).build(blocks, title: nil, format: .text)
        #expect(document.passages.allSatisfy { $0.text.wordCount <= 120 })
        #expect(document.passages.count == 2 + 3)
        // Each split piece ends at a sentence end.
        #expect(document.passages.suffix(3).allSatisfy { $0.text.hasSuffix(".") })
        document.expectOffsetsMatchText()
    }

    @Test("offsets count Unicode scalars, so accented and emoji text keeps them exact")
    func scalarOffsets() {
        let blocks = [Block("Écoute active 👂🏽 et café."), Block("Deuxième bloc.", role: .listItem)]
        let document = PassageBuilder(maxWords: 120).build(blocks, title: nil, format: .text)
        #expect(document.passages.map(\.start) == [0, 27])
        document.expectOffsetsMatchText()
    }

    @Test("list items, table rows and paragraphs are never mixed in one passage; pages neither")
    func rolesAndPagesSplit() {
        let blocks = [
            Block("Intro.", page: 1), Block("Item one.", role: .listItem, page: 1), Block("Item two.", role: .listItem, page: 2),
            Block("A | B", role: .tableCell, page: 2),
        ]
        let document = PassageBuilder(maxWords: 120).build(blocks, title: nil, format: .pdf)
        #expect(document.passages.map(\.text) == ["Intro.", "Item one.", "Item two.", "A | B"])
        #expect(document.passages.map(\.page) == [1, 1, 2, 2])
    }
}

@Suite("Language")
struct LanguageDetectorTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: Language
        var testDescription: String { "\(expected.rawValue): \(text.prefix(40))" }
    }

    static let samples: [Sample] = [
        Sample(
            text: "The link worker meets the person at their home and listens to what matters to them, then agrees a "
                + "plan that connects them with groups and services in their community over the following weeks.",
            expected: .english),
        Sample(
            text: "L'agent de liaison rencontre la personne à domicile et écoute ce qui compte pour elle, puis "
                + "convient d'un plan qui la met en lien avec les groupes et les services de sa communauté.",
            expected: .french),
        Sample(
            text: "Our link workers partner with the Centre de santé communautaire de Montréal and the Maison de la "
                + "famille to offer bilingual support groups for older adults who live alone.",
            expected: .english),
        Sample(
            text: "Les participants apprennent le coaching en santé, le case management et le suivi des plans "
                + "personnalisés avec les équipes de soins primaires de leur région.",
            expected: .french),
        Sample(
            text: "El trabajador de enlace se reúne con la persona en su casa y escucha lo que le importa, y luego "
                + "acuerda un plan que la conecta con grupos y servicios de su comunidad.",
            expected: .spanish),
        Sample(
            text: "La prescripción social permite a los profesionales de atención primaria derivar a las personas a "
                + "actividades comunitarias para mejorar su bienestar.",
            expected: .spanish),
        Sample(
            text: "Die Fachkraft trifft die Person zu Hause und hört zu, was ihr wichtig ist, und vereinbart dann einen "
                + "Plan, der sie mit Gruppen und Angeboten in ihrer Gemeinde verbindet.",
            expected: .german),
        Sample(
            text: "Soziale Verschreibung ermöglicht es Hausärzten, Patienten an Angebote in der Nachbarschaft zu "
                + "vermitteln, um ihr Wohlbefinden zu verbessern.",
            expected: .german),
        Sample(
            text: "O agente de ligação encontra a pessoa em casa e ouve o que é importante para ela, depois combina um "
                + "plano que a liga a grupos e serviços da sua comunidade.",
            expected: .portuguese),
        Sample(
            text: "A prescrição social permite que os profissionais de cuidados primários encaminhem as pessoas para "
                + "atividades comunitárias que melhoram o seu bem-estar.",
            expected: .portuguese),
        Sample(
            text: "L'operatore di collegamento incontra la persona a casa e ascolta ciò che conta per lei, poi concorda "
                + "un piano che la mette in contatto con gruppi e servizi della sua comunità.",
            expected: .italian),
        Sample(
            text: "La prescrizione sociale permette ai medici di base di indirizzare le persone verso attività della "
                + "comunità che migliorano il loro benessere.",
            expected: .italian),
        Sample(
            text: "De linkwerker ontmoet de persoon thuis en luistert naar wat voor hem belangrijk is, en maakt dan een "
                + "plan dat hem in contact brengt met groepen en diensten in zijn buurt.",
            expected: .dutch),
        Sample(
            text: "Welzijn op recept stelt huisartsen in staat om mensen door te verwijzen naar activiteiten in de wijk "
                + "die hun welzijn verbeteren.",
            expected: .dutch),
        Sample(text: "Safeguarding adults: how to recognise abuse and neglect and report a concern.", expected: .english),
    ]

    @Test("sentences of 20 to 30 words in each of the seven languages", arguments: samples)
    func detects(sample: Sample) {
        #expect(LanguageDetector.detect(sample.text) == sample.expected)
    }

    /// Two nouns, a number or a name carry no function words; an accent alone is written by four languages.
    static let undetermined = [
        "Compétences visées", "Objectifs d'apprentissage", "Learning outcomes and assessment", "LO1 | 2026", "Hola",
        "Social prescribing", "Atención social", "", "Module 3 – 2026/27",
    ]

    @Test("short or ambiguous text is undetermined (und), never guessed", arguments: undetermined)
    func undeterminedText(text: String) {
        #expect(LanguageDetector.detect(text) == .undetermined)
    }

    @Test("text without evidence falls back to the given language")
    func fallback() {
        #expect(LanguageDetector.detect("LO1 | 2026", otherwise: .french) == .french)
        #expect(LanguageDetector.detect("Compétences visées", otherwise: .french) == .french)
    }

    @Test("a document's language is the sum of its passages; a heading takes the document's")
    func documentLanguage() {
        let blocks = [
            Block("Prescripción social", role: .heading, level: 1),
            Block("La prescripción social permite a los profesionales de atención primaria derivar a las personas."),
            Block("Los trabajadores de enlace acompañan a cada persona y la conectan con los recursos de su barrio."),
        ]
        let document = PassageBuilder(maxWords: 120).build(blocks, title: nil, format: .text)
        #expect(document.language == .spanish)
        #expect(document.passages.first?.role == .heading)
        #expect(document.passages.count >= 2)
        #expect(document.passages.allSatisfy { $0.language == .spanish })
    }

    @Test("a word shared by several languages is split between them, so the words of one language decide")
    func sharedWords() {
        // `de`, `la` and `en` are French and Spanish alike; `los`, `y` and `para` are Spanish only.
        let evidence = LanguageDetector.score("de la en los y para")
        #expect(evidence.score(.spanish) > evidence.score(.french))
        #expect(evidence.score(.french) > 0)
    }
}

@Suite("Format detection")
struct FormatDetectionTests {
    @Test("bytes win over a wrong content type or file name")
    func bytesWin() throws {
        let pdf = try Fixture.data("handbook-two-columns.pdf")
        #expect(try FormatSniffer.detect(pdf, contentType: "text/html", filename: "page.html") == .pdf)
        let html = Data("<!DOCTYPE html><html><body><p>Hi</p></body></html>".utf8)
        #expect(try FormatSniffer.detect(html, contentType: "application/pdf", filename: "guide.pdf") == .html)
        let docx = try Fixture.data("programme-specification.docx")
        #expect(try FormatSniffer.detect(docx, contentType: "application/octet-stream", filename: nil) == .docx)
        #expect(try FormatSniffer.detect(try Fixture.data("referentiel.odt"), contentType: nil, filename: nil) == .odt)
    }

    @Test("Markdown and plain text are told apart by their label")
    func textKinds() throws {
        let text = Data("# Title\n\nBody".utf8)
        #expect(try FormatSniffer.detect(text, contentType: nil, filename: "notes.md") == .markdown)
        #expect(try FormatSniffer.detect(text, contentType: "text/markdown; charset=utf-8", filename: nil) == .markdown)
        #expect(try FormatSniffer.detect(text, contentType: "text/plain", filename: "notes.txt") == .text)
    }

    @Test("formats spscan does not read are named in the error")
    func unsupported() {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0])
        #expect(throws: ExtractError.unsupportedFormat(detected: "PNG image")) {
            try Extractor().extractTyped(png, filename: "logo.png")
        }
        let doc = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        #expect(throws: ExtractError.unsupportedFormat(detected: "legacy Microsoft Office file (.doc, .xls, .ppt)")) {
            try Extractor().extractTyped(doc, filename: "guide.doc")
        }
    }

    @Test("a document above the size limit is refused before it is read")
    func tooLarge() {
        #expect(throws: ExtractError.tooLarge(bytes: 11, limit: 10)) {
            try Extractor(limits: ExtractionLimits(maxInputBytes: 10)).extractTyped(Data("hello world".utf8))
        }
    }
}

@Suite("Plain text and Markdown")
struct TextExtractionTests {
    @Test("Markdown headings, lists, tables and links keep their structure")
    func markdown() throws {
        let markdown = """
            # Competency framework

            Link workers **support** people to take [control of their health](https://example.org/control).

            ## Skills

            - Active listening
            - Motivational interviewing
              with follow-up

            | Code | Skill |
            |------|-------|
            | S1 | Listening |
            """
        let document = try Extractor().extract(Data(markdown.utf8), filename: "framework.md")
        #expect(document.format == .markdown)
        #expect(document.text.contains("Link workers support people to take control of their health."))
        #expect(document.passages.first { $0.text.hasPrefix("Active listening") }?.role == .listItem)
        #expect(document.text.contains("Motivational interviewing with follow-up"))
        #expect(document.passage(containing: "S1 | Listening")?.heading == "Competency framework > Skills")
        #expect(document.links == [try #require(URL(string: "https://example.org/control"))])
        document.expectOffsetsMatchText()
    }

    @Test("plain text in windows-1252 is decoded when it is not UTF-8")
    func windows1252Text() throws {
        let bytes = Data("Caf".utf8) + Data([0xE9, 0x20, 0x96, 0x20]) + Data("link workers".utf8)
        #expect(try Extractor().extract(bytes, filename: "notes.txt").text == "Caf\u{E9} \u{2013} link workers")
    }
}

@Suite("PDF text clean-up")
struct PDFTextCleanUpTests {
    @Test("ligature glyphs are spelled out so that words match the vocabulary")
    func ligatures() {
        let reader = PDFReader(limits: .init())
        #expect(reader.expandLigatures("ﬁnancial wellbeing, ﬂexible ﬀ oﬃce") == "financial wellbeing, flexible ff office")
        #expect(reader.expandLigatures("plain text") == "plain text")
    }

    @Test("running headers and page numbers at page edges are dropped; the same text mid-page is kept")
    func runningBlocks() {
        func block(_ text: String, top: Double, page: Int) -> PDFReader.LayoutBlock {
            PDFReader.LayoutBlock(lines: [text], fontSize: 9, top: top, bottom: top + 10, page: page, pageHeight: 800)
        }
        let pages = (1...3).map { page in
            [
                block("Northshire College handbook", top: 20, page: page),
                block("Northshire College handbook", top: 400, page: page),
                block("Body text of page \(page)", top: 300, page: page),
                block("\(page)", top: 770, page: page),
            ]
        }
        let kept = PDFReader(limits: .init()).removeRunningBlocks(pages)
        #expect(kept.map { $0.map(\.lines[0]) }.allSatisfy { $0.count == 2 && $0[0] == "Northshire College handbook" })
        #expect(kept[2].map(\.lines[0]) == ["Northshire College handbook", "Body text of page 3"])
    }
}
