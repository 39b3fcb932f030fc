import Foundation
import SPScanMatch
import SPScanModel

/// `spscan tag` and `spscan framework terms` as library calls, so that the commands stay thin.
public enum DocumentTagging {
    /// Loads the framework, reads the document at `path` (`-` for standard input) and tags it.
    public static func tag(path: String, language: Language?, framework: URL) throws -> TaggingResult {
        let tagger = try tagger(framework: framework)
        let document = try DocumentLoader.load(path: path, language: language)
        return tagger.tag(document)
    }

    /// Every compiled term of the framework, per competency.
    public static func compiledTerms(framework: URL) throws -> [CompiledTermList] {
        try tagger(framework: framework).compiledTerms()
    }

    static func tagger(framework url: URL) throws -> Tagger {
        let framework = try FrameworkLoader.load(from: url, displayPath: ProjectPaths.display(url))
        return try Tagger(framework: framework)
    }
}
