import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanMatch

@Suite("Tokenising and normalising words")
struct NormalizationTests {
    func tokens(_ text: String) -> [Tokenizer.Token] {
        var found: [Tokenizer.Token] = []
        Tokenizer.scan(text) { found.append($0) }
        return found
    }

    func keys(_ text: String, _ language: Language = .english) throws -> [String] {
        let normalizer = try TokenNormalizer(language: language)
        return tokens(text).map { normalizer.key(for: $0) }
    }

    @Test("offsets count Unicode scalars, so accented text keeps its positions")
    func scalarOffsets() {
        let found = tokens("Évaluation des forces — écoute")
        #expect(found.map(\.raw) == ["Évaluation", "des", "forces", "écoute"])
        #expect(found.map(\.start) == [0, 11, 15, 24])
        #expect(found.map(\.end) == [10, 14, 21, 30])
    }

    @Test("hyphens join words, apostrophes and one-letter words drop out, inclusive endings fold")
    func wordShapes() {
        #expect(tokens("person-centred care").map(\.raw) == ["personcentred", "care"])
        #expect(tokens("plan d’action").map(\.raw) == ["plan", "action"])
        #expect(tokens("the person's plan").map(\.raw) == ["the", "person", "plan"])
        #expect(tokens("intervenant·e·s de liaison").map(\.raw) == ["intervenant", "de", "liaison"])
        #expect(tokens("a well - run group").map(\.raw) == ["well", "run", "group"])
    }

    @Test("clauses end at ; : . ! ? but not inside a number")
    func clauses() {
        let found = tokens("Role 12.50 FTE; duties: listen. Then act")
        #expect(found.map(\.raw) == ["role", "12", "50", "fte", "duties", "listen", "then", "act"])
        #expect(found.map(\.clause) == [0, 0, 0, 0, 1, 2, 3, 3])
        #expect(found.map(\.sentence) == [0, 0, 0, 0, 0, 0, 1, 1])
    }

    @Test("British, Canadian and American spellings meet")
    func spellings() throws {
        #expect(try keys("organization") == keys("organisation"))
        #expect(try keys("organizations") == keys("organisations"))
        #expect(try keys("program") == keys("programme"))
        #expect(try keys("counseling") == keys("counselling"))
        #expect(try keys("behavior change") == keys("behaviour change"))
        #expect(try keys("nonjudgmental") == keys("non-judgemental"))
        #expect(try keys("prioritizing") == keys("prioritising"))
    }

    @Test("case, compatibility forms and accents are folded")
    func folding() throws {
        #expect(try keys("ÉCOUTE ACTIVE", .french) == keys("écoute active", .french))
        #expect(try keys("ﬁnances") == keys("finances"))
        #expect(try keys("Safeguarding") == keys("safeguarding"))
        #expect(try keys("sécurité culturelle", .french).allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
    }
}

@Suite("Snowball stemming")
struct StemmingTests {
    @Test("English and French words share a stem with their inflections")
    func inflections() throws {
        let english = try SnowballStemmer(language: .english)
        #expect(english.stem("connecting") == english.stem("connections"))
        #expect(english.stem("volunteers") == english.stem("volunteer"))
        let french = try SnowballStemmer(language: .french)
        #expect(french.stem("bénévoles") == french.stem("bénévole"))
        #expect(french.stem("communautaires") == french.stem("communautaire"))
    }

    @Test("an accent-free French word still finds the accented term")
    func accentFreeFrench() throws {
        let normalizer = try TokenNormalizer(language: .french)
        let forms = Lexicon.compile("évaluation globale", normalizer: normalizer)
        var plain: [String] = []
        Tokenizer.scan("EVALUATION GLOBALE") { plain.append(normalizer.key(for: $0)) }
        #expect(forms.contains(plain))
    }
}

@Suite("Determiners are read past")
struct SkippedWordTests {
    @Test("a term matches with or without a determiner or possessive in between, in both languages")
    func determiners() throws {
        let framework = Framework(
            id: "t", title: "t", version: "1",
            domains: [
                Domain(
                    id: "AA", name: "A", description: "",
                    competencies: [
                        Competency(
                            id: "AA-1", domain: "AA", name: "Review", description: "",
                            terms: [
                                .english: [Term("review progress", weight: 2)],
                                .french: [Term("évaluation des besoins", weight: 2)],
                            ])
                    ])
            ])
        let tagger = try Tagger(framework: framework)
        let english = MarkedText("Each month the worker will ⟦review their progress⟧ with them.")
        #expect(tagger.tag(passage: english.passage).tags.first?.evidence.first?.spans.map { $0.start..<$0.end } == english.marks)
        let french = MarkedText("Le module traite de l'⟦évaluation de besoins⟧ complexes.")
        #expect(
            tagger.tag(passage: french.passage(language: .french)).tags.first?.evidence.first?.spans.map { $0.start..<$0.end }
                == french.marks)
        #expect(tagger.tag(passage: MarkedText("We review the other progress.").passage).tags.isEmpty)
    }
}
