import Foundation
import Hummingbird
import HummingbirdTesting
import SPScanCatalog
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanWeb

/// The pages, through the router: semantics, escaping, highlighting and the review buttons.
@Suite struct PageTests {
    @Test func theMatrixPageIsAnAccessibleHeatmapWithFiltersAndTheSampleBanner() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/?rows=country&cols=competency&country=CA&country=IE", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true)
                let page = text(response)
                #expect(page.contains("<th scope=\"col\" class=\"corner\">Country</th>"))
                #expect(page.contains("<th scope=\"row\">Canada</th>"))
                #expect(page.contains("<option value=\"CA\" selected>Canada</option>"))
                #expect(page.contains("<label for=\"f-country\">Country</label>"))
                #expect(page.contains("<strong>Sample data:</strong>"))
                #expect(page.contains("<a href=\"/competencies/IS-5?country=CA\">1</a>"))
                #expect(!page.contains("<th scope=\"row\">United Kingdom</th>"))
                // A zero is a gap, marked beyond colour, and still a link to the (empty) list it stands for.
                #expect(page.contains("<td class=\"heat gap\" title=\"Gap: no document in Ireland covers IS-5 "))
                #expect(page.contains("<a href=\"/competencies/IS-5?country=IE\">0</a><span class=\"hidden\"> (gap)</span>"))
                #expect(page.contains("<a href=\"/competencies/IS-5?country=CA&amp;country=IE\"><abbr title="))
                #expect(page.contains("aria-current=\"page\">Table</a>"))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(text(response).contains("Coverage by target group and competency"), "the default view shows the most")
                #expect(text(response).contains("<option value=\"volunteers\">Volunteers and peer supporters</option>"))
            }
            try await client.execute(uri: "/?rows=country&view=bubbles", method: .get) { response in
                let page = text(response)
                #expect(page.contains("<svg class=\"bubbles\""))
                #expect(page.contains("<a href=\"/competencies/IS-5?country=CA\"><circle "))
                #expect(page.contains("stroke-dasharray=\"2 2\"><title>Gap: no document in Ireland covers IS-5 "))
                #expect(page.contains("aria-current=\"page\">Bubble map</a>"))
            }
            try await client.execute(uri: "/?kind=leaflet", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(text(response).contains("kind: unknown value &#39;leaflet&#39;; use training, "))
            }
        }
    }

    @Test func theCompetencyPageHighlightsMatchedTermsAndEscapesFetchedText() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/competencies/IS-5", method: .get) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("Referral pathways to <mark>community groups</mark> &lt;b&gt;and&lt;/b&gt; services."))
                #expect(page.contains("&lt;script&gt;alert(&#39;guide&#39;)&lt;/script&gt;"))
                #expect(!page.contains("<script>"))
                #expect(page.contains("<input type=\"hidden\" name=\"decision\" value=\"accept\">"))
            }
        }
    }

    @Test func aReviewButtonRecordsTheDecisionAndReturnsToThePage() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let form = "document=gb-guide&competency=IS-5&decision=reject&return=%2Fcompetencies%2FIS-5%3Fcountry%3DGB"
            try await client.execute(
                uri: "/reviews", method: .post, headers: [.origin: "http://localhost"], body: ByteBuffer(string: form)
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/competencies/IS-5?country=GB")
            }
            try await client.execute(uri: "/competencies/IS-5?country=GB", method: .get) { response in
                #expect(text(response).contains("0 documents covering it"))
            }
            try await client.execute(uri: "/documents/gb-guide", method: .get) { response in
                let page = text(response)
                #expect(page.contains("IS-5: <strong>rejected</strong>"))
                #expect(page.contains("<h1>&lt;script&gt;alert(&#39;guide&#39;)&lt;/script&gt;</h1>"))
            }
            try await client.execute(
                uri: "/reviews", method: .post, headers: [.origin: "http://localhost"],
                body: ByteBuffer(string: "document=gb-guide&competency=IS-5&decision=accept&return=//evil.example")
            ) { response in
                #expect(response.headers[.location] == "/documents/gb-guide")
            }
        }
    }

    @Test func theGapsPageListsGapsInPlainWordsEachLinkedToItsDocuments() async throws {
        let fixture = try WebFixture()
        let framework = try FrameworkLoader.load(from: fixture.directory.path("Framework.yaml"))
        let ce7 = try #require(framework.competency(id: "CE-7"))
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/gaps", method: .get) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("by target group and competency over 3 documents, largest first"))
                #expect(page.contains("The scan has no documents for students"))
                #expect(page.contains("<span class=\"kind\">Not covered anywhere</span>"))
                #expect(!page.contains("[empty-cell]"))
                #expect(page.contains("<option value=\"target-group\" selected>Target group</option>"))
            }
            try await client.execute(uri: "/gaps?rows=country", method: .get) { response in
                let page = text(response)
                let link = "<a href=\"/competencies/CE-7?country=GB\">No training in United Kingdom covers CE-7 \(HTML.text(ce7.name))"
                #expect(page.contains(link), "\(page)")
                #expect(page.contains("<a href=\"/competencies/IS-5?country=IE\">No training in Ireland covers IS-5 "))
            }
            try await client.execute(uri: "/gaps?rows=country&kind=guide", method: .get) { response in
                let page = text(response)
                #expect(!page.contains("in Ireland covers"), "a filter applies to the gaps")
                #expect(page.contains("over 1 document,"))
            }
            try await client.execute(uri: "/gaps?rows=town", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func aNamedReviewerRejectsThenUndoesAndTheRejectedDocumentStaysInView() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let cookie = try await client.execute(
                uri: "/reviewer", method: .post, headers: [.origin: "http://localhost"],
                body: ByteBuffer(string: "reviewer=Ana+Lima&return=%2Fcompetencies%2FIS-5")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/competencies/IS-5")
                let set = try #require(response.headers[.setCookie])
                #expect(set.hasPrefix("spscan_reviewer=Ana%20Lima;"))
                return String(set.prefix { $0 != ";" })
            }
            try await client.execute(uri: "/competencies/IS-5", method: .get, headers: [.cookie: cookie]) { response in
                let page = text(response)
                #expect(page.contains("value=\"Ana Lima\" autocomplete=\"name\""))
                #expect(page.contains("<input type=\"hidden\" name=\"reviewer\" value=\"Ana Lima\">"))
            }
            let reject = "document=gb-guide&competency=IS-5&decision=reject&return=%2Fcompetencies%2FIS-5"
            try await client.execute(
                uri: "/reviews", method: .post, headers: [.origin: "http://localhost", .cookie: cookie], body: ByteBuffer(string: reject)
            ) { response in
                #expect(response.status == .seeOther)
            }
            #expect(try String(contentsOf: fixture.directory.path("Reviews.yaml"), encoding: .utf8).contains("Ana Lima"))
            try await client.execute(uri: "/competencies/IS-5", method: .get) { response in
                let page = text(response)
                #expect(page.contains("1 document rejected by a reviewer"))
                #expect(page.contains("<del><a href=\"/documents/gb-guide\">"))
                #expect(page.contains("rejected by Ana Lima on "))
                #expect(page.contains("aria-label=\"Undo IS-5 for gb-guide\">Undo</button>"))
            }
            let undo = "document=gb-guide&competency=IS-5&decision=clear&return=%2Fcompetencies%2FIS-5"
            try await client.execute(
                uri: "/reviews", method: .post, headers: [.origin: "http://localhost"], body: ByteBuffer(string: undo)
            ) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/competencies/IS-5", method: .get) { response in
                let page = text(response)
                #expect(!page.contains("rejected by a reviewer"))
                #expect(page.contains("2 documents covering it"))
            }
            try await client.execute(
                uri: "/reviewer", method: .post, body: ByteBuffer(string: "reviewer=Mallory")
            ) { response in
                #expect(response.status == .forbidden, "setting the name changes state: it needs its origin")
            }
        }
    }

    @Test func everyViewDownloadsInEveryFormatWithItsFiltersAndProvenance() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/gaps?rows=country&country=GB&country=IE", method: .get) { response in
                #expect(
                    text(response).contains(
                        "<a href=\"/download/gaps.xlsx?rows=country&amp;cols=competency&amp;value=count&amp;view=table&amp;country=GB&amp;country=IE\" download>Excel</a>"
                    ))
            }
            for format in ["csv", "md", "json", "html"] {
                try await client.execute(uri: "/download/gaps.\(format)?rows=country&country=GB&country=IE", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentDisposition] == "attachment; filename=\"spscan-gaps-country-competency.\(format)\"")
                    let body = text(response)
                    #expect(body.contains("Country: United Kingdom or Ireland"), "\(format): \(body)")
                    #expect(body.contains("No training in United Kingdom covers CE-7 "), "\(format)")
                    #expect(!body.contains("Canada"), "\(format): the filter applies")
                }
            }
            try await client.execute(uri: "/download/matrix.json?rows=country", method: .get) { response in
                let json = try jsonObject(response)
                let provenance = try #require(json["provenance"] as? [String: Any])
                #expect(provenance["scan"] as? Int == 1)
                #expect(provenance["documents"] as? Int == 3)
                #expect(provenance["samples"] as? Int == 1)
                #expect(provenance["filters"] as? String == "none")
                #expect(json["row_dimension"] as? String == "country")
            }
            try await client.execute(uri: "/download/matrix.xlsx?rows=country", method: .get) { response in
                let data = Data(buffer: response.body)
                #expect(data.prefix(2) == Data("PK".utf8))
                let directory = try TemporaryDirectory()
                try data.write(to: directory.path("m.xlsx"))
                let listing = try Self.unzip(["-l", directory.path("m.xlsx").path])
                #expect(listing.contains("xl/worksheets/sheet1.xml"))
                let workbook = try Self.unzip(["-p", directory.path("m.xlsx").path, "xl/workbook.xml"])
                #expect(workbook.contains("name=\"Provenance\""))
                #expect(workbook.contains("name=\"By country\""))
                let first = try Self.unzip(["-p", directory.path("m.xlsx").path, "xl/worksheets/sheet1.xml"])
                #expect(first.contains("<autoFilter ref=\"A1:"))
                #expect(first.contains("IS-5\nSupported navigation and referral"))
            }
            try await client.execute(uri: "/download/matrix.pdf", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func theMatrixDownloadsItsTagsAsCASEAlignmentsValidAgainstTheSchema() async throws {
        let fixture = try WebFixture()
        try Data(
            """
            reviews:
              - document: ca-course
                competency: IS-5
                decision: accept
                reviewer: Test Reviewer
                date: 2026-11-25T10:00:00Z

            """.utf8
        ).write(to: fixture.directory.path("Reviews.yaml"))
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/?rows=country", method: .get) { response in
                #expect(text(response).contains("<a href=\"/download/alignments.case.json?rows=country"))
            }
            try await client.execute(uri: "/download/alignments.case.json?country=CA", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"spscan-alignments.case.json\"")
                let directory = try TemporaryDirectory()
                let file = directory.path("alignments.json")
                try Data(buffer: response.body).write(to: file)
                #expect(try CASESchema.problems(in: file) == [])
                let body = text(response)
                #expect(body.contains("https://example.ca/course"))
                #expect(!body.contains("example.org.uk"), "the country filter applies")
                #expect(body.contains("reviewed: accepted by Test Reviewer"), "the review decision is in the association's notes: \(body)")
            }
        }
    }

    static func unzip(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func competenciesAreListedWithCoverageAndFoundByName() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/competencies?country=CA", method: .get) { response in
                #expect(response.status == .ok)
                let page = text(response)
                #expect(page.contains("<h2 id=\"domain-IS\">IS Individual Support</h2>"))
                #expect(page.contains("<a href=\"/competencies/IS-5?country=CA\">IS-5 Supported navigation and referral</a>"))
                #expect(page.contains("<strong>0: a gap</strong>"))
                #expect(page.contains("Canada 1"))
            }
            try await client.execute(uri: "/competencies/volunteers?country=CA", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/competencies/CE-7?country=CA")
            }
            try await client.execute(uri: "/competencies/community", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(text(response).contains("<a href=\"/competencies/CE-1\">CE-1 Community asset mapping</a>"))
            }
            try await client.execute(uri: "/search?q=volunteers", method: .get) { response in
                #expect(text(response).contains("<a href=\"/competencies/CE-7\">CE-7 Volunteers and peer support</a>"))
            }
        }
    }

    @Test func scansSearchAndMissingPages() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/scans", method: .get) { response in
                let page = text(response)
                #expect(page.contains("<th scope=\"row\">1</th>"))
                #expect(page.contains("This server runs no scheduled scans."))
            }
            try await client.execute(uri: "/search?q=motivational+interviewing", method: .get) { response in
                let page = text(response)
                #expect(page.contains("<mark>"))
                #expect(page.contains("value=\"motivational interviewing\""))
            }
            try await client.execute(uri: "/documents/none", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(text(response).contains("unknown document &#39;none&#39; in the catalog"))
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

/// The pure pieces: form decoding, highlighting, colours, schedules.
@Suite struct WebUnitTests {
    @Test func formsDecodePlusAsSpaceAndKeepRepeatedKeys() {
        let form = FormQuery("q=social+prescribing%2B&country=CA&country=&country=IE&empty")
        #expect(form.first("q") == "social prescribing+")
        #expect(form.all("country") == ["CA", "IE"])
        #expect(form.first("empty") == nil)
        #expect(FormQuery.encode([("institution", "Bromley by Bow & Co")]) == "institution=Bromley%20by%20Bow%20%26%20Co")
    }

    @Test func highlightingMergesOverlapsClampsAndEscapes() {
        let spans = [Span(start: 0, end: 3, term: "a"), Span(start: 2, end: 5, term: "b"), Span(start: 9, end: 99, term: "c")]
        #expect(HTML.highlighted("<é>bc d&ef", spans: spans) == "<mark>&lt;é&gt;bc</mark> d&amp;e<mark>f</mark>")
        #expect(HTML.snippet("a b< c", [Highlight(start: 2, end: 4)]) == "a <mark>b&lt;</mark> c")
    }

    @Test func heatColoursKeepTheTextReadable() {
        #expect(HTML.heat(0) == "background:hsl(210,65%,97%);color:#111")
        #expect(HTML.heat(1) == "background:hsl(210,65%,30%);color:#fff")
        #expect(HTML.heat(.nan) == "background:hsl(210,65%,97%);color:#111")
    }

    @Test func thePlanTakesEachSourcesOwnScheduleElseTheServersInterval() throws {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let url = try #require(URL(string: "https://example.org"))
        func source(_ id: String, _ schedule: Schedule?) -> Source {
            Source(
                id: id, url: url, title: id, country: .canada, institution: "I", institutionType: .charity, kind: .guide,
                targetGroups: [.volunteers], schedule: schedule)
        }
        let sources = [source("daily", .daily), source("weekly", .weekly), source("plain", nil)]
        let lastRuns = ["daily": now.addingTimeInterval(-3_600), "weekly": now.addingTimeInterval(-86_400), "plain": now]
        let plan = SchedulePlan.next(sources: sources, every: 43_200, lastRuns: lastRuns, now: now)
        #expect(plan == PlannedScan(at: now.addingTimeInterval(43_200), sourceIDs: ["plain"]))
        #expect(SchedulePlan.next(sources: [source("plain", nil)], every: nil, lastRuns: [:], now: now) == nil)
        let fresh = SchedulePlan.next(sources: sources, every: nil, lastRuns: [:], now: now)
        #expect(fresh == PlannedScan(at: now, sourceIDs: ["daily", "weekly"]))
    }
}

extension WebUnitTests {
    @Test func aLongCompetencyListShowsTheBestHundredAndSaysSo() throws {
        let framework = try FrameworkLoader.load(from: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"))
        let competency = try #require(framework.competency(id: "IS-5"))
        // The catalog makes hits; a test decodes one as the API would send it.
        let json = #"""
            {"documentID": "d", "sourceID": "d", "title": "T", "url": "https://example.org", "institution": "I",
             "institutionType": "charity", "country": "IE", "targetGroups": ["volunteers"], "kind": "guide",
             "competency": "IS-5", "score": 0.5}
            """#
        let hit = try JSONStyle.decoder().decode(QueryHit.self, from: Data(json.utf8))
        let page = Pages.competency(
            competency, domain: nil, filter: DocumentFilter(),
            page: QueryPage(hits: Array(repeating: hit, count: 150), total: 150, leftOut: 0), regions: [], sample: false,
            returnTo: "/competencies/IS-5")
        #expect(page.contains("150 documents covering it"))
        #expect(page.contains("Showing the best 100;"))
        #expect(page.components(separatedBy: "<li><h3>").count - 1 == 100)
    }
}

/// Program staff read labels ("Community organisations"), never the facet slugs the registry and URLs use.
@Suite struct LabelTests {
    /// The text a person sees: tags, scripts and styles removed, entities left as they are.
    static func visibleText(_ html: String) -> String {
        var text = html
        for element in ["script", "style", "svg"] {
            while let open = text.range(of: "<\(element)"),
                let close = text.range(of: "</\(element)>", range: open.upperBound..<text.endIndex)
            {
                text.removeSubrange(open.lowerBound..<close.upperBound)
            }
        }
        var out = ""
        var inTag = false
        for character in text {
            if character == "<" {
                inTag = true
                out.append(" ")
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                out.append(character)
            }
        }
        return out
    }

    /// Where `word` stands in `text`, for the failure message.
    static func context(of word: String, in text: String) -> String {
        guard let range = text.range(of: word) else { return "" }
        let start = text.index(range.lowerBound, offsetBy: -80, limitedBy: text.startIndex) ?? text.startIndex
        return String(text[start..<range.upperBound])
    }

    static let slugs: [String] =
        (TargetGroup.allCases.map(\.rawValue) + DocumentKind.allCases.map(\.rawValue) + InstitutionType.allCases.map(\.rawValue))
        .filter { $0.contains("-") }

    @Test func noPageShowsAFacetSlugInItsText() async throws {
        #expect(Self.slugs.contains("community-organisations") && Self.slugs.contains("health-system"))
        let fixture = try WebFixture()
        let framework = try FrameworkLoader.load(from: fixture.directory.path("Framework.yaml"))
        try await fixture.application().test(.router) { client in
            for uri in [
                "/", "/?rows=institution&cols=competency", "/?rows=institution-type", "/?rows=kind", "/?view=bubbles", "/gaps",
                "/gaps?rows=institution-type", "/competencies", "/competencies/IS-5", "/documents/ca-course", "/scans",
                "/search?q=referral", "/out-of-scope",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    // The framework's own words ("health-system collaboration") are names, not slugs.
                    var visible = Self.visibleText(text(response))
                    for competency in framework.competencies { visible = visible.replacingOccurrences(of: competency.name, with: "") }
                    for slug in Self.slugs {
                        #expect(!visible.contains(slug), "\(uri) shows the slug \(slug): \(Self.context(of: slug, in: visible))")
                    }
                }
            }
        }
    }
}
