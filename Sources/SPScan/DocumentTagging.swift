import Foundation
import SPScanMatch
import SPScanModel

/// `spscan tag` and `spscan framework terms` as library calls, so that the commands stay thin.
public enum DocumentTagging {
    /// The tags of one document, with the competency names a person needs to read them.
    public struct Outcome: Sendable {
        public var result: TaggingResult
        /// Competency id → name, from the framework used.
        public var names: [String: String]
    }

    /// Loads the framework, reads the document at `path` (`-` for standard input) and tags it.
    public static func tag(path: String, language: Language?, framework: URL) throws -> Outcome {
        // The document first: a file refused for its size or kind is refused at once, before the framework's
        // automaton (the larger cost) is built for nothing.
        let document = try DocumentLoader.load(path: path, language: language)
        let tagger = try tagger(framework: framework)
        let names = Dictionary(tagger.framework.competencies.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return Outcome(result: tagger.tag(document), names: names)
    }

    /// Every compiled term of the framework, per competency.
    public static func compiledTerms(framework: URL) throws -> [CompiledTermList] {
        try tagger(framework: framework).compiledTerms()
    }

    static func tagger(framework url: URL) throws -> Tagger {
        let framework = try FrameworkLoader.load(from: url, displayPath: ProjectPaths.display(url))
        return try Tagger(framework: framework, frameworkURL: url)
    }
}
