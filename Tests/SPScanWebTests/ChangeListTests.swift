import Foundation
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
