import Foundation
import SPScanExtract
import SPScanModel
import Testing

@Suite("HTML main content")
struct HTMLExtractionTests {
    @Test("a course page inside a heavy template keeps the course and drops the template")
    func coursePage() throws {
        let document = try Fixture.extract("course-page.html")
        #expect(document.format == .html)
        #expect(document.title == "Link Worker Certificate | Northshire College")
        #expect(document.language == .english)
        for kept in [
            "Social Prescribing Link Worker Certificate", "This part-time certificate prepares you",
            "Module 2: Active listening and motivational interviewing",
            "Apply motivational interviewing techniques to support behaviour change.",
            "You will recognise signs of abuse and neglect",
            "LO2 | Map community assets and keep a directory of local services up to date.",
        ] {
            #expect(document.text.contains(kept), "lost: \(kept)")
        }
        for dropped in [
            "We use cookies", "Accept all cookies", "Skip to main content", "Undergraduate courses", "Current students",
            "Research centres", "Home", "Short courses", "Share on", "Related courses", "Mental Health First Aid",
            "Open evening", "Registered charity", "Accessibility statement", "dataLayer", "font-family",
        ] {
            #expect(!document.text.contains(dropped), "kept boilerplate: \(dropped)")
        }
        document.expectOffsetsMatchText()
    }

    @Test("a news post keeps its article and drops share buttons, sign-up box, comments and widgets")
    func newsArticle() throws {
        let document = try Fixture.extract("news-article.html")
        #expect(document.text.hasPrefix("New link worker programme launches in Galway\n\nA new social prescribing programme"))
        #expect(
            document.passage(containing: "Guided conversations and goal setting.")?.heading
                == "New link worker programme launches in Galway > What the training covers")
        for dropped in [
            "cookies", "Donate", "Posted on", "Facebook", "newsletter", "Sign up", "Posted in", "Previous post",
            "comments", "Mayo", "Recent posts", "registered charity",
        ] {
            #expect(!document.text.contains(dropped), "kept boilerplate: \(dropped)")
        }
        document.expectOffsetsMatchText()
    }

    @Test("passages carry their heading path and role")
    func headingPathsAndRoles() throws {
        let document = try Fixture.extract("course-page.html")
        let listItem = try #require(document.passage(containing: "Apply motivational interviewing"))
        #expect(
            listItem.heading
                == "Social Prescribing Link Worker Certificate > Course outline > Module 2: Active listening and motivational interviewing")
        #expect(listItem.role == .listItem)
        #expect(listItem.page == nil)
        let outcomes = try #require(document.passage(containing: "LO1 | Build trusting relationships"))
        #expect(outcomes.heading == "Social Prescribing Link Worker Certificate > Learning outcomes")
        #expect(outcomes.role == .tableCell)
        let heading = try #require(document.passages.first { $0.text == "Course outline" })
        #expect(heading.role == .heading)
        // A heading closes the passage before it: no passage holds text from two sections.
        #expect(document.passages.allSatisfy { !($0.text.contains("Module 1") && $0.text.contains("Module 2")) })
    }

    @Test("links come back absolute, without fragments, for the follow rules")
    func links() throws {
        let base = try #require(URL(string: "https://www.northshire.example/study/short-courses/link-worker"))
        let document = try Extractor().extract(Fixture.data("course-page.html"), baseURL: base)
        #expect(document.links.contains(try #require(URL(string: "https://www.northshire.example/study/postgraduate"))))
        #expect(document.links.contains(try #require(URL(string: "https://twitter.com/share"))))
        #expect(!document.links.contains { $0.scheme == "mailto" })
        #expect(Set(document.links.map(\.absoluteString)).count == document.links.count)
    }

    @Test("a windows-1252 page declared in <meta> reads with its quotes, dashes, accents and euro sign")
    func windows1252() throws {
        let document = try Fixture.extract("windows-1252.html")
        #expect(document.title == "Link worker training \u{2013} Caf\u{E9} conversations")
        #expect(document.text.contains("\u{201C}What matters to me\u{201D} \u{2013} a short course"))
        #expect(document.text.contains("The course\u{2019}s first session is held at the community caf\u{E9}"))
        #expect(document.text.contains("na\u{EF}ve questions and \u{2018}active listening\u{2019} with volunteers \u{2014}"))
        #expect(document.text.contains("\u{20AC}120"))
        #expect(!document.text.contains("Courses"))
        #expect(!document.text.contains("2026 Community Link Training"))
    }

    @Test("the HTTP header's charset wins over the bytes' guess, and Latin-1 labels read as windows-1252")
    func charsetFromHeader() throws {
        let bytes =
            Data("<html><body><main><p>Caf".utf8) + Data([0xE9, 0x20, 0x93, 0x6F, 0x6B, 0x94]) + Data("</p></main></body></html>".utf8)
        let document = try Extractor().extract(bytes, contentType: "text/html; charset=ISO-8859-1")
        #expect(document.text == "Caf\u{E9} \u{201C}ok\u{201D}")
        let utf8 = Data("<p>Caf\u{E9} \u{2013} ok</p>".utf8)
        #expect(try Extractor().extract(utf8, contentType: "text/html").text == "Caf\u{E9} \u{2013} ok")
    }

    @Test("a French page is French, document and passages")
    func frenchPage() throws {
        let document = try Fixture.extract("french-page.html")
        #expect(document.language == .french)
        #expect(document.passages.allSatisfy { $0.language == .french })
        #expect(document.text.contains("Établir une relation de confiance"))
        #expect(!document.text.contains("Accueil"))
        #expect(!document.text.contains("Tous droits réservés"))
        let item = try #require(document.passage(containing: "Repérer les organismes"))
        #expect(item.heading == "Formation des agents de liaison en prescription sociale > Compétences visées")
    }

    @Test("scripts, styles and hidden boxes never reach the text, even without a template")
    func hiddenAndScripts() throws {
        let html = """
            <html><body><p>Visible outcome text about community referral.</p>
            <div hidden><p>Hidden draft</p></div><div style="display: none">Collapsed menu</div>
            <div aria-hidden="true">Decorative</div><script>var secret = 1;</script><noscript>Enable JS</noscript>
            </body></html>
            """
        let document = try Extractor().extract(Data(html.utf8))
        #expect(document.text == "Visible outcome text about community referral.")
    }
}

@Suite("HTML edge cases")
struct HTMLEdgeCaseTests {
    @Test("a page laid out in tables is read box by box, while a data table stays one block per row")
    func layoutTables() throws {
        let html = """
            <html><body><table><tr>
            <td class="menu"><a href="/a">Home</a><br><a href="/b">Courses</a><br><a href="/c">Contact</a></td>
            <td><h1>Peer support training</h1>
            <p>Volunteers learn to listen without judgement and to signpost people to local groups and services.</p>
            <table><tr><th>Day</th><th>Topic</th></tr><tr><td>1</td><td>Listening skills and boundaries</td></tr></table>
            </td></tr></table></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8))
        #expect(document.passages.first?.text == "Peer support training")
        #expect(document.passages.first?.role == .heading)
        let row = try #require(document.passage(containing: "1 | Listening skills and boundaries"))
        #expect(row.role == .tableCell)
        #expect(row.heading == "Peer support training")
        #expect(!document.text.contains("Courses"))
    }

    @Test("UTF-16 pages with a byte-order mark are decoded")
    func utf16() throws {
        let html =
            "<html><body><p>La prescription sociale : écoute active et orientation vers les ressources de la communauté.</p></body></html>"
        var bytes = Data([0xFF, 0xFE])
        bytes += try #require(html.data(using: .utf16LittleEndian))
        let document = try Extractor().extract(bytes, contentType: "text/html")
        #expect(document.text == "La prescription sociale : écoute active et orientation vers les ressources de la communauté.")
        #expect(document.language == .french)
    }

    @Test("a blank page is an empty document, not an error")
    func blankPage() throws {
        let document = try Extractor().extract(Data("   \n".utf8), contentType: "text/html", filename: "blank.html")
        #expect(document.text.isEmpty)
        #expect(document.passages.isEmpty)
    }
}

@Suite("HTML page shapes")
struct HTMLPageShapeTests {
    @Test("a page wrapped in one <form> (ASP.NET WebForms) keeps its content but not its search box")
    func webFormsPage() throws {
        let html = """
            <html><body><form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE" value="x">
            <div id="search"><label>Search</label><input type="text"><button>Go</button></div>
            <div class="main-menu"><a href="/">Home</a> <a href="/a">About</a> <a href="/b">Services</a></div>
            <div id="body"><h1>Community connector training</h1>
            <p>Community connectors help residents find groups, activities and advice that improve their wellbeing.</p>
            <p>The training covers listening skills, local knowledge and keeping safe when visiting people at home.</p>
            </div></form></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8))
        #expect(document.text.hasPrefix("Community connector training\n\nCommunity connectors help residents"))
        #expect(document.text.contains("keeping safe when visiting people at home."))
        #expect(!document.text.contains("Search"))
        #expect(!document.text.contains("Services"))
    }
}

@Suite("HTML line breaks")
struct HTMLLineBreakTests {
    @Test("<br><br> separates paragraphs; a single <br> only breaks a line")
    func doubleBreaks() throws {
        let html = """
            <html><body><div>Link workers meet people at home.<br>They listen first.<br><br>
            Referrals come from GPs, nurses and the person themselves.</div></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8))
        #expect(
            document.text
                == "Link workers meet people at home. They listen first.\n\nReferrals come from GPs, nurses and the person themselves.")
    }
}
