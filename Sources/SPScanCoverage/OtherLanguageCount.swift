import SPScanModel

/// The documents in a language the framework has no terms in: never tagged, so a coverage figure says nothing
/// about them, and the scan summary and the report say how many there are.
public struct OtherLanguageCount: Sendable, Hashable, Encodable {
    /// Language code → documents, e.g. `["es": 2]`.
    public var byLanguage: [String: Int]
    public var total: Int

    public init(documents: [TaggedDocument], framework: Framework) {
        var counts: [String: Int] = [:]
        // A framework with no terms at all (imported from CASE, say) tags nothing: no language is "another" then.
        let languages = framework.vocabularyLanguages
        for document in documents
        where !languages.isEmpty && document.language != .undetermined && !languages.contains(document.language) {
            counts[document.language.rawValue, default: 0] += 1
        }
        byLanguage = counts
        total = counts.values.reduce(0, +)
    }

    /// "3 documents are in a language the framework has no terms in (Spanish 2, German 1): they are not tagged."
    public var sentence: String {
        let parts = Language.allCases.compactMap { language in
            byLanguage[language.rawValue].map { "\(language.name) \($0)" }
        }
        let subject = total == 1 ? "1 document is" : "\(total) documents are"
        return "\(subject) in a language the framework has no terms in (\(parts.joined(separator: ", "))): "
            + (total == 1 ? "it is" : "they are") + " not tagged."
    }

    enum CodingKeys: String, CodingKey {
        case total
        case byLanguage = "by_language"
    }
}
