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

/// Choices of the main content measured on WCXB: which box is the page's frame, and which box is the content.
@Suite("HTML content container")
struct HTMLContainerTests {
    @Test("a header whose mega-menu outweighs the article in characters is still the site's header")
    func megaMenuHeader() throws {
        let menu = (1...80).map { "<li><a href=\"/p\($0)\">Product family number \($0) overview</a></li>" }.joined()
        let article = String(repeating: "Cloud computing makes computing resources available on demand. ", count: 8)
        let html = """
            <html><body><div><header><ul>\(menu)</ul><p>Contact sales</p></header></div>
            <div><h1>What is cloud computing?</h1><p>\(article)</p></div></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8), contentType: "text/html")
        #expect(document.text.hasPrefix("What is cloud computing?"))
        #expect(!document.text.contains("Product family"))
        #expect(!document.text.contains("Contact sales"))
    }

    @Test("a table is kept whatever its class says (`sticky-header`), even when its cells are links")
    func tableNamedLikeChrome() throws {
        let rows = (1...20).map { "<tr><td>\(1990 + $0)</td><td><a href=\"/w\($0)\">Laureate \($0)</a></td></tr>" }.joined()
        let html = """
            <html><body><h1>List of laureates</h1><p>Laureates receive a medal and a diploma.</p>
            <table class="wikitable sortable sticky-header">\(rows)</table></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8), contentType: "text/html")
        #expect(document.text.contains("1991 | Laureate 1"))
        #expect(document.text.contains("2010 | Laureate 20"))
    }

    @Test("when one box holds nearly all the words, the boxes beside it (related posts, sign-up) are left out")
    func dominantBox() throws {
        let article = String(repeating: "Link workers give people time to talk about what matters to them. ", count: 20)
        let html = """
            <html><body><div class="page"><h1>Why time matters in social prescribing</h1>
            <div class="post-body"><p>\(article)</p><h2>What changes</h2><p>\(article)</p></div>
            <div class="more-reading"><h3>You may also like</h3><p>Five walks to try this winter near the coast</p></div>
            <div class="cta"><p>Get our weekly letter in your inbox every Friday morning.</p></div>
            </div></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8), contentType: "text/html")
        #expect(document.text.hasPrefix("Why time matters in social prescribing"))
        #expect(document.passages.contains { $0.role == .heading && $0.text == "What changes" })
        #expect(!document.text.contains("Five walks"))
        #expect(!document.text.contains("weekly letter"))
    }

    @Test("a list of short linked titles (about 30 characters each) is a listing, not a menu")
    func shortTitles() throws {
        let intro = String(repeating: "Our short courses are free for volunteers and staff of member groups. ", count: 3)
        let html = """
            <html><body><h1>Short courses</h1><p>\(intro)</p><ul>
            <li><a href="/c1">Peer support in primary care</a></li><li><a href="/c2">Listening skills for volunteers</a></li>
            <li><a href="/c3">Community asset mapping basics</a></li><li><a href="/c4">Safeguarding for befrienders</a></li>
            </ul></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8), contentType: "text/html")
        #expect(document.passage(containing: "Listening skills for volunteers")?.role == .listItem)
        #expect(document.text.contains("Safeguarding for befrienders"))
    }

    @Test("a page of many boxes, none dominant (a service page), is read whole")
    func noDominantBox() throws {
        let section = String(repeating: "We help residents find groups, activities and advice near them. ", count: 4)
        let html = """
            <html><body><h1>Our services</h1>
            <div><h2>Befriending</h2><p>\(section)</p></div><div><h2>Benefits advice</h2><p>\(section)</p></div>
            <div><h2>Walking groups</h2><p>\(section)</p></div></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8), contentType: "text/html")
        for heading in ["Befriending", "Benefits advice", "Walking groups"] {
            #expect(document.passages.contains { $0.role == .heading && $0.text == heading })
        }
    }
}
