import CStemmer
import Testing

@Suite("CStemmer system library")
struct CStemmerLinkTests {
    func stem(_ word: String, language: String) throws -> String {
        let stemmer = try #require(sb_stemmer_new(language, "UTF_8"))
        defer { sb_stemmer_delete(stemmer) }
        let bytes = Array(word.utf8)
        let result = try #require(sb_stemmer_stem(stemmer, bytes, Int32(bytes.count)))
        let length = Int(sb_stemmer_length(stemmer))
        return String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
    }

    @Test("stems English and French with Snowball")
    func stemsBothLanguages() throws {
        #expect(try stem("connecting", language: "english") == "connect")
        #expect(try stem("connections", language: "english") == "connect")
        let plural = try stem("bénévoles", language: "french")
        #expect(plural == (try stem("bénévole", language: "french")))
    }

    @Test("an unknown language is refused, not crashed on")
    func unknownLanguage() {
        #expect(sb_stemmer_new("klingon", "UTF_8") == nil)
    }
}
