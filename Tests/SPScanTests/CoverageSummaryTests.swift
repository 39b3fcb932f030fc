import Foundation
import SPScanModel
import Testing

@testable import SPScan

@Suite("Scan summary")
struct CoverageSummaryTests {
    static let framework = Framework(
        id: "t", title: "T", version: "1",
        domains: [
            Domain(
                id: "AA", name: "A", description: "",
                competencies: [
                    Competency(
                        id: "AA-1", domain: "AA", name: "Listening", description: "",
                        terms: [.english: [Term("active listening")], .french: [Term("écoute active")]])
                ])
        ])

    static func document(_ id: String, _ language: Language) -> TaggedDocument {
        TaggedDocument(
            id: id, sourceID: id, url: "https://example.org/\(id)", title: id, country: .canada, institution: "X",
            institutionType: .university, kind: .training, targetGroups: [.linkWorkers], language: language)
    }

    @Test("the summary says how many documents were in a language the framework has no terms in")
    func otherLanguages() {
        let documents = [
            Self.document("a", .english), Self.document("b", .spanish), Self.document("c", .spanish),
            Self.document("d", .undetermined), Self.document("e", .french),
        ]
        let summary = CoverageSummary(documents: documents, framework: Self.framework)
        #expect(summary.otherLanguage.total == 2)
        #expect(summary.otherLanguage.byLanguage == ["es": 2])
        #expect(
            summary.text.contains(
                "2 documents are in a language the framework has no terms in (Spanish 2): they are not tagged."))
        let english = CoverageSummary(documents: [Self.document("a", .english)], framework: Self.framework)
        #expect(!english.text.contains("language the framework has no terms in"))
    }
}
