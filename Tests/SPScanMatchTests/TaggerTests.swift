import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanMatch

@Suite("Tagging passages with evidence")
struct TaggerTests {
    let tagger: Tagger

    init() throws {
        tagger = try Tagger(framework: TestFramework.make())
    }

    func spans(_ result: TaggingResult, _ competency: String) -> [Range<Int>] {
        (result.tags + result.nearMisses).first { $0.competency == competency }?.evidence.first?.spans.map { $0.start..<$0.end } ?? []
    }

    @Test("evidence spans are the marked words, in scalar offsets")
    func markedEvidence() throws {
        let marked = MarkedText("Module 1: Listening. Learners practise ⟦active listening⟧ and build ⟦rapport⟧ quickly.")
        let result = tagger.tag(passage: marked.passage)
        let tag = try #require(result.tags.first { $0.competency == "AA-1" })
        #expect(tag.domain == "AA")
        #expect(spans(result, "AA-1") == marked.marks)
        #expect(tag.evidence.first?.terms == ["active listening", "rapport"])
    }

    @Test("offsets stay right after accented letters and typographic apostrophes")
    func accentedEvidence() {
        let marked = MarkedText("Atelier d’été : l’intervenant·e pratique l’⟦écoute active⟧ et demande ⟦ce qui compte pour vous⟧.")
        let result = tagger.tag(passage: marked.passage(language: .french))
        #expect(result.tags.map(\.competency) == ["AA-1"])
        #expect(spans(result, "AA-1") == marked.marks)
    }

    @Test("a term written without accents or with other spellings still matches")
    func variants() {
        let french = MarkedText("Atelier : ⟦ECOUTE ACTIVE⟧ pour les intervenants.")
        #expect(spans(tagger.tag(passage: french.passage(language: .french)), "AA-1") == french.marks)
        let english = MarkedText("Duties: work with ⟦community organizations⟧ across the region.")
        #expect(spans(tagger.tag(passage: english.passage), "BB-1") == english.marks)
        let hyphen = MarkedText("A ⟦person centred⟧ and ⟦person-centred⟧ approach.")
        #expect(spans(tagger.tag(passage: hyphen.passage), "AA-1") == hyphen.marks)
    }

    @Test("a negated mention does not count, and says why")
    func negation() throws {
        let negated = tagger.tag(passage: MarkedText("This course does not cover safeguarding or risk assessment.").passage)
        #expect(negated.tags.isEmpty)
        #expect(negated.discounted.map(\.term) == ["safeguarding", "risk assessment"])
        #expect(negated.discounted.first?.reason == .negated)
        #expect(negated.discounted.first?.cause == "not")

        let after = tagger.tag(passage: MarkedText("Safeguarding is covered separately in module 4.").passage)
        #expect(after.tags.isEmpty)
        #expect(after.discounted.first?.cause == "covered separately")
    }

    @Test("negation stops at a clause end or a 'but', and 'not only' is no negation")
    func negationScope() {
        let clause = MarkedText("We do not diagnose; learners study ⟦safeguarding⟧ in depth and ⟦risk assessment⟧.")
        #expect(spans(tagger.tag(passage: clause.passage), "AA-2") == clause.marks)
        let but = MarkedText("Link workers are not clinicians, but ⟦safeguarding⟧ and ⟦risk assessment⟧ are core.")
        #expect(spans(tagger.tag(passage: but.passage), "AA-2") == but.marks)
        let notOnly = MarkedText("The module covers not only ⟦safeguarding⟧ but also ⟦crisis⟧ response.")
        #expect(tagger.tag(passage: notOnly.passage).tags.map(\.competency) == ["AA-2"])
    }

    @Test("French negation (ne … pas, sans) and English contractions are read as negation")
    func otherNegations() {
        let french = tagger.tag(passage: MarkedText("Cet atelier ne traite pas de la maltraitance.").passage(language: .french))
        #expect(french.tags.isEmpty && ["ne", "pas"].contains(french.discounted.first?.cause ?? ""))
        let contraction = tagger.tag(passage: MarkedText("The course doesn't cover safeguarding.").passage)
        #expect(contraction.tags.isEmpty && contraction.discounted.first?.cause == "doesn't")
        let positive = MarkedText("Formation : l'⟦écoute active⟧ au quotidien.")
        #expect(spans(tagger.tag(passage: positive.passage(language: .french)), "AA-1") == positive.marks)
    }

    @Test("stock phrases of course documents hide the framework words inside them")
    func neutralPhrases() throws {
        let framework = Framework(
            id: "t", title: "t", version: "1",
            domains: [
                Domain(
                    id: "PA", name: "P", description: "",
                    competencies: [
                        Competency(
                            id: "PA-2", domain: "PA", name: "Data", description: "",
                            terms: [.english: [Term("outcomes", weight: 2)], .french: [Term("résultats", weight: 2)]])
                    ])
            ])
        let tagger = Tagger.lenient(try Tagger(framework: framework))
        #expect(tagger.tag(passage: MarkedText("Learning outcomes: by the end you can cook.").passage).nearMisses.isEmpty)
        let french = MarkedText("Résultats d'apprentissage : cuisiner.").passage(language: .french)
        #expect(tagger.tag(passage: french).nearMisses.isEmpty)
        let counted = MarkedText("We collect ⟦outcomes⟧ every quarter.")
        #expect(tagger.tag(passage: counted.passage).nearMisses.first?.evidence.first?.spans.map { $0.start..<$0.end } == counted.marks)
    }

    @Test("a negation word inside a term negates neither the term nor what follows")
    func negationInsideTerm() throws {
        var framework = TestFramework.make()
        framework.domains[0].competencies[0].terms[.english]?.append(Term("without judgement", weight: 1.5))
        let tagger = try Tagger(framework: framework)
        let marked = MarkedText("Learners listen ⟦without judgement⟧ and build ⟦rapport⟧ with ⟦active listening⟧.")
        let result = tagger.tag(passage: marked.passage)
        #expect(result.discounted.isEmpty)
        #expect(spans(result, "AA-1") == marked.marks)
    }

    @Test("an exclude term cancels the competency in that passage only")
    func exclusion() throws {
        let framework = TestFramework.make(exclusionsOfA: [.english: [Term("hotel")]])
        let excluding = try Tagger(framework: framework)
        let passages = [
            Passage(text: "Active listening and rapport evening at the hotel.", start: 0, end: 50),
            Passage(text: "Unrelated words only.", start: 52, end: 73),
        ]
        let result = excluding.tag(passages: passages, language: .english)
        #expect(result.tags.isEmpty)
        #expect(result.discounted.map(\.reason) == [.excluded, .excluded])
        #expect(result.discounted.first?.cause == "hotel")
        #expect(excluding.tag(passage: Passage(text: "Active listening and rapport skills.", start: 0, end: 36)).tags.count == 1)
    }

    @Test("a shorter term inside a longer one is not counted again, even for another competency")
    func containment() {
        let result = tagger.tag(passage: MarkedText("Training in risk assessment for staff.").passage)
        #expect(!(result.tags + result.nearMisses).contains { $0.competency == "BB-2" })
    }

    @Test("a term two competencies list shares its weight")
    func sharedTerm() {
        let result = Tagger.lenient(tagger).tag(passage: MarkedText("We value rapport.").passage)
        let scores = Dictionary(uniqueKeysWithValues: (result.tags + result.nearMisses).map { ($0.competency, $0.score) })
        let alone = try? Tagger(
            framework: Framework(
                id: "one", title: "one", version: "1",
                domains: [
                    Domain(
                        id: "AA", name: "A", description: "",
                        competencies: [
                            Competency(id: "AA-1", domain: "AA", name: "L", description: "", terms: [.english: [Term("rapport")]])
                        ])
                ]), options: TaggerOptions(nearMissFraction: 0))
        let single = alone?.tag(passage: MarkedText("We value rapport.").passage).nearMisses.first?.score ?? 0
        #expect((scores["AA-1"] ?? 1) < single)
    }

    @Test("repetition saturates, phrases beat words, lists and outcome headings beat passing mentions")
    func scoringShape() {
        func score(_ text: String, role: BlockRole = .paragraph, heading: String = "") -> Double {
            let passage = Passage(text: text, heading: heading, start: 0, end: text.unicodeScalars.count, role: role)
            let result = Tagger.lenient(tagger).tag(passage: passage)
            return (result.tags + result.nearMisses).first { $0.competency == "AA-2" }?.score ?? 0
        }
        let once = score("Filler words. Staff learn about crisis work here.")
        let twice = score("Filler words. Staff learn about crisis and crisis work here.")
        let many = score("Filler words. Staff learn about crisis, crisis, crisis, crisis, crisis and crisis work.")
        #expect(once < twice && twice < many)
        #expect(many - twice < (twice - once) * 4)
        #expect(many < 1)
        let phrase = score("Filler words. Staff learn about risk assessment work here.")
        #expect(phrase > once)
        // A heading alone carries no tag (see PrecisionRulesTests).
        #expect(score("Crisis", role: .heading) == 0)
        #expect(score("Filler words. Staff learn about crisis work here.", role: .listItem) > once)
        #expect(score("Filler words. Staff learn about crisis work here.", heading: "Learning outcomes") > once)
        #expect(score("Crisis response. Staff learn to stay calm.") > once)
    }

    @Test("a competency's own threshold decides; near misses are reported apart")
    func thresholds() throws {
        let text = "Learners study safeguarding in practice."
        let strict = try Tagger(framework: TestFramework.make(thresholdOfB: 0.95))
        let result = strict.tag(passage: Passage(text: text, start: 0, end: text.count))
        #expect(result.tags.isEmpty)
        #expect(result.nearMisses.map(\.competency) == ["AA-2"])
        let relaxed = try Tagger(framework: TestFramework.make(thresholdOfB: 0.2))
        #expect(relaxed.tag(passage: Passage(text: text, start: 0, end: text.count)).tags.map(\.competency) == ["AA-2"])
    }

    @Test("a document's score combines passages: more support scores higher, the best passage leads the evidence")
    func documentScore() {
        let strong = Passage(text: "Safeguarding and risk assessment.", start: 0, end: 33)
        let weak = Passage(text: "A crisis line.", start: 35, end: 49)
        let one = tagger.tag(passages: [strong], language: .english).tags.first
        let both = tagger.tag(passages: [weak, strong], language: .english).tags.first
        #expect((both?.score ?? 0) > (one?.score ?? 1))
        #expect(both?.evidence.first?.start == 0)
        #expect(both?.evidence.count == 2)
    }

    @Test("corpus statistics make a term found in every document count less")
    func documentFrequencies() throws {
        let text = "Learners study safeguarding and risk assessment."
        let passage = Passage(text: text, start: 0, end: text.count)
        let plain = tagger.tag(passage: passage).tags.first?.score ?? 0
        let document = ExtractedDocument(title: nil, language: .english, format: .text, text: text, passages: [passage])
        let statistics = CorpusStatistics(documents: Array(repeating: document, count: 20), tagger: tagger)
        #expect(statistics.documentFrequencies["en:safeguard~ing"] == 20)
        let common = try Tagger(framework: TestFramework.make(), options: TaggerOptions(statistics: statistics))
        let discounted = (common.tag(passage: passage).tags + common.tag(passage: passage).nearMisses).first?.score ?? 1
        #expect(discounted < plain)
        let adapted = tagger.with(statistics: statistics)
        #expect(adapted.tag(passage: passage) == common.tag(passage: passage))
        let rare = CorpusStatistics(documentCount: 20, documentFrequencies: ["en:safeguard": 1, "en:risk assess": 1])
        #expect(tagger.with(statistics: rare).tag(passage: passage) == tagger.tag(passage: passage))
    }

    @Test("a session tags document after document exactly as the tagger does")
    func session() {
        let session = tagger.session()
        let texts = ["Active listening and rapport.", "Safeguarding and risk assessment.", "Écoute active.", "Active listening."]
        for (index, text) in texts.enumerated() {
            let language: Language = index == 2 ? .french : .english
            let passage = Passage(text: text, start: 0, end: text.unicodeScalars.count, language: language)
            let document = ExtractedDocument(title: nil, language: language, format: .text, text: text, passages: [passage])
            #expect(session.tag(document) == tagger.tag(document))
            #expect(!session.tag(document).tags.isEmpty)
        }
    }

    @Test("a term with no usable word is refused, naming the competency and the fix")
    func emptyTerm() {
        var framework = TestFramework.make()
        framework.domains[0].competencies[0].terms[.english] = [Term("a -")]
        #expect(throws: MatchError.emptyTerm(competency: "AA-1", language: "en", term: "a -")) {
            try Tagger(framework: framework)
        }
    }

    @Test("compiled terms list every form the matcher looks for")
    func compiledTerms() throws {
        let lists = tagger.compiledTerms()
        let first = try #require(lists.first)
        #expect(first.competency == "AA-1")
        #expect(first.terms.contains { $0.term == "person-centred" && $0.stems == ["personcentr~ed"] })
        #expect(first.terms.contains { $0.term == "person-centred" && $0.stems == ["person", "centr~ed"] })
        #expect(first.terms.contains { $0.term == "rapport" && $0.sharedWith == 1 })
    }
}

extension Tagger {
    /// The same tagger reporting everything it scored, so that tests can compare scores below threshold.
    static func lenient(_ tagger: Tagger) -> Tagger {
        var options = tagger.options
        options.nearMissFraction = 0
        return (try? Tagger(framework: tagger.framework, options: options)) ?? tagger
    }
}
