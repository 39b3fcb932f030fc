import Foundation
import SPScanModel
import Testing

@testable import SPScanMatch

@Suite("Tagging only the languages the framework has terms in")
struct LanguageTaggingTests {
    let tagger: Tagger

    init() throws {
        tagger = try Tagger(framework: TestFramework.make())
    }

    func document(_ text: String, _ language: Language, passageLanguage: Language? = nil) -> ExtractedDocument {
        let passage = Passage(
            text: text, heading: "", start: 0, end: text.unicodeScalars.count, language: passageLanguage ?? language)
        return ExtractedDocument(title: nil, language: language, format: .text, text: text, passages: [passage])
    }

    @Test("a document in a language without vocabulary gets no tags and a named outcome, not another language's terms")
    func otherLanguage() {
        // "écoute active" is a French term of AA-1; the same words in a Spanish document must not count.
        let result = tagger.tag(document("Taller de écoute active y rapport", .spanish))
        #expect(result.tags.isEmpty)
        #expect(result.outcome == .otherLanguage)
        #expect(result.reason == "in Spanish; the framework has no Spanish vocabulary (it has English and French)")
    }

    @Test("an undetermined document is read with the framework's first language")
    func undetermined() {
        let result = tagger.tag(document("Active listening", .undetermined))
        #expect(result.outcome == .matched)
        #expect(result.language == .undetermined)
        #expect(result.nearMisses.map(\.competency) + result.tags.map(\.competency) == ["AA-1"])
    }

    @Test("an undetermined passage takes its document's language; a passage in another language finds nothing")
    func passageLanguages() {
        let french = tagger.tag(document("Écoute active", .french, passageLanguage: .undetermined))
        #expect((french.tags + french.nearMisses).map(\.competency) == ["AA-1"])
        let german = tagger.tag(document("active listening rapport", .english, passageLanguage: .german))
        #expect(german.outcome == .matched)
        #expect(german.tags.isEmpty && german.nearMisses.isEmpty)
    }

    @Test("the vocabulary languages are those with terms; a framework may add Spanish and Spanish is then tagged")
    func spanishVocabulary() throws {
        var framework = TestFramework.make()
        #expect(framework.vocabularyLanguages == [.english, .french])
        framework.domains[0].competencies[0].terms[.spanish] = [Term("escucha activa", weight: 2)]
        #expect(framework.vocabularyLanguages == [.english, .french, .spanish])
        let spanish = try Tagger(framework: framework)
        let result = spanish.tag(document("El taller enseña la escucha activa.", .spanish))
        #expect(result.outcome == .matched)
        #expect(result.tags.map(\.competency) == ["AA-1"])
    }
}
