import Foundation
import SPScan
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("Documents read for spscan tag")
struct DocumentLoaderTests {
    @Test("a text file goes through the extractor: headings, list items and paragraphs become passages")
    func structure() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            # Learning outcomes

            - Listen actively.
            - Agree a plan.

            This course is for new link workers. It runs over two days.
            """, to: "course.md")
        let document = try DocumentLoader.load(path: file.path)
        #expect(document.format == .markdown)
        #expect(document.passages.contains { $0.text.contains("Listen actively.") && $0.heading == "Learning outcomes" })
        #expect(document.passages.contains { $0.text.contains("This course is for new link workers.") })
    }

    @Test("an HTML file is read as HTML, whatever its extension")
    func htmlByContent() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "<!doctype html><html><head><title>Module 2</title></head><body><main><h1>Module 2</h1>"
                + "<p>Learners practise active listening and open questions with a tutor and peers.</p></main></body></html>",
            to: "page.txt")
        let document = try DocumentLoader.load(path: file.path)
        #expect(document.format == .html)
        #expect(document.title == "Module 2")
    }

    @Test("a given language overrides detection for every passage")
    func languageOverride() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("Les participants apprendront à écouter la personne et à établir un plan d'action.", to: "fr.txt")
        #expect(try DocumentLoader.load(path: file.path).language == .french)
        let forced = try DocumentLoader.load(path: file.path, language: .english)
        #expect(forced.language == .english)
        #expect(forced.passages.allSatisfy { $0.language == .english })
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

    @Test("a corrupt PDF is an extraction error naming the file")
    func corruptPDF() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("broken.pdf")
        try Data("%PDF-1.7\n1 0 obj garbage".utf8).write(to: file)
        #expect {
            try DocumentLoader.load(path: file.path)
        } throws: { error in
            guard case .unextractable(let path, _) = error as? DocumentLoadError else { return false }
            return path == file.path
        }
    }
}
