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
