import Foundation
import Logging
import SPScanFetch
import SPScanModel

/// A document fetched once for `spscan extract URL`, through the same fetcher a scan uses (URL policy,
/// robots.txt, limits, retries), into a throw-away corpus so that nothing is added to the project's.
public enum RemoteDocument {
    public struct Fetched: Sendable {
        public var data: Data
        public var contentType: String?
        public var finalURL: URL
    }

    public enum FetchFailure: Error, LocalizedError, Equatable {
        case notFetched(url: String, outcome: String, reason: String)

        public var errorDescription: String? {
            switch self {
            case .notFetched(let url, let outcome, let reason): "\(url): \(outcome): \(reason)"
            }
        }
    }

    public static func fetch(
        _ url: URL, settings: CrawlSettings = CrawlSettings(), allowPrivate: Bool = false, logger: Logger
    ) async throws -> Fetched {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spscan-extract-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SnapshotStore(corpus: folder)
        let source = Source(
            id: "url", url: url, title: url.absoluteString, country: .canada, institution: "-", institutionType: .network,
            kind: .guide, targetGroups: [.linkWorkers], settings: settings)
        let fetcher = Fetcher(store: store, options: FetchOptions(allowPrivate: allowPrivate), logger: logger)
        guard let result = await fetcher.fetch([source], offline: false).first else {
            throw FetchFailure.notFetched(url: url.absoluteString, outcome: "failed", reason: "nothing was fetched")
        }
        guard let record = result.records.first, let sha256 = record.sha256 else {
            throw FetchFailure.notFetched(
                url: url.absoluteString, outcome: result.outcome.rawValue, reason: result.error ?? "no body was received")
        }
        return Fetched(
            data: try store.data(sha256: sha256), contentType: record.contentType,
            finalURL: URL(string: record.finalURL ?? record.url) ?? url)
    }
}
