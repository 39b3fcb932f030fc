import Foundation
import SPScanModel

/// Where a project's files live. Every command takes these four paths so that a test or a second project can
/// point it elsewhere.
public struct ProjectPaths: Sendable, Hashable {
    public var sources: URL
    public var framework: URL
    public var corpus: URL
    public var catalog: URL

    public init(sources: URL, framework: URL, corpus: URL, catalog: URL) {
        self.sources = sources
        self.framework = framework
        self.corpus = corpus
        self.catalog = catalog
    }

    /// The review decisions file lives beside Sources.yaml, so that it travels with the registry in git.
    public var reviews: URL {
        sources.deletingLastPathComponent().appendingPathComponent("Reviews.yaml")
    }

    /// The tagger's quality as `make eval` last measured it for this framework, beside Framework.yaml in Eval/.
    public var taggingQuality: URL {
        framework.deletingLastPathComponent().appendingPathComponent(TaggingQuality.fileName)
    }

    /// The paths as the user wrote them, relative to the working directory where possible.
    public static func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}
