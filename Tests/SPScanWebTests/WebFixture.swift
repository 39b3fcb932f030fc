import Foundation
import Hummingbird
import HummingbirdTesting
import SPScanCatalog
import SPScanModel
import SPScanTestSupport
import Testing

@testable import SPScanWeb

/// A project folder with the shipped Framework.yaml and a small catalog written through the catalog's API, as
/// a scan writes it: a Canadian course (captured), a British guide whose title is markup (to prove escaping),
/// and an Irish handbook that is an authored sample (to prove the banner).
struct WebFixture {
    let directory: TemporaryDirectory
    static let day1 = Date(timeIntervalSince1970: 1_763_980_800)

    init() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        try Data("sources: []\n".utf8).write(to: directory.path("Sources.yaml"))
        let catalog = try CatalogDatabase(path: directory.path(".spscan/catalog.sqlite"))
        try catalog.write { writer in
            let scan = try writer.beginScan(startedAt: Self.day1)
            for (source, origin, passages, tags) in Self.documents {
                try writer.upsertSource(source)
                try writer.recordFetchOutcome(scan: scan, sourceID: source.id, url: source.url.absoluteString, outcome: .new)
                try writer.replaceDocument(
                    TaggedDocument(
                        id: source.id, source: source, url: source.url.absoluteString, origin: origin, fetchedAt: Self.day1, tags: tags),
                    passages: passages, textHash: "\(source.id)-1", scan: scan)
            }
            try writer.finishScan(scan, finishedAt: Self.day1.addingTimeInterval(10))
        }
    }

    var settings: WebSettings {
        WebSettings(
            host: "127.0.0.1", port: 0, sources: directory.path("Sources.yaml"), framework: directory.path("Framework.yaml"),
            catalog: directory.path(".spscan/catalog.sqlite"), reviews: directory.path("Reviews.yaml"))
    }

    func application(token: String? = nil, scheduler: ScanScheduler? = nil) throws -> some ApplicationProtocol {
        var settings = self.settings
        settings.token = token
        return try WebServer.application(settings: settings, scheduler: scheduler)
    }

    static func web(_ text: String) -> URL {
        URL(string: text) ?? URL(fileURLWithPath: "/invalid-fixture-url")
    }

    static func passage(_ text: String, heading: String = "") -> Passage {
        Passage(text: text, heading: heading, start: 0, end: text.unicodeScalars.count)
    }

    /// A tag whose evidence marks `term` inside `text`, as the matcher records spans.
    static func tag(_ competency: String, _ score: Double, _ text: String, term: String) -> SPScanModel.Tag {
        let scalars = Array(text.unicodeScalars)
        let termScalars = Array(term.unicodeScalars)
        var start = 0
        for index in 0...(scalars.count - termScalars.count) where Array(scalars[index..<index + termScalars.count]) == termScalars {
            start = index
            break
        }
        let span = Span(start: start, end: start + termScalars.count, term: term)
        return Tag(
            competency: competency, domain: String(competency.prefix(2)), score: score,
            evidence: [
                Evidence(text: text, start: 0, end: scalars.count, heading: "Module 2", terms: [term], spans: [span], score: score)
            ])
    }

    static let documents: [(Source, SnapshotOrigin, [Passage], [SPScanModel.Tag])] = [
        (
            Source(
                id: "ca-course", url: web("https://example.ca/course"), title: "Link worker course", country: .canada, region: "ON",
                institution: "Canadian Institute", institutionType: .network, kind: .training, targetGroups: [.linkWorkers, .volunteers]),
            .capture,
            [
                passage("Motivational interviewing helps people set their own goals.", heading: "Module 2"),
                passage("Referral pathways to community groups <b>and</b> services.", heading: "Module 3"),
            ],
            [
                tag("IS-5", 0.9, "Referral pathways to community groups <b>and</b> services.", term: "community groups"),
                tag("CE-7", 0.6, "Motivational interviewing helps people set their own goals.", term: "Motivational interviewing"),
            ]
        ),
        (
            Source(
                id: "gb-guide", url: web("https://example.org.uk/guide"), title: "<script>alert('guide')</script>",
                country: .unitedKingdom, institution: "National Academy", institutionType: .charity, kind: .guide,
                targetGroups: [.linkWorkers]),
            .capture,
            [passage("Practitioners refer people on to local groups.")],
            [tag("IS-5", 0.7, "Practitioners refer people on to local groups.", term: "refer")]
        ),
        (
            Source(
                id: "ie-handbook", url: web("https://example.ie/handbook"), title: "Volunteer handbook", country: .ireland,
                institution: "Irish Network", institutionType: .charity, kind: .report, targetGroups: [.volunteers]),
            .sample,
            [passage("Volunteers listen and help people name what matters to them.")],
            [tag("CE-7", 0.5, "Volunteers listen and help people name what matters to them.", term: "listen")]
        ),
    ]
}

/// Reads a response body as JSON, failing the test with the body when it is not an object.
func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    let data = Data(buffer: response.body)
    let object = try JSONSerialization.jsonObject(with: data)
    return try #require(object as? [String: Any], "not a JSON object: \(String(decoding: data, as: UTF8.self))")
}

func text(_ response: TestResponse) -> String {
    String(buffer: response.body)
}
