import Foundation
import SPScanCoverage
import SPScanModel
import SPScanTestSupport
import Testing

/// A small framework and five hand-made documents whose matrix can be worked out on paper (see each test).
enum Fixtures {
    static let framework = Framework(
        id: "test", title: "Test framework", version: "1",
        domains: [
            Domain(
                id: "AS", name: "Assessment", description: "Finding out what matters.",
                competencies: [
                    Competency(id: "AS-1", domain: "AS", name: "What matters", description: "Asking.", terms: [:]),
                    Competency(id: "AS-2", domain: "AS", name: "Needs", description: "Social needs.", terms: [:]),
                ]),
            Domain(
                id: "CO", name: "Community", description: "Connecting people.",
                competencies: [
                    Competency(id: "CO-1", domain: "CO", name: "Local assets", description: "Mapping.", terms: [:]),
                    Competency(id: "CO-2", domain: "CO", name: "Referral", description: "Handing over.", terms: [:]),
                    Competency(id: "CO-3", domain: "CO", name: "Follow-up", description: "Checking back.", terms: [:]),
                ]),
        ])

    static func tag(_ competency: String, _ score: Double, evidence: [Evidence] = []) -> SPScanModel.Tag {
        SPScanModel.Tag(competency: competency, domain: String(competency.prefix(2)), score: score, evidence: evidence)
    }

    static func document(
        _ id: String, institution: String, type: InstitutionType = .university, country: Country = .canada,
        region: String? = nil, kind: DocumentKind = .training, groups: [TargetGroup] = [.linkWorkers],
        origin: SnapshotOrigin = .capture, title: String? = nil, url: String? = nil, tags: [SPScanModel.Tag]
    ) -> TaggedDocument {
        TaggedDocument(
            id: id, sourceID: id.components(separatedBy: "~")[0], url: url ?? "https://example.org/\(id)",
            title: title ?? "Title of \(id)", country: country, region: region, institution: institution,
            institutionType: type, kind: kind, targetGroups: groups, origin: origin, tags: tags)
    }

    /// Alpha University has two documents, one for link workers and volunteers; Gamma's covers nothing; Delta's
    /// has a tag for a competency the framework does not have.
    static let documents: [TaggedDocument] = [
        document(
            "alpha-guide", institution: "Alpha University", region: "ON", groups: [.linkWorkers, .volunteers],
            tags: [tag("AS-1", 0.9), tag("CO-1", 0.5)]),
        document(
            "alpha-guide~0000abcd", institution: "Alpha University", region: "ON",
            tags: [tag("AS-1", 0.6), tag("AS-2", 0.7)]),
        document(
            "beta-toolkit", institution: "Beta Charity", type: .charity, country: .unitedKingdom, region: "England",
            kind: .guide, groups: [.volunteers], tags: [tag("CO-1", 0.8)]),
        document(
            "gamma-framework", institution: "Gamma Network", type: .network, country: .ireland,
            kind: .competencyFramework, tags: []),
        document(
            "delta-course", institution: "Delta Health", type: .healthSystem, country: .unitedKingdom, region: "Wales",
            groups: [.clinicians], tags: [tag("AS-1", 0.4), tag("ZZ-9", 0.99)]),
    ]
}

/// A light snapshot (STYLE.md #11) through SPScanTestSupport's one implementation: compares text with
/// `Snapshots/<name>.txt` beside this file; `RECORD_SNAPSHOTS=1` re-records them all.
func assertSnapshot(
    _ text: String, named name: String, filePath: String = #filePath, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    let mismatch = Snapshot.mismatch(text, named: name, testFile: filePath)
    #expect(mismatch == nil, "\(mismatch ?? "")", sourceLocation: sourceLocation)
}
