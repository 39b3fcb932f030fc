import Foundation
import SPScanExtract
import Testing

/// Pages whose markup or bytes, read literally, would hide their whole content: each was an empty or
/// near-empty extraction on real pages of the WCXB benchmark.
@Suite("HTML pages the parser would otherwise lose")
struct HTMLRepairTests {
    @Test("a windows-1252 page with a byte that code page leaves undefined is read past that byte")
    func undefinedWindows1252Byte() throws {
        let html =
            Data("<html><head><meta charset=\"ISO-8859-1\"></head><body><p>First post about caf".utf8) + Data([0xE9, 0x9D])
            + Data(" and more.</p><p>Second post: the referral pathway works well in Leeds.</p></body></html>".utf8)
        let document = try Extractor().extract(html, contentType: "text/html")
        #expect(document.text.hasPrefix("First post about caf\u{E9}"))
        #expect(document.text.contains("Second post: the referral pathway works well in Leeds."))
    }

    @Test("content the parser nests inside an unclosed <button> or <nav> is kept, and a real menu is not")
    func contentInsideRepairedChrome() throws {
        let article = String(repeating: "Social prescribing links people to community groups and services. ", count: 12)
        let html = """
            <html><body><header><button class="menu-toggle"><span>Menu</span>
            <main><h1>What social prescribing is</h1><p>\(article)</p></main>
            </header><nav><a href="/a">Home</a> <a href="/b">About</a></nav></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8), contentType: "text/html")
        #expect(document.text.hasPrefix("What social prescribing is"))
        #expect(document.text.contains("community groups and services."))
        #expect(!document.text.contains("About"))
    }

    @Test("a hidden box holding most of the page (streamed server rendering) is read; a hidden dialog is not")
    func streamedContentInHiddenBox() throws {
        let article = String(repeating: "Link workers help people find support that fits what matters to them. ", count: 10)
        let html = """
            <html><body><div id="S:0" hidden><main><h1>Becoming a link worker</h1><p>\(article)</p></main></div>
            <div hidden><p>Sign up to our newsletter for updates.</p></div></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8), contentType: "text/html")
        #expect(document.text.hasPrefix("Becoming a link worker"))
        #expect(!document.text.contains("newsletter"))
    }
}
