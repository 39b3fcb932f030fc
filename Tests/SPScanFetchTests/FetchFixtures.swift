import Foundation
import Logging
import SPScanFetch
import SPScanModel
import SPScanTestSupport

/// A source pointing at a fixture server, with test-sized limits: no politeness delay, quick timeouts.
func testSource(
    _ id: String, _ url: URL, follow: FollowRules? = nil, _ configure: (inout CrawlSettings) -> Void = { _ in }
) -> Source {
    var settings = CrawlSettings(
        userAgent: "spscan-test/1.0", connectTimeout: 5, timeout: 15, lowSpeedLimit: 100, lowSpeedTime: 2,
        maxBodyBytes: 1_000_000, maxDecodedBytes: 2_000_000, politenessDelay: 0, retries: 2, maxRetryAfter: 5,
        allowPrivate: true)
    configure(&settings)
    return Source(
        id: id, url: url, title: id, country: .canada, institution: "Test", institutionType: .network,
        kind: .training, targetGroups: [.linkWorkers], follow: follow, settings: settings)
}

/// A fetcher over a fresh corpus, retrying after a few milliseconds instead of seconds.
struct FetchHarness {
    let directory: TemporaryDirectory
    let store: SnapshotStore
    let fetcher: Fetcher

    init(allowPrivate: Bool = false, linkExtractor: (@Sendable (Data, URL, String?) -> [URL])? = nil) throws {
        directory = try TemporaryDirectory()
        store = try SnapshotStore(corpus: directory.path("Corpus"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        fetcher = Fetcher(
            store: store,
            options: FetchOptions(concurrency: 8, allowPrivate: allowPrivate, retryBaseDelay: 0.02, linkExtractor: linkExtractor),
            logger: logger)
    }

    func fetch(_ sources: Source...) async -> [SourceFetchResult] {
        await fetcher.fetch(sources, offline: false)
    }

    func fetchOne(_ source: Source) async throws -> SourceFetchResult {
        let results = await fetcher.fetch([source], offline: false)
        guard let result = results.first else { throw HarnessError.noResult }
        return result
    }
}

enum HarnessError: Error { case noResult }

/// A tiny href scanner standing in for the Extract stage's links in tests.
let hrefLinks: @Sendable (Data, URL, String?) -> [URL] = { data, base, _ in
    let text = String(decoding: data, as: UTF8.self)
    var links: [URL] = []
    var rest = text[...]
    while let range = rest.range(of: "href=\"") {
        rest = rest[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { break }
        if let url = URL(string: String(rest[..<end]), relativeTo: base)?.absoluteURL { links.append(url) }
        rest = rest[end...]
    }
    return links
}
