/// Word bytes → lexicon symbol, looked up without making a string.
///
/// Every word of every passage goes through this table, so it avoids what a `[String: Int32]` costs per word
/// (building a String, seeding and finalising SipHash): FNV-1a over the bytes, open addressing with linear
/// probing, and the keys stored end to end in one byte array. Hash flooding is not a concern here because a
/// slow lookup only slows the tagging of the document that contains it.
struct WordCache<Value> {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var keyStarts: [Int] = []
    private var keyLengths: [Int] = []
    private var values: [Value] = []
    private var keyBytes: [UInt8] = []
    private var mask: Int
    /// Distinct words kept; past it the cache starts afresh, so that memory stays bounded on huge corpora.
    let capacity: Int

    init(capacity: Int = 200_000) {
        self.capacity = capacity
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { values.count }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The symbol stored for `word`, if any; `hash` must be `WordCache.hash(word)`.
    func value(for word: [UInt8], hash: UInt64) -> Value? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if hashes[entry] == hash, keyLengths[entry] == word.count, matches(entry, word) { return values[entry] }
            slot = (slot + 1) & mask
        }
    }

    private func matches(_ entry: Int, _ word: [UInt8]) -> Bool {
        let start = keyStarts[entry]
        for offset in 0..<word.count where keyBytes[start + offset] != word[offset] { return false }
        return true
    }

    /// Stores a word not yet in the table.
    mutating func insert(_ word: [UInt8], hash: UInt64, value: Value) {
        if values.count >= capacity { removeAll() }
        if (values.count + 1) * 2 > slots.count { grow() }
        let entry = Int32(values.count)
        hashes.append(hash)
        keyStarts.append(keyBytes.count)
        keyLengths.append(word.count)
        keyBytes.append(contentsOf: word)
        values.append(value)
        place(entry, hash: hash)
    }

    private mutating func place(_ entry: Int32, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<values.count { place(Int32(entry), hash: hashes[entry]) }
    }

    private mutating func removeAll() {
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
        hashes.removeAll(keepingCapacity: true)
        keyStarts.removeAll(keepingCapacity: true)
        keyLengths.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        keyBytes.removeAll(keepingCapacity: true)
    }
}
