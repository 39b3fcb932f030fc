import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `spscan review` from a terminal and the server's review endpoint write the same Reviews.yaml: under the file
/// lock, decisions made at the same time are all kept.
@Suite struct ReviewConcurrencyTests {
    @Test(.timeLimit(.minutes(3)))
    func reviewsFromTheCommandLineAndTheServerAtOnceAreAllKept() async throws {
        let project = try CatalogProject()
        let server = try ServedProject(arguments: ["--port", "0"], in: project.directory.url)
        defer { server.stopIfRunning() }
        let (process, log) = (server.process, server.log)
        let bound = try #require(server.port, "no address in: \(log)")
        let framework = try FrameworkLoader.load(from: project.directory.path("Framework.yaml"))
        let competencies = framework.competencies.map(\.id)
        let rounds = min(10, competencies.count)

        // The server's decisions on one document, the command line's on the other, interleaved.
        let served = Task {
            var statuses: [Int] = []
            for competency in competencies.prefix(rounds) {
                var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(bound)/api/reviews")))
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                // A state-changing request must come from the page itself (same origin) or carry the token.
                request.setValue("http://127.0.0.1:\(bound)", forHTTPHeaderField: "Origin")
                request.httpBody = Data(
                    #"{"document": "gb-guide", "competency": "\#(competency)", "decision": "reject", "reviewer": "web"}"#.utf8)
                let (_, response) = try await URLSession.shared.data(for: request)
                statuses.append((response as? HTTPURLResponse)?.statusCode ?? 0)
            }
            return statuses
        }
        for competency in competencies.prefix(rounds) {
            let result = try project.run(["review", "ca-course", competency, "--accept", "--reviewer", "cli"])
            #expect(result.exitCode == 0, "\(result.stderr)")
        }
        #expect(try await served.value == Array(repeating: 201, count: rounds))

        let decisions = try ReviewFile.load(from: project.directory.path("Reviews.yaml"))
        #expect(decisions.count == 2 * rounds)
        #expect(decisions.filter { $0.documentID == "ca-course" && $0.reviewer == "cli" }.count == rounds)
        #expect(decisions.filter { $0.documentID == "gb-guide" && $0.reviewer == "web" }.count == rounds)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
