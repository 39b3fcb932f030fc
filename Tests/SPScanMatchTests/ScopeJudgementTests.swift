import Foundation
import SPScanModel
import Testing

@testable import SPScanMatch

@Suite("Document scope")
struct ScopeJudgementTests {
    static let scope = ScopeVocabulary(
        description: "Link work",
        terms: [
            .english: [Term("social prescribing", weight: 2), Term("link worker", weight: 2), Term("community resources")],
            .french: [Term("prescription sociale", weight: 2)],
        ], threshold: 3, competencies: 3)

    let tagger: Tagger

    init() throws {
        var framework = TestFramework.make()
        framework.scope = Self.scope
        tagger = try Tagger(framework: framework)
    }

    /// A document of the given passages (text, role), in English unless told.
    func document(_ parts: [(String, BlockRole)], language: Language = .english) -> ExtractedDocument {
        var passages: [Passage] = []
        var offset = 0
        for (text, role) in parts {
            let length = text.unicodeScalars.count
            passages.append(Passage(text: text, start: offset, end: offset + length, language: language, role: role))
            offset += length + 2
        }
        return ExtractedDocument(
            title: nil, language: language, format: .text, text: parts.map(\.0).joined(separator: "\n\n"), passages: passages)
    }

    @Test("the field's terms in the body put a document in scope, with the passages and the terms marked")
    func inScopeByTerms() throws {
        let text = "Our link worker helps people use community resources. Social prescribing connects them."
        let result = tagger.tag(document([("Course outline", .heading), (text, .paragraph)]))
        #expect(result.scope.inScope)
        #expect(result.scope.score == 5)
        let evidence = try #require(result.scope.evidence.first)
        #expect(evidence.text == text)
        let marked = evidence.spans.map { String(String.UnicodeScalarView(Array(text.unicodeScalars)[$0.start..<$0.end])) }
        #expect(marked == ["link worker", "community resources", "Social prescribing"])
        #expect(result.scope.reason.hasPrefix("the field's terms in the body weigh 5 ("))
        #expect(result.scope.reason.hasSuffix("; 3 needed, or 1 with 3 competencies)"))
    }

    @Test("variants of one term that stem alike are one mention, counted once")
    func variantsCountOnce() throws {
        var framework = TestFramework.make()
        framework.scope = ScopeVocabulary(
            description: "Link work",
            terms: [.english: [Term("link worker", weight: 2), Term("link workers", weight: 2), Term("link-worker", weight: 1)]],
            threshold: 3, competencies: 3)
        let tagger = try Tagger(framework: framework)
        let result = tagger.tag(document([("Our link workers help people.", .paragraph)]))
        #expect(result.scope.score == 2)
        #expect(!result.scope.inScope)
        #expect(result.scope.evidence.first?.spans.count == 1)
    }

    @Test("a title or heading alone does not put a document in scope")
    func headingOnly() {
        let result = tagger.tag(
            document([("Social prescribing and link worker news", .heading), ("Prices of flights fell this winter.", .paragraph)]))
        #expect(!result.scope.inScope)
        #expect(result.scope.evidence.isEmpty)
        #expect(
            result.scope.reason
                == "no term of the field in the body of the text (3 needed), and no competency has evidence (3 needed)")
    }

    @Test("a negated mention is not evidence of the field")
    func negated() {
        let result = tagger.tag(document([("It is not social prescribing. It is not a link worker post.", .paragraph)]))
        #expect(!result.scope.inScope)
        #expect(result.scope.score == 0)
    }

    @Test("repeating one term weighs less each time: one phrase said ten times is not ten phrases")
    func saturation() {
        let text = Array(repeating: "Find community resources.", count: 10).joined(separator: " ")
        let result = tagger.tag(document([(text, .paragraph)]))
        #expect(!result.scope.inScope)
        #expect(result.scope.score < 2)
    }

    @Test("enough competencies with evidence and a word of the field put a document in scope; competencies alone do not")
    func inScopeByCompetencies() {
        let result = tagger.tag(
            document([
                ("Learners practise active listening and build rapport.", .paragraph),
                ("The module covers safeguarding and risk assessment.", .paragraph),
                ("They map community organisations and carry out programme evaluation.", .paragraph),
                ("Each session links people with community resources.", .paragraph),
            ]))
        #expect(result.tags.count >= 3)
        #expect(result.scope.inScope)
        #expect(result.scope.reason.contains("and 3 competencies have evidence ("))
        #expect(result.scope.competencies == result.tags.map(\.competency))
        let tagsOnly = tagger.tag(
            document([
                ("Learners practise active listening and build rapport.", .paragraph),
                ("The module covers safeguarding and risk assessment.", .paragraph),
                ("They map community organisations and carry out programme evaluation.", .paragraph),
            ]))
        #expect(!tagsOnly.scope.inScope)
        // Judged out of scope, the document claims none of them; they are withheld, and kept for the catalog.
        #expect(tagsOnly.tags.isEmpty)
        #expect(tagsOnly.withheld.count >= 3)
        #expect(tagsOnly.catalogTags == tagsOnly.withheld)
    }

    @Test("a document out of scope claims no tag: its tags are withheld with their evidence, and kept for the catalog")
    func outOfScopeWithholds() throws {
        let news = document([
            ("Markets", .heading),
            ("The module covers safeguarding and risk assessment for bank staff facing a crisis.", .paragraph),
        ])
        let result = tagger.tag(news)
        #expect(!result.scope.inScope)
        #expect(result.tags.isEmpty)
        let withheld = try #require(result.withheld.first)
        #expect(withheld.competency == "AA-2")
        #expect(withheld.evidence.first?.terms.contains("safeguarding") == true)
        #expect(result.catalogTags.map(\.competency) == ["AA-2"])

        // The same words in a document of the field are claimed.
        let course = document([
            ("Link worker training", .heading),
            ("Every link worker and social prescribing lead takes this module.", .paragraph),
            ("The module covers safeguarding and risk assessment for people facing a crisis.", .paragraph),
        ])
        let inScope = tagger.tag(course)
        #expect(inScope.scope.inScope)
        #expect(inScope.tags.map(\.competency) == ["AA-2"])
        #expect(inScope.withheld.isEmpty)

        // A passage alone cannot show what its document is about: tagged on its own, it is never withheld.
        let passage = try #require(news.passages.last)
        #expect(tagger.tag(passage: passage).tags.map(\.competency) == ["AA-2"])

        // A framework without a scope judges nothing and withholds nothing.
        let unscoped = try Tagger(framework: TestFramework.make())
        #expect(unscoped.tag(news).tags.map(\.competency) == ["AA-2"])
    }

    @Test("French terms judge French text")
    func french() {
        let result = tagger.tag(
            document(
                [
                    (
                        "La prescription sociale relie les personnes aux groupes. Chaque prescription sociale est suivie, et la "
                            + "prescription sociale est évaluée.", .paragraph
                    )
                ],
                language: .french))
        #expect(result.scope.inScope)
    }

    @Test("without a scope vocabulary every document counts; a document in another language is not judged")
    func unjudged() throws {
        let plain = try Tagger(framework: TestFramework.make())
        #expect(plain.tag(document([("Prices of flights fell.", .paragraph)])).scope == .unjudged)
        let spanish = tagger.tag(document([("La prescripción social y los trabajadores de enlace.", .paragraph)], language: .spanish))
        #expect(spanish.scope.inScope)
        #expect(spanish.scope.reason.hasPrefix("not judged: in Spanish"))
    }
}
