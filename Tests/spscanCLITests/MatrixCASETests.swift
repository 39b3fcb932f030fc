import Foundation
import SPScanTestSupport
import Testing

/// `spscan matrix --format case`: the tags as CASE associations, valid against 1EdTech's schema.
@Suite("spscan matrix --format case")
struct MatrixCASETests {
    func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for name in ["Framework.yaml", "Sources.yaml"] {
            try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(name), to: directory.path(name))
        }
        try directory.write(MatrixCommandTests.documentsJSON, to: "documents.json")
        try directory.write(
            """
            reviews:
              - document: alpha
                competency: IS-1
                decision: accept
                reviewer: Ana
                date: 2026-11-30T10:00:00Z
            """, to: "Reviews.yaml")
        return directory
    }

    @Test("each tag is an isRelatedTo association from the document's URL to its competency, with score and review")
    func alignments() throws {
        let directory = try project()
        let arguments = ["matrix", "--documents", "documents.json", "--format", "case", "--output", "alignments.json"]
        let result = try CLIRunner.run(arguments, in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let file = directory.path("alignments.json")
        #expect(try CASESchema.problems(in: file) == [])
        let first = try Data(contentsOf: file)
        #expect(try CLIRunner.run(arguments, in: directory.url).exitCode == 0)
        #expect(try Data(contentsOf: file) == first)

        let package = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
        let associations = try #require(package["CFAssociations"] as? [[String: Any]])
        let related = associations.filter { $0["associationType"] as? String == "isRelatedTo" }
        #expect(related.count == 2)
        let alpha = try #require(
            related.first { ($0["originNodeURI"] as? [String: Any])?["uri"] as? String == "https://example.org/alpha" })
        let origin = try #require(alpha["originNodeURI"] as? [String: Any])
        #expect(origin["targetType"] as? String == "ext:webpage")
        #expect(origin["title"] as? String == "Alpha <script>x</script>")
        #expect((alpha["destinationNodeURI"] as? [String: Any])?["title"] as? String == "Person-centred conversations")
        #expect(alpha["notes"] as? String == "score 0.90; reviewed: accepted by Ana on 2026-11-30")
        let beta = try #require(related.first { ($0["originNodeURI"] as? [String: Any])?["uri"] as? String == "https://example.org/beta" })
        #expect(beta["notes"] as? String == "score 0.50; not reviewed")
    }

    @Test("--gaps has no CASE form")
    func gaps() throws {
        let directory = try project()
        let result = try CLIRunner.run(["matrix", "--documents", "documents.json", "--format", "case", "--gaps"], in: directory.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--gaps has no CASE form"))
    }
}
