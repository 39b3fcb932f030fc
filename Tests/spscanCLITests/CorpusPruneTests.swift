import Foundation
import SPScanCatalog
import SPScanTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("spscan corpus prune keeps the latest versions and the history, and survives being killed")
struct CorpusPruneTests {
    /// Four scans: a changes every time, b's bytes change outside its main text, c stays the same.
    static func history() throws -> (site: ChangingSite, project: TemporaryDirectory) {
        let site = try ChangingSite()
        let project = try scanProject(Array(site.sources.prefix(3)))
        let steps: [(String, String)] = [
            (Modules.listening, "<footer>Updated 1 November 2026</footer>"),
            (Modules.listening + Modules.interviewing, "<footer>Updated 2 November 2026</footer>"),
            (Modules.listening + Modules.safeguarding, "<footer>Updated 3 November 2026</footer>"),
            (Modules.interviewing + Modules.safeguarding, "<footer>Updated 4 November 2026</footer>"),
        ]
        site.set("c", Modules.directory)
        for (a, footer) in steps {
            site.set("a", a)
            site.set("b", Modules.volunteers + footer)
            let scan = try CLIRunner.run(["scan"], in: project.url)
            #expect(scan.exitCode == 0, "\(scan.stderr)")
        }
        return (site, project)
    }

    static func objects(in project: TemporaryDirectory) -> Set<String> {
        let root = project.path("Corpus/objects")
        var names: Set<String> = []
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
            names.formUnion(files.filter { !$0.hasPrefix(".") })
        }
        return names
    }

    /// What a rebuilt catalog must reproduce, and the diff hunks of a's first two versions.
    static func state(of project: TemporaryDirectory) throws -> (tables: [String: [String]], changes: String, hunks: String) {
        let tables = try CatalogDatabase(path: project.path(".spscan/catalog.sqlite")).contentsByTable()
        let changes = try CLIRunner.run(["changes", "--since", "2000-01-01", "--format", "json"], in: project.url)
        #expect(changes.exitCode == 0, "\(changes.stderr)")
        let diff = try CLIRunner.run(["diff", "a", "--from", "1", "--to", "2", "--format", "json"], in: project.url)
        #expect(diff.exitCode == 0, "\(diff.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any]
        let hunks = try JSONSerialization.data(withJSONObject: object?["hunks"] ?? [], options: [.sortedKeys])
        return (tables, changes.stdout, String(decoding: hunks, as: UTF8.self))
    }

    static func rebuild(_ project: TemporaryDirectory) throws {
        try FileManager.default.removeItem(at: project.path(".spscan"))
        let index = try CLIRunner.run(["index"], in: project.url)
        #expect(index.exitCode == 0, "\(index.stderr)")
    }

    static func copy(_ project: TemporaryDirectory) throws -> TemporaryDirectory {
        let copy = try TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: project.url.path) {
            try FileManager.default.copyItem(at: project.path(name), to: copy.path(name))
        }
        return copy
    }

    @Test("a dry run changes nothing; a prune keeps each URL's latest snapshot, and index rebuilds the same history")
    func pruneKeepsHistory() async throws {
        let (_, project) = try Self.history()
        let before = try Self.state(of: project)
        let allObjects = Self.objects(in: project)
        // a: 4 snapshots, b: 4 (its footer), c: 1.
        #expect(allObjects.count == 9)

        let dry = try CLIRunner.run(["corpus", "prune", "--keep-versions", "1", "--dry-run"], in: project.url)
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Would remove 6 of 9 snapshots"), "\(dry.stdout)")
        #expect(dry.stdout.contains("Dry run: nothing was removed."), "\(dry.stdout)")
        #expect(Self.objects(in: project) == allObjects)

        let prune = try CLIRunner.run(["corpus", "prune", "--keep-versions", "1", "--format", "json"], in: project.url)
        #expect(prune.exitCode == 0, "\(prune.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(prune.stdout.utf8)) as? [String: Any])
        #expect(report["dry_run"] as? Bool == false)
        let problems = try JSONShapes.documented().problems(prune.stdout, shape: "prune")
        #expect(problems.isEmpty, "\(problems)")
        let removed = try #require(report["removed"] as? [[String: Any]])
        #expect(removed.count == 6)
        #expect(Set(removed.compactMap { $0["source_id"] as? String }) == ["a", "b"])
        let left = Self.objects(in: project)
        #expect(left.count == 3)
        #expect(left.isSubset(of: allObjects))
        let removedBytes = try #require(report["bytes"] as? Int)
        #expect(removedBytes > 0 && (report["kept_text_bytes"] as? Int ?? 0) > 0)
        let log = try String(contentsOf: project.path("Corpus/prunes.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(log.count == 2 && log[0].contains("\"step\":\"intent\"") && log[1].contains("\"step\":\"done\""), "\(log)")

        // The history reads the same: from the kept text where the bytes are gone.
        let diff = try CLIRunner.run(["diff", "a", "--from", "1", "--to", "2"], in: project.url)
        #expect(diff.exitCode == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("snapshot pruned"), "\(diff.stdout)")
        #expect(diff.stdout.contains("{+Module 2: Motivational interviewing"), "\(diff.stdout)")
        try Self.rebuild(project)
        let after = try Self.state(of: project)
        for (table, rows) in before.tables.sorted(by: { $0.key < $1.key }) {
            #expect(after.tables[table] == rows, "table \(table) differs after prune and index")
        }
        #expect(after.changes == before.changes)
        #expect(after.hunks == before.hunks)

        // The web page opens the pruned version from its kept text, and says so.
        let server = try ServedProject(arguments: ["--port", "0"], in: project.url)
        defer { server.stopIfRunning() }
        let port = try #require(server.port, "no address in: \(server.log)")
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/documents/a/versions/1"))
        let (data, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let page = String(decoding: data, as: UTF8.self)
        #expect(
            page.contains("This version&#39;s snapshot was pruned on") || page.contains("This version's snapshot was pruned on"), "\(page)")
        #expect(page.contains("Person-centred conversations"), "\(page)")
        let documentURL = try #require(URL(string: "http://127.0.0.1:\(port)/documents/a"))
        let documentPage = String(decoding: try await URLSession.shared.data(from: documentURL).0, as: UTF8.self)
        #expect(documentPage.components(separatedBy: "(pruned; text kept)").count == 4, "\(documentPage)")
        server.stopIfRunning()

        let again = try CLIRunner.run(["corpus", "prune", "--keep-versions", "1"], in: project.url)
        #expect(again.stdout.contains("Nothing to prune (keep-versions 1): 3 snapshots in Corpus/, none old enough."), "\(again.stdout)")
        let scan = try CLIRunner.run(["scan"], in: project.url)
        #expect(scan.exitCode == 0, "\(scan.stderr)")
    }

    @Test("--older-than keeps what was seen since, and bad arguments say what to write")
    func olderThanAndArguments() throws {
        let (_, project) = try Self.history()
        let recent = try CLIRunner.run(["corpus", "prune", "--older-than", "1h", "--dry-run"], in: project.url)
        #expect(recent.stdout.contains("Nothing to prune"), "\(recent.stdout)")
        let future = try CLIRunner.run(["corpus", "prune", "--older-than", "2999-01-01", "--dry-run"], in: project.url)
        #expect(future.stdout.contains("Would remove 6 of 9 snapshots"), "\(future.stdout)")
        let neither = try CLIRunner.run(["corpus", "prune"], in: project.url)
        #expect(neither.exitCode == 2)
        #expect(neither.stderr.contains("say what to keep: --keep-versions N (e.g. 3) or --older-than DURATION"), "\(neither.stderr)")
        let zero = try CLIRunner.run(["corpus", "prune", "--keep-versions", "0"], in: project.url)
        #expect(zero.exitCode == 2 && zero.stderr.contains("use 1 or more"), "\(zero.stderr)")
        let badDate = try CLIRunner.run(["corpus", "prune", "--older-than", "soon"], in: project.url)
        #expect(badDate.exitCode == 2 && badDate.stderr.contains("use e.g. 90d, 6mo, 1y or 2026-01-01"), "\(badDate.stderr)")
        #expect(Self.objects(in: project).count == 9)
    }

    @Test("on a terminal the default is a dry run")
    func terminalDefaultsToDryRun() throws {
        let (_, project) = try Self.history()
        // `script` runs the command with a pseudo-terminal as its standard output, as a person's shell would.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(try CLIRunner.executable.path)' corpus prune --keep-versions 1", "/dev/null"]
        process.currentDirectoryURL = project.url
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let result = (stdout: stdout, stderr: "exit \(process.terminationStatus)")
        #expect(result.stdout.contains("Would remove 6 of 9 snapshots"), "\(result.stdout) \(result.stderr)")
        #expect(Self.objects(in: project).count == 9)
    }

    @Test("killed after each step, the corpus still rebuilds the same history, and the next prune finishes")
    func killedBetweenSteps() throws {
        let (_, original) = try Self.history()
        let before = try Self.state(of: original)
        for step in ["kept", "intent", "first-delete", "deletes"] {
            let project = try Self.copy(original)
            let killed = try CLIRunner.run(
                ["corpus", "prune", "--keep-versions", "1"], in: project.url,
                environment: ["SPSCAN_TEST_PRUNE_STOP_AFTER": step])
            #expect(killed.exitCode == SIGKILL, "\(step): \(killed.exitCode) \(killed.stderr)")
            let removedSoFar = 9 - Self.objects(in: project).count
            #expect(removedSoFar == ["kept": 0, "intent": 0, "first-delete": 1, "deletes": 6][step], "\(step): \(removedSoFar)")

            try Self.rebuild(project)
            let rebuilt = try Self.state(of: project)
            #expect(rebuilt.tables == before.tables, "\(step): the rebuilt catalog differs")
            #expect(rebuilt.changes == before.changes, "\(step)")
            #expect(rebuilt.hunks == before.hunks, "\(step)")

            let rerun = try CLIRunner.run(["corpus", "prune", "--keep-versions", "1"], in: project.url)
            #expect(rerun.exitCode == 0, "\(step): \(rerun.stderr)")
            if step == "first-delete" {
                #expect(rerun.stdout.contains("Finished an interrupted prune: 5 snapshots deleted"), "\(step): \(rerun.stdout)")
            }
            #expect(Self.objects(in: project).count == 3, "\(step)")
            let log = try String(contentsOf: project.path("Corpus/prunes.jsonl"), encoding: .utf8)
            #expect(log.split(separator: "\n").last?.contains("\"step\":\"done\"") == true, "\(step): \(log)")
            try Self.rebuild(project)
            #expect(try Self.state(of: project).tables == before.tables, "\(step): differs after the finished prune")
        }
    }
}
