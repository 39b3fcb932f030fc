import Testing

@testable import SPScanMatch

@Suite("Word cache")
struct WordCacheTests {
    @Test("finds what was stored through growth, and nothing else")
    func storesAndGrows() {
        var cache = WordCache<Int32>()
        let words = (0..<5000).map { Array("word\($0)".utf8) }
        for (index, word) in words.enumerated() {
            #expect(cache.value(for: word, hash: WordCache<Int32>.hash(word)) == nil)
            cache.insert(word, hash: WordCache<Int32>.hash(word), value: Int32(index))
        }
        #expect(cache.count == 5000)
        for (index, word) in words.enumerated() {
            #expect(cache.value(for: word, hash: WordCache<Int32>.hash(word)) == Int32(index))
        }
        let other = Array("word5000".utf8)
        #expect(cache.value(for: other, hash: WordCache<Int32>.hash(other)) == nil)
    }

    @Test("equal hashes with different bytes stay apart")
    func collisions() {
        var cache = WordCache<Int32>()
        let first = Array("alpha".utf8)
        let second = Array("omega".utf8)
        cache.insert(first, hash: 7, value: 1)
        cache.insert(second, hash: 7, value: 2)
        #expect(cache.value(for: first, hash: 7) == 1)
        #expect(cache.value(for: second, hash: 7) == 2)
        #expect(cache.value(for: Array("alphb".utf8), hash: 7) == nil)
    }

    @Test("starts afresh at capacity, so memory stays bounded")
    func bounded() {
        var cache = WordCache<Int32>(capacity: 100)
        for index in 0..<250 {
            let word = Array("w\(index)".utf8)
            cache.insert(word, hash: WordCache<Int32>.hash(word), value: Int32(index))
        }
        #expect(cache.count == 50)
        let recent = Array("w249".utf8)
        #expect(cache.value(for: recent, hash: WordCache<Int32>.hash(recent)) == 249)
    }
}
