import Foundation
import SPScan
import SPScanModel
import Testing

@Suite("Plain text documents for spscan tag")
struct DocumentLoaderTests {
    @Test("blocks become passages: short unpunctuated lines are headings, bulleted lines list items")
    func structure() {
        let document = DocumentLoader.plainText(
            """
            Learning outcomes

            - Listen actively.
            - Agree a plan.

            This course is for new link workers.
            It runs over two days.
            """)
        #expect(document.passages.map(\.role) == [.heading, .listItem, .listItem, .paragraph])
        #expect(document.passages.map(\.heading) == ["", "Learning outcomes", "Learning outcomes", "Learning outcomes"])
        #expect(document.passages.last?.text == "This course is for new link workers. It runs over two days.")
        #expect(document.title == "Learning outcomes")
        #expect(document.format == .text)
    }

    @Test("passage offsets point into the document text, in Unicode scalars")
    func offsets() {
        let document = DocumentLoader.plainText("Écoute active\r\n\r\nL’intervenant·e écoute la personne.\n\nSuivi des progrès")
        for passage in document.passages {
            let scalars = Array(document.text.unicodeScalars)[passage.start..<passage.end]
            #expect(String(String.UnicodeScalarView(scalars)) == passage.text)
        }
        #expect(document.passages.count == 3)
    }

    @Test("the language is guessed from function words unless given")
    func language() {
        #expect(DocumentLoader.plainText("Les participants apprendront à écouter la personne et à établir un plan.").language == .french)
        #expect(DocumentLoader.plainText("Participants will learn to listen to the person and agree a plan.").language == .english)
        #expect(DocumentLoader.plainText("Les participants apprendront.", language: .english).passages.first?.language == .english)
    }

    @Test("a missing file says so and how to read standard input instead")
    func missingFile() {
        #expect(throws: DocumentLoadError.unreadable(path: "/nonexistent/spscan.txt", reason: "no such file")) {
            try DocumentLoader.load(path: "/nonexistent/spscan.txt")
        }
        #expect(
            DocumentLoadError.unreadable(path: "a.txt", reason: "no such file").localizedDescription
                == "cannot read a.txt: no such file; check the path, or pass `-` to read standard input")
    }
}
