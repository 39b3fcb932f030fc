import Foundation
import SPScanModel
import Testing

@testable import SPScanCatalog
@testable import SPScanWeb

@Suite struct ChangeListTests {
    @Test func aLongChangeListShowsTheFirstHundredAndSaysWhereTheRestAre() {
        let entries = (1...250).map {
            ChangeReport.DocumentEntry(
                documentID: "doc-\($0)", sourceID: "doc-\($0)", url: "https://example.org/\($0)", title: "Document \($0)", detail: nil)
        }
        let html = Pages.changeList("New documents", entries)
        #expect(html.contains("<h3>New documents (250)</h3>"))
        #expect(html.components(separatedBy: "<li>").count - 1 == Pages.changeListLimit)
        #expect(html.contains("Document 100</a>") && !html.contains("Document 101</a>"))
        #expect(html.contains("150 more: <code>spscan changes</code> lists them all"))
        let short = Pages.changeList("New documents", Array(entries.prefix(3)))
        #expect(!short.contains("more:"))
    }
}

@Suite struct CoordinateTests {
    @Test func coordinatesHaveOneDecimalAsPrintfWritesThem() {
        for value in [0.0, 3.0, 12.34, 245.0, 7.96, 0.04, -2.5, -0.3, 1234.56] {
            #expect(Pages.format(value) == String(format: "%.1f", value).replacingOccurrences(of: "-0.0", with: "0.0"), "\(value)")
        }
    }
}

@Suite struct PageWarmerTests {
    @Test func warmingMakesTheFirstPagesInputsSoTheFirstVisitorFindsThemKept() throws {
        let fixture = try WebFixture()
        let settings = fixture.settings
        let framework = try FrameworkLoader.load(from: settings.framework)
        let catalog = CatalogView(database: try CatalogDatabase.openExisting(path: settings.catalog), path: settings.catalog)
        let site = Site(framework: framework, catalog: catalog, reviewsFile: settings.reviews, scheduler: nil, corpus: nil)
        var made: [String] = []
        func ask(_ key: String) throws {
            _ = try catalog.kept(key) { _ -> Int in
                made.append(key)
                return 0
            }
        }
        // Before warming, asking makes it; after, the warmed inputs are already there.
        try ask("scans-probe")
        #expect(made == ["scans-probe"])
        site.warm()
        let parameters = try MatrixParameters(FormQuery(nil), known: try catalog.vocabulary())
        let before = made.count
        _ = try catalog.kept("gaps|" + parameters.key) { _ -> GapsPageInput in
            made.append("gaps")
            return GapsPageInput(report: try site.gapsInput(parameters).report, nearMisses: [], documents: 0)
        }
        _ = try catalog.kept("scans") { _ -> ScansPageInput in
            made.append("scans")
            return try site.scansInput()
        }
        #expect(made.count == before, "warm() made the gaps and scans inputs: \(made)")
    }
}
