/// Aho-Corasick over token symbols: every pattern of every competency is found in one left-to-right pass,
/// whatever the number of patterns.
///
/// The automaton is sparse, so its memory grows with the vocabulary and not with vocabulary × alphabet (a dense
/// node-by-alphabet table needed 26 GB for 200,000 terms): each node's edges sit in one sorted run of two flat
/// arrays, a missing edge follows the node's failure link, and each node points to the nearest node along its
/// failure chain that ends a pattern (its output link), so outputs are stored once. The root alone keeps a dense
/// row over the alphabet, because most steps of a scan start from it (a word followed by a word of no phrase),
/// and that row costs four bytes per distinct stem. About 40 bytes per pattern in all (see `estimatedBytes`).
struct TokenAutomaton: Sendable {
    /// The root's transitions by symbol (0: stay at the root).
    private let rootNext: [Int32]
    /// Node `n`'s edges are `edgeSymbols[edgeStart[n]..<edgeStart[n + 1]]`, sorted, with their targets beside.
    private let edgeStart: [Int32]
    private let edgeSymbols: [Int32]
    private let edgeTargets: [Int32]
    private let failure: [Int32]
    /// Node `n`'s own patterns are `outputPatterns[outputStart[n]..<outputStart[n + 1]]`.
    private let outputStart: [Int32]
    private let outputPatterns: [Int32]
    /// The nearest node along the failure chain that has patterns of its own, or -1.
    private let outputLink: [Int32]

    /// Builds the automaton for patterns given as symbol sequences (each symbol in `0..<alphabetSize`).
    init(patterns: [[Int32]], alphabetSize: Int) {
        // The trie as an edge list: one hash table for every (parent, symbol), not one dictionary per node.
        var edgeIndex: [UInt64: Int32] = [:]
        var parents: [Int32] = []
        var symbols: [Int32] = []
        var children: [Int32] = []
        var ends: [(node: Int32, pattern: Int32)] = []
        var nodeCount: Int32 = 1
        for (patternIndex, pattern) in patterns.enumerated() {
            var node: Int32 = 0
            for symbol in pattern {
                let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: symbol))
                if let next = edgeIndex[key] {
                    node = next
                } else {
                    edgeIndex[key] = nodeCount
                    parents.append(node)
                    symbols.append(symbol)
                    children.append(nodeCount)
                    node = nodeCount
                    nodeCount += 1
                }
            }
            ends.append((node, Int32(patternIndex)))
        }
        edgeIndex = [:]
        let count = Int(nodeCount)

        // Edges sorted by (parent, symbol) into runs per node.
        let order = parents.indices.sorted { parents[$0] != parents[$1] ? parents[$0] < parents[$1] : symbols[$0] < symbols[$1] }
        var edgeStart = [Int32](repeating: 0, count: count + 1)
        for parent in parents { edgeStart[Int(parent) + 1] += 1 }
        for node in 0..<count { edgeStart[node + 1] += edgeStart[node] }
        let edgeSymbols = order.map { symbols[$0] }
        let edgeTargets = order.map { children[$0] }
        parents = []
        symbols = []
        children = []

        var rootNext = [Int32](repeating: 0, count: max(alphabetSize, 1))
        for edge in Int(edgeStart[0])..<Int(edgeStart[1]) { rootNext[Int(edgeSymbols[edge])] = edgeTargets[edge] }

        ends.sort { $0.node != $1.node ? $0.node < $1.node : $0.pattern < $1.pattern }
        var outputStart = [Int32](repeating: 0, count: count + 1)
        for end in ends { outputStart[Int(end.node) + 1] += 1 }
        for node in 0..<count { outputStart[node + 1] += outputStart[node] }

        self.rootNext = rootNext
        self.edgeStart = edgeStart
        self.edgeSymbols = edgeSymbols
        self.edgeTargets = edgeTargets
        self.outputStart = outputStart
        self.outputPatterns = ends.map(\.pattern)

        // Failure and output links, breadth first so that a node's failure is known before its children's.
        var failure = [Int32](repeating: 0, count: count)
        var outputLink = [Int32](repeating: -1, count: count)
        var queue: [Int32] = []
        queue.reserveCapacity(count)
        for edge in Int(edgeStart[0])..<Int(edgeStart[1]) { queue.append(edgeTargets[edge]) }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            for edge in Int(edgeStart[node])..<Int(edgeStart[node + 1]) {
                let child = Int(edgeTargets[edge])
                let symbol = edgeSymbols[edge]
                var fallback = failure[node]
                var target: Int32 = 0
                while true {
                    if fallback == 0 {
                        target = rootNext[Int(symbol)]
                        break
                    }
                    if let next = Self.child(of: fallback, symbol, edgeStart, edgeSymbols, edgeTargets) {
                        target = next
                        break
                    }
                    fallback = failure[Int(fallback)]
                }
                failure[child] = target
                outputLink[child] = outputStart[Int(target) + 1] > outputStart[Int(target)] ? target : outputLink[Int(target)]
                queue.append(Int32(child))
            }
        }
        self.failure = failure
        self.outputLink = outputLink
    }

    /// The child of `node` along `symbol`, if the trie has that edge.
    @inline(__always)
    private static func child(
        of node: Int32, _ symbol: Int32, _ edgeStart: [Int32], _ edgeSymbols: [Int32], _ edgeTargets: [Int32]
    ) -> Int32? {
        var low = Int(edgeStart[Int(node)])
        var high = Int(edgeStart[Int(node) + 1])
        // Most nodes have one or two edges: a short linear scan beats a binary search there.
        if high - low <= 8 {
            while low < high {
                if edgeSymbols[low] == symbol { return edgeTargets[low] }
                low += 1
            }
            return nil
        }
        while low < high {
            let middle = (low + high) / 2
            let found = edgeSymbols[middle]
            if found == symbol { return edgeTargets[middle] }
            if found < symbol { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The state after reading `symbol` from `state`; a negative symbol (a word in no pattern) resets.
    @inline(__always)
    func step(_ state: Int32, _ symbol: Int32) -> Int32 {
        guard symbol >= 0 else { return 0 }
        var node = state
        while node != 0 {
            if let next = Self.child(of: node, symbol, edgeStart, edgeSymbols, edgeTargets) { return next }
            node = failure[Int(node)]
        }
        return rootNext[Int(symbol)]
    }

    /// Calls `body` with each pattern that ends when the walk stands at `state`, longest first.
    @inline(__always)
    func forEachMatch(at state: Int32, _ body: (Int32) -> Void) {
        var node = outputStart[Int(state) + 1] > outputStart[Int(state)] ? state : outputLink[Int(state)]
        while node > 0 {
            for index in Int(outputStart[Int(node)])..<Int(outputStart[Int(node) + 1]) { body(outputPatterns[index]) }
            node = outputLink[Int(node)]
        }
    }

    /// The patterns that end at `state` (for tests and tools; the scanner uses `forEachMatch`).
    func matches(at state: Int32) -> [Int32] {
        var found: [Int32] = []
        forEachMatch(at: state) { found.append($0) }
        return found
    }

    var nodeCount: Int { failure.count }

    /// The bytes the automaton's arrays hold.
    var byteCount: Int {
        4
            * (rootNext.count + edgeStart.count + edgeSymbols.count + edgeTargets.count + failure.count + outputStart.count
                + outputPatterns.count + outputLink.count)
    }
}
