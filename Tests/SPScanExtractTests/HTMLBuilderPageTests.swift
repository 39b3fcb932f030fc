import Foundation
import SPScanExtract
import SPScanModel
import Testing

@Suite("HTML pages built by page builders and CMSs")
struct HTMLBuilderPageTests {
    @Test("an Elementor-style page keeps the article its widgets hold, and drops share buttons and sidebar")
    func elementorPage() throws {
        let document = try Fixture.extract("elementor-article.html")
        for kept in [
            "What a social prescribing link worker does", "connects them with community groups, services and activities",
            "The first conversation is about the person's own goals", "Skills the role needs",
            "Safeguarding adults at risk and recording concerns.", "Week 1 | Induction and shadowing an experienced link worker",
        ] {
            #expect(document.text.contains(kept), "lost: \(kept)")
        }
        for dropped in [
            "Share on Facebook", "Recent posts", "Volunteering in winter", "More from our blog", "About us", "registered charity",
        ] {
            #expect(!document.text.contains(dropped), "kept boilerplate: \(dropped)")
        }
        #expect(document.passage(containing: "Active listening")?.role == .listItem)
        #expect(
            document.passage(containing: "Active listening")?.heading
                == "What a social prescribing link worker does > Skills the role needs")
        document.expectOffsetsMatchText()
    }

    @Test("a HubSpot-style post keeps the body inside its widget-span and meta_field wrappers")
    func hubSpotPage() throws {
        let document = try Fixture.extract("hubspot-article.html")
        for kept in [
            "Training for community connectors in 2026", "Our new programme trains connectors over twelve weeks",
            "What the programme covers", "Mapping community assets with residents.", "monthly group supervision",
        ] {
            #expect(document.text.contains(kept), "lost: \(kept)")
        }
        for dropped in ["Popular posts", "Ten years of social prescribing", "Copyright 2026", "Blog Contact"] {
            #expect(!document.text.contains(dropped), "kept boilerplate: \(dropped)")
        }
        #expect(document.passage(containing: "Mapping community assets")?.role == .listItem)
    }

    @Test("a list of course titles is content, while a menu of single words is not")
    func listingPage() throws {
        let html = """
            <html><body><div class="menu-bar"><a href="/">Home</a> <a href="/a">About</a> <a href="/c">Contact</a></div>
            <div><ul class="links"><li><a href="/1">Home</a></li><li><a href="/2">News</a></li><li><a href="/3">Staff</a></li>
            <li><a href="/4">Jobs</a></li></ul></div>
            <div class="course-list"><h1>Short courses</h1><ul>
            <li><a href="/c1">Introduction to social prescribing for link workers</a></li>
            <li><a href="/c2">Motivational interviewing in community settings</a></li>
            <li><a href="/c3">Safeguarding adults: a course for voluntary sector staff</a></li></ul></div>
            </body></html>
            """
        let document = try Extractor().extract(Data(html.utf8))
        #expect(document.text.contains("Motivational interviewing in community settings"))
        #expect(document.text.contains("Safeguarding adults: a course for voluntary sector staff"))
        #expect(!document.text.contains("Staff"))
        #expect(!document.text.contains("About"))
    }

    @Test("a forum thread served inside <noscript> is read")
    func noscriptThread() throws {
        let html = """
            <html><body><div id="app"></div><noscript><div role="main"><h1>Finding a walking group</h1>
            <div class="post"><p>Has anyone found a walking group for people recovering from surgery near Leeds?</p></div>
            <div class="post"><p>The link worker at our practice put me in touch with one that meets on Tuesdays.</p></div>
            </div></noscript></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8))
        #expect(document.text.contains("recovering from surgery near Leeds"))
        #expect(document.text.contains("meets on Tuesdays"))
    }
}

@Suite("HTML that libxml2 reads badly by default")
struct HTMLParserLimitTests {
    @Test("a paragraph below 300 nested <div>s is kept (libxml2 stops at 256 by default)")
    func deepNesting() throws {
        let html =
            "<html><body>" + String(repeating: "<div>", count: 300) + "<p>The deep paragraph on referral pathways.</p>"
            + String(repeating: "</div>", count: 300) + "<p>After the boxes.</p></body></html>"
        let document = try Extractor().extract(Data(html.utf8))
        #expect(document.text.contains("The deep paragraph on referral pathways."))
        #expect(document.text.contains("After the boxes."))
    }

    @Test("nesting far deeper than any page is read without exhausting the stack")
    func absurdNesting() throws {
        let html =
            "<html><body>" + String(repeating: "<div><span>", count: 20_000) + "Bottom text"
            + String(repeating: "</span></div>", count: 20_000) + "</body></html>"
        let document = try Extractor().extract(Data(html.utf8))
        #expect(document.text.contains("Bottom text"))
    }

    @Test("a DOCTYPE's entity declarations never reach the text, and entities are not expanded")
    func doctypeSubset() throws {
        let html = """
            <!DOCTYPE html [<!ENTITY secret "leaked value"><!ENTITY file SYSTEM "file:///etc/passwd">]>
            <html><body><p>Peer support &secret; in groups.</p></body></html>
            """
        let document = try Extractor().extract(Data(html.utf8))
        #expect(!document.text.contains("ENTITY"))
        #expect(!document.text.contains("leaked value"))
        #expect(!document.text.contains("passwd"))
        #expect(document.text.contains("Peer support"))
    }
}
