/// Aho-Corasick over token symbols: every pattern of every competency is found in one left-to-right pass,
/// whatever the number of patterns.
///
/// The alphabet is the set of stems that occur in some pattern (a few hundred), so the transition table is
/// dense (`nodes × alphabet` 32-bit states, well under a megabyte for a full framework) and one step is an
/// array read. A token whose stem is in no pattern returns the walk to the root.
struct TokenAutomaton: Sendable {
    private let alphabetSize: Int
    private let transitions: [Int32]
    /// Pattern indices that end at each node, including those reached through failure links.
    private let outputs: [[Int32]]

    /// Builds the automaton for patterns given as symbol sequences (each symbol in `0..<alphabetSize`).
    init(patterns: [[Int32]], alphabetSize: Int) {
        let width = max(alphabetSize, 1)
        var children: [[Int32: Int32]] = [[:]]
        var outputs: [[Int32]] = [[]]
        for (patternIndex, pattern) in patterns.enumerated() {
            var node: Int32 = 0
            for symbol in pattern {
                if let next = children[Int(node)][symbol] {
                    node = next
                } else {
                    let next = Int32(children.count)
                    children.append([:])
                    outputs.append([])
                    children[Int(node)][symbol] = next
                    node = next
                }
            }
            outputs[Int(node)].append(Int32(patternIndex))
        }
        var transitions = [Int32](repeating: 0, count: children.count * width)
        var failure = [Int32](repeating: 0, count: children.count)
        var queue: [Int32] = []
        for (symbol, child) in children[0] {
            transitions[Int(symbol)] = child
            queue.append(child)
        }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            let fallback = Int(failure[node])
            outputs[node] += outputs[fallback]
            for symbol in 0..<width {
                let cell = node * width + symbol
                if let child = children[node][Int32(symbol)] {
                    transitions[cell] = child
                    failure[Int(child)] = transitions[fallback * width + symbol]
                    queue.append(child)
                } else {
                    transitions[cell] = transitions[fallback * width + symbol]
                }
            }
        }
        self.alphabetSize = width
        self.transitions = transitions
        self.outputs = outputs
    }

    /// The state after reading `symbol` from `state`; a negative symbol (a word in no pattern) resets.
    @inline(__always)
    func step(_ state: Int32, _ symbol: Int32) -> Int32 {
        symbol < 0 ? 0 : transitions[Int(state) * alphabetSize + Int(symbol)]
    }

    /// The patterns that end when the walk stands at `state`.
    @inline(__always)
    func matches(at state: Int32) -> [Int32] {
        outputs[Int(state)]
    }

    var nodeCount: Int { outputs.count }
}
