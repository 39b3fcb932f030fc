import Foundation

/// Everything that can stop the matcher from being built. Tagging itself never fails: a passage that matches
/// nothing simply has no tags.
public enum MatchError: Error, LocalizedError, Equatable, Sendable {
    /// libstemmer on this machine lacks a language's algorithm.
    case stemmerUnavailable(language: String)
    /// A vocabulary entry normalises to nothing (only punctuation or one-letter words).
    case emptyTerm(competency: String, language: String, term: String)
    /// The vocabulary would cost more memory than one command may use (see `VocabularyBudget`).
    case vocabularyTooLarge(entries: Int, estimatedMegabytes: Int, maximumEntries: Int)
    /// `Framework.learned.json` cannot be read.
    case unreadableModel(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .stemmerUnavailable(let language):
            "the Snowball stemmer for '\(language)' is missing from libstemmer; reinstall libstemmer-dev (scripts/install-deps)"
        case .emptyTerm(let competency, let language, let term):
            "Framework.yaml: competency \(competency) \(language) term '\(term)' has no word the matcher can use; "
                + "write at least one word of two or more letters, or remove it"
        case .vocabularyTooLarge(let entries, let megabytes, let maximum):
            "Framework.yaml: the vocabulary has \(entries) terms, which would need about \(megabytes) MB to match; "
                + "spscan builds at most \(maximum) terms; remove terms or split the framework"
        case .unreadableModel(let path, let reason):
            "\(path): the learned model cannot be read (\(reason)); regenerate it with `make model`, or delete it to tag "
                + "with the vocabulary alone"
        }
    }
}
