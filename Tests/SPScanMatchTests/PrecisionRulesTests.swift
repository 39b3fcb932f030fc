import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanMatch

/// The precision rules, each on its own, with the small test framework.
@Suite("Precision rules")
struct PrecisionRulesTests {
    let tagger: Tagger

    init() throws {
        tagger = try Tagger(framework: TestFramework.make())
    }

    func tags(_ tagger: Tagger, _ text: String, role: BlockRole = .paragraph) -> [String] {
        tagger.tag(passage: Passage(text: text, start: 0, end: text.unicodeScalars.count, role: role)).tags.map(\.competency)
    }

    @Test("one generic term alone never tags; with another term it counts")
    func genericTermAlone() throws {
        let genericity = LearnedModel(
            trainedOn: [], competencies: [], bias: [], thresholds: [], vocabularyWeights: [], genericAbove: 0.02,
            termGenericity: ["en:activ listen~ing": 0.3], features: [])
        let measured = try Tagger(framework: TestFramework.make(), options: TaggerOptions(model: genericity))
        #expect(tags(tagger, "Staff practise active listening.") == ["AA-1"])
        let alone = measured.tag(passage: Passage(text: "Staff practise active listening.", start: 0, end: 32))
        #expect(alone.tags.isEmpty)
        #expect(alone.discounted.map(\.reason) == [.generic])
        #expect(tags(measured, "Staff practise active listening and build rapport.") == ["AA-1"])
    }

    @Test("generic terms together are still generic: they support a specific term, never stand for one")
    func genericTermsTogether() throws {
        let genericity = LearnedModel(
            trainedOn: [], competencies: [], bias: [], thresholds: [], vocabularyWeights: [], genericAbove: 0.02,
            termGenericity: ["en:activ listen~ing": 0.3, "en:rapport": 0.05, "en:crisi": 0.01], features: [])
        let measured = try Tagger(framework: TestFramework.make(), options: TaggerOptions(model: genericity))
        let text = "Staff practise active listening and build rapport."
        #expect(tags(tagger, text) == ["AA-1"])
        let together = measured.tag(passage: Passage(text: text, start: 0, end: text.unicodeScalars.count))
        #expect(!together.tags.map(\.competency).contains("AA-1"))
        #expect(together.discounted.filter { $0.competency == "AA-1" }.map(\.reason) == [.generic, .generic])
        // A specific term beside them is evidence, and the generic ones add to it.
        #expect(tags(measured, "Staff practise active listening, build rapport and person-centred work.") == ["AA-1"])
        // A term below the measured cut-off is not generic.
        #expect(tags(measured, "Staff learn safeguarding in a crisis.") == ["AA-2"])
    }

    @Test("who a document is for is its audience, not its content; the clause after 'who' or 'to' is content again")
    func audienceIsNotContent() {
        #expect(tags(tagger, "Staff learn to work with community organisations.") == ["BB-1"])
        let text = "This course is for community organisations and their staff."
        let audience = tagger.tag(passage: Passage(text: text, start: 0, end: text.unicodeScalars.count))
        #expect(audience.tags.isEmpty)
        #expect(audience.discounted.map(\.reason) == [.audience])
        #expect(audience.discounted.first?.cause.hasSuffix("is for") == true)
        #expect(tags(tagger, "The workshop is aimed at community organisations.").isEmpty)
        #expect(tags(tagger, "This course is for volunteers who want to practise active listening.") == ["AA-1"])
        // The audience ends with its sentence.
        #expect(tags(tagger, "This course is for new staff. They learn active listening.") == ["AA-1"])
    }

    @Test("a phrase matches inside one clause only, never across a comma, a bracket or a line")
    func phraseInsideOneClause() {
        #expect(tags(tagger, "Staff learn risk assessment and crisis work.") == ["AA-2"])
        for text in [
            "Staff weigh the risk, assessment follows.", "Staff weigh the risk (assessment follows).",
            "Staff weigh the risk\nassessment follows.", "Staff weigh the risk – assessment follows.",
        ] {
            let result = tagger.tag(passage: Passage(text: text, start: 0, end: text.unicodeScalars.count))
            #expect(!(result.tags + result.nearMisses).flatMap(\.evidence).flatMap(\.spans).contains { $0.term == "risk assessment" })
        }
    }

    @Test("stemming never joins words of different senses; plurals and capitals still meet")
    func senseForms() throws {
        let normalizer = try TokenNormalizer(language: .english)
        func key(_ word: String) -> String { normalizer.key(raw: word, isASCII: true) }
        #expect(key("commission") != key("commissioning"))
        #expect(key("safeguards") != key("safeguarding"))
        #expect(key("fund") != key("funding"))
        #expect(key("designated") != key("design"))
        #expect(key("measurable") != key("measuring"))
        #expect(key("services") == key("service"))
        #expect(key("plans") == key("plan"))
        #expect(key("safeguarding") == key("safeguarding"))
        #expect(tags(tagger, "Safeguards against fraud.").isEmpty)
        #expect(tags(tagger, "Staff practise ACTIVE LISTENING.") == ["AA-1"])
    }

    @Test("a heading or a title alone carries no tag")
    func headingAlone() {
        #expect(tags(tagger, "Safeguarding and risk assessment", role: .heading).isEmpty)
        let document = ExtractedDocument(
            title: "Safeguarding and risk assessment", language: .english, format: .html, text: "",
            passages: [
                Passage(text: "Safeguarding and risk assessment", start: 0, end: 32, role: .heading),
                Passage(text: "Opening hours and directions.", heading: "Safeguarding and risk assessment", start: 34, end: 63),
            ])
        #expect(tagger.tag(document).tags.isEmpty)
    }
}

/// Every case quoted in issue 11, on the shipped framework with its measured genericity.
@Suite("Cases quoted in issue 11")
struct QuotedCasesTests {
    static let tagger: Tagger? = {
        let url = CLIRunner.packageRoot.appendingPathComponent("Framework.yaml")
        guard let framework = try? FrameworkLoader.load(from: url) else { return nil }
        return try? Tagger(framework: framework, frameworkURL: url)
    }()

    @Test(
        "unrelated text tags nothing",
        arguments: [
            ("Private delivery services designated by the IRS", BlockRole.heading),
            ("Private delivery services designated by the IRS.", .paragraph),
            ("Affiliate commission on purchases.", .paragraph),
            ("Safeguards against fraudulent notices.", .paragraph),
            ("Mutual fund dividends.", .paragraph),
            ("Strategies with measurable outcomes.", .paragraph),
            ("Propulsion systems, navigation and life support.", .paragraph),
            ("YouFit Gyms Orlando Colonial", .heading),
            ("VP of Platform Engineering.", .paragraph),
            ("Cold outreach with GMass.", .paragraph),
            ("Learning a new skill, such as cooking or digital skills.", .paragraph),
        ])
    func quotedCase(text: String, role: BlockRole) throws {
        let tagger = try #require(Self.tagger)
        let result = tagger.tag(passage: Passage(text: text, start: 0, end: text.unicodeScalars.count, role: role))
        #expect(result.tags.isEmpty, "\(text): \(result.tags.map(\.competency))")
    }

    @Test("the same words in the sense the framework means still tag")
    func rightSense() throws {
        let tagger = try #require(Self.tagger)
        func tags(_ text: String) -> [String] {
            tagger.tag(passage: Passage(text: text, start: 0, end: text.unicodeScalars.count)).tags.map(\.competency)
        }
        #expect(tags("The course covers safeguarding adults: recognising abuse, neglect and how to report a concern.").contains("IS-7"))
        #expect(tags("Link workers accompany people to their first visit and follow up afterwards.").contains("IS-5"))
    }
}
