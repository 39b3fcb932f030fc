import Foundation
import Testing

@testable import SPScanModel

@Suite("Framework.yaml loading and validation")
struct FrameworkLoaderTests {
    static let valid = """
        id: test-framework
        title: Test framework
        version: "1"
        domains:
          - id: IS
            name: Individual Support
            competencies:
              - id: IS-1
                name: Person-centred conversations
                description: Listening.
                threshold: 0.4
                terms:
                  en: [active listening, {term: what matters to you, weight: 2}]
                  fr: [écoute active]
                exclude:
                  en: [registration fee]
        """

    func errors(_ yaml: String) -> [Diagnostic] {
        FrameworkLoader.parse(yaml, file: "Framework.yaml").1.filter { $0.severity == .error }
    }

    @Test("a valid framework loads with weights, languages and exclusions")
    func loadsValid() throws {
        let (framework, diagnostics) = FrameworkLoader.parse(Self.valid, file: "Framework.yaml")
        #expect(diagnostics.isEmpty)
        let competency = try #require(framework?.competency(id: "is-1"))
        #expect(competency.domain == "IS")
        #expect(competency.threshold == 0.4)
        #expect(competency.terms[.english] == [Term("active listening"), Term("what matters to you", weight: 2)])
        #expect(competency.terms[.french] == [Term("écoute active")])
        #expect(competency.exclusions[.english] == [Term("registration fee")])
    }

    @Test("a competency id that does not match its domain is refused")
    func idOutsideDomain() {
        let yaml = Self.valid.replacingOccurrences(of: "- id: IS-1", with: "- id: CE-1")
        #expect(
            errors(yaml) == [
                Diagnostic(
                    at: SourceLocation(file: "Framework.yaml", line: 8, column: 13),
                    "competency 'CE-1': id must be 'IS-' and a number (e.g. IS-1) because it sits in domain IS")
            ])
    }

    @Test("an empty vocabulary is refused")
    func emptyVocabulary() {
        let yaml = Self.valid
            .replacingOccurrences(of: "en: [active listening, {term: what matters to you, weight: 2}]", with: "en: []")
            .replacingOccurrences(of: "fr: [écoute active]", with: "fr: []")
        #expect(errors(yaml).map(\.message) == ["competency 'IS-1': the vocabulary is empty; list terms under `en:` and/or `fr:`"])
    }

    @Test("duplicate competency ids, bad thresholds and unknown languages are all reported")
    func severalProblems() {
        let yaml =
            Self.valid
            .replacingOccurrences(of: "threshold: 0.4", with: "threshold: 4")
            .replacingOccurrences(of: "fr: [écoute active]", with: "xx: [zuhören]")
                + """

                      - id: IS-1
                        name: Again
                        description: Again.
                        terms: {en: [again]}
                """
        let messages = errors(yaml).map(\.message)
        #expect(messages.count == 3)
        #expect(messages.contains("competency 'IS-1': `threshold` is 4; use a number from 0 to 1"))
        #expect(messages.contains { $0.hasPrefix("competency 'IS-1' terms: unknown key `xx`") })
        #expect(messages.contains { $0.hasPrefix("duplicate competency id 'IS-1'") })
    }

    @Test("a domain id must be capital letters")
    func domainID() {
        let yaml = Self.valid.replacingOccurrences(of: "- id: IS\n", with: "- id: is\n")
        #expect(errors(yaml).map(\.message).contains("domain 'is': a domain id is two to four capital letters, e.g. IS, CE or PA"))
    }
}
