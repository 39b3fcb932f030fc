import Foundation
import SPScanTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `spscan serve` as a user runs it: refusals with exit 2, and a clean exit 0 on SIGTERM after serving.
@Suite struct ServeCommandTests {
    @Test func servingBeyondLoopbackWithoutATokenIsRefused() throws {
        let project = try CatalogProject()
        let result = try CLIRunner.run(["serve", "--host", "0.0.0.0"], in: project.directory.url, environment: ["SPSCAN_TOKEN": ""])
        #expect(result.exitCode == 2)
        #expect(
            result.stderr
                == "error: serving on 0.0.0.0 would let anyone on the network read and review the catalog; "
                + "give --token (or set SPSCAN_TOKEN), or serve on 127.0.0.1\n")
    }

    @Test func aBadIntervalOrAMissingCatalogIsBadInput() throws {
        let project = try CatalogProject()
        let interval = try project.run(["serve", "--scan-every", "often"])
        #expect(interval.exitCode == 2)
        #expect(interval.stderr == "error: --scan-every 'often' is not an interval; write 24h, 12h, 3d, daily or weekly\n")
        let missing = try project.run(["serve", "--port", "0", "--catalog", "nowhere.sqlite"])
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("spscan index"))
    }

    @Test(.timeLimit(.minutes(1)))
    func servesTheJSONOfTheCommandLineAndStopsCleanlyOnSIGTERM() async throws {
        let project = try CatalogProject()
        let server = try ServedProject(arguments: ["--port", "0"], in: project.directory.url)
        defer { server.stopIfRunning() }
        let (process, errors, log) = (server.process, server.errors, server.log)
        let bound = try #require(server.port, "no address in: \(log)")
        func get(_ path: String) async throws -> String {
            let url = try #require(URL(string: "http://127.0.0.1:\(bound)\(path)"))
            let (data, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(path)")
            return String(decoding: data, as: UTF8.self)
        }
        // The same answer, byte for byte, as the command a script would otherwise run.
        let query = try project.run(["query", "IS-5", "--country", "CA", "--format", "json"])
        #expect(try await get("/api/query/IS-5?country=CA") == query.stdout)
        // `matrix` validates the registry too.
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"), to: project.directory.path("Sources.yaml"))
        let matrix = try project.run(["matrix", "--rows", "country", "--cols", "competency", "--format", "json"])
        let served = try await get("/api/matrix?rows=country&cols=competency")
        #expect(served == matrix.stdout, "served:\n\(served)\ncommand:\n\(matrix.stdout)\n\(matrix.stderr)")
        #expect(try await get("/api/scans").contains("\"scans\""))
        let second = try project.run(["serve", "--port", String(bound)])
        #expect(second.exitCode == 2)
        #expect(second.stderr == "error: 127.0.0.1:\(bound) is already in use (another spscan serve?); stop it, or choose another --port\n")

        kill(process.processIdentifier, SIGTERM)
        let rest = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }
        process.waitUntilExit()
        let remaining = String(decoding: await rest.value, as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "stderr: \(log)\(remaining)")
    }

    /// `--scan-every` runs `spscan scan --only` for the due sources in a child process; whatever that scan
    /// answers (here a source on a closed local port, so it cannot succeed) is recorded for the scans page.
    @Test(.timeLimit(.minutes(1)))
    func scanEveryRunsTheDueSourcesAndRecordsTheOutcome() async throws {
        let project = try CatalogProject()
        try """
        sources:
          - id: local-closed
            title: A page on a closed port
            url: http://127.0.0.1:9/course
            country: CA
            institution: Nowhere
            institution_type: network
            kind: training
            target_groups: [link-workers]
        """.write(to: project.directory.path("Sources.yaml"), atomically: true, encoding: .utf8)
        let server = try ServedProject(arguments: ["--port", "0", "--scan-every", "24h", "--quiet"], in: project.directory.url)
        defer { server.stopIfRunning() }
        let (process, errors, log) = (server.process, server.errors, server.log)
        let bound = try #require(server.port, "no address in: \(log)")
        let url = try #require(URL(string: "http://127.0.0.1:\(bound)/api/scans"))
        var lastRun: [String: Any]?
        while lastRun == nil {
            let (data, _) = try await URLSession.shared.data(from: url)
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            lastRun = (json["schedule"] as? [String: Any])?["last_run"] as? [String: Any]
            if lastRun == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(lastRun?["source_ids"] as? [String] == ["local-closed"])
        #expect(lastRun?["succeeded"] as? Bool == false)
        kill(process.processIdentifier, SIGTERM)
        let rest = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }
        process.waitUntilExit()
        _ = await rest.value
        #expect(process.terminationStatus == 0)
    }
}
