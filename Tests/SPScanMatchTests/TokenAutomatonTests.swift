import SPScanModel
import Testing

@testable import SPScanMatch

@Suite("Token automaton (Aho-Corasick over stems)")
struct TokenAutomatonTests {
    /// Every (pattern, end) pair, found the slow way.
    func naive(_ patterns: [[Int32]], _ text: [Int32]) -> Set<[Int]> {
        var found = Set<[Int]>()
        for (index, pattern) in patterns.enumerated() where pattern.count <= text.count {
            for start in 0...(text.count - pattern.count) where Array(text[start..<start + pattern.count]) == pattern {
                found.insert([index, start + pattern.count - 1])
            }
        }
        return found
    }

    func automaton(_ patterns: [[Int32]], _ text: [Int32], alphabet: Int) -> Set<[Int]> {
        let automaton = TokenAutomaton(patterns: patterns, alphabetSize: alphabet)
        var state: Int32 = 0
        var found = Set<[Int]>()
        for (position, symbol) in text.enumerated() {
            state = automaton.step(state, symbol)
            for pattern in automaton.matches(at: state) { found.insert([Int(pattern), position]) }
        }
        return found
    }

    @Test("overlapping and nested patterns are all found (he, she, his, hers)")
    func classic() {
        // h=0 e=1 s=2 i=3 r=4
        let patterns: [[Int32]] = [[0, 1], [2, 0, 1], [0, 3, 2], [0, 1, 4, 2]]
        let text: [Int32] = [2, 0, 1, 4, 2]  // "shers"
        #expect(automaton(patterns, text, alphabet: 5) == [[1, 2], [0, 2], [3, 4]])
    }

    @Test("a word in no pattern breaks a phrase")
    func unknownWordResets() {
        let patterns: [[Int32]] = [[0, 1]]
        #expect(automaton(patterns, [0, -1, 1], alphabet: 2).isEmpty)
        #expect(automaton(patterns, [0, 0, 1], alphabet: 2) == [[0, 2]])
    }

    @Test("agrees with a naive scan on generated inputs")
    func agreesWithNaive() {
        var seed: UInt64 = 7
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<50 {
            let alphabet = 2 + next(4)
            let patterns = (0..<(1 + next(8))).map { _ in (0..<(1 + next(4))).map { _ in Int32(next(alphabet)) } }
            let text = (0..<next(60)).map { _ in next(10) == 0 ? -1 : Int32(next(alphabet)) }
            #expect(automaton(patterns, text, alphabet: alphabet) == naive(patterns, text))
        }
    }
}

@Suite("Matcher memory grows with the vocabulary, not vocabulary × alphabet")
struct VocabularySizeTests {
    /// Made-up words, so that every term is new to the stemmer and the alphabet grows with the vocabulary.
    static func generated(_ count: Int) -> Framework {
        var seed: UInt64 = 11
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "go", "fu"]
        func word() -> String { (0..<(2 + next(3))).map { _ in syllables[next(syllables.count)] }.joined() }
        var terms = [[Term]](repeating: [], count: 10)
        for index in 0..<count {
            terms[index % 10].append(Term((0...next(3)).map { _ in word() }.joined(separator: " ")))
        }
        terms[0].append(Term("active listening", weight: 2))
        return Framework(
            id: "generated", title: "Generated", version: "1",
            domains: [
                Domain(
                    id: "XX", name: "Generated", description: "",
                    competencies: terms.enumerated().map { index, list in
                        Competency(id: "XX-\(index + 1)", domain: "XX", name: "G\(index)", description: "", terms: [.english: list])
                    })
            ])
    }

    @Test("a large generated vocabulary builds, stays linear in size, and still finds its terms")
    func largeVocabularyBuilds() throws {
        let tagger = try Tagger(framework: Self.generated(20_000))
        let english = try #require(tagger.lexicon.languages[.english])
        // A dense node × alphabet table would hold about nodes × stems × 4 bytes (here over 5 GB).
        #expect(english.automaton.byteCount < 64 * english.patterns.count + 4 * english.symbols.count + 4096)
        #expect(english.automaton.nodeCount > 20_000)
        let result = tagger.tag(passage: Passage(text: "We practise active listening.", start: 0, end: 29))
        #expect(result.tags.map(\.competency).contains("XX-1"))
    }

    @Test("a vocabulary beyond the memory ceiling is refused before it is built, and validate says so")
    func oversizedVocabularyRefused() {
        let entries = VocabularyBudget.maximumEntries + 1
        let framework = Framework(
            id: "huge", title: "Huge", version: "1",
            domains: [
                Domain(
                    id: "XX", name: "Huge", description: "",
                    competencies: [
                        Competency(
                            id: "XX-1", domain: "XX", name: "Huge", description: "",
                            terms: [.english: Array(repeating: Term("word"), count: entries)])
                    ])
            ])
        #expect(
            throws: MatchError.vocabularyTooLarge(
                entries: entries, estimatedMegabytes: (entries * VocabularyBudget.bytesPerEntry) >> 20,
                maximumEntries: VocabularyBudget.maximumEntries)
        ) {
            _ = try Tagger(framework: framework)
        }
        let diagnostics = VocabularyBudget.diagnostics(for: framework, file: "Framework.yaml")
        #expect(diagnostics.map(\.severity) == [.error])
        #expect(VocabularyBudget.diagnostics(for: Self.generated(100), file: "Framework.yaml").isEmpty)
        let warned = VocabularyBudget.diagnostics(
            for: Framework(
                id: "big", title: "Big", version: "1",
                domains: [
                    Domain(
                        id: "XX", name: "Big", description: "",
                        competencies: [
                            Competency(
                                id: "XX-1", domain: "XX", name: "Big", description: "",
                                terms: [
                                    .english: Array(
                                        repeating: Term("word"), count: VocabularyBudget.warningBytes / VocabularyBudget.bytesPerEntry + 1)
                                ])
                        ])
                ]), file: "Framework.yaml")
        #expect(warned.map(\.severity) == [.warning])
    }
}
