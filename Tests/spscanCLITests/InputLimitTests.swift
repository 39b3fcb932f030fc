import Foundation
import SPScanTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Limits that hold while reading: endless standard input, oversized files, devices, and file names that
/// look like options.
@Suite struct InputLimitTests {
    @Test("endless standard input is stopped at the document limit, far under 1 GB of memory", arguments: ["tag", "extract"])
    func endlessStandardInput(command: String) throws {
        let project = try CatalogProject()
        let framework = project.directory.path("Framework.yaml").path
        let result = try MeasuredRun.spscan([command, "-", "--framework", framework], stdin: "/dev/zero")
        #expect(result.exitCode != 0)
        #expect(
            result.stderr.contains("standard input: stopped reading after 64 MB, the limit for one document"), "\(result.stderr)")
        #expect(result.peakBytes < 400_000_000, "peak \(result.peakBytes / 1_000_000) MB")
    }

    @Test("a device named as a file is called a device, not 'permission denied'")
    func device() throws {
        let project = try CatalogProject()
        let tag = try project.run(["tag", "/dev/zero"])
        #expect(tag.exitCode == 2)
        #expect(tag.stderr == "error: /dev/zero is a character device, not a document file; give a file, or `-` to read standard input\n")
        let extract = try project.run(["extract", "/dev/zero"])
        #expect(extract.exitCode == 1)
        #expect(extract.stderr.contains("/dev/zero is a character device, not a document file"), "\(extract.stderr)")
    }

    @Test("a file over the limit is refused by its size before it is read")
    func oversizedFile() throws {
        let project = try CatalogProject()
        let file = project.directory.path("huge.txt")
        // A sparse 200 MB file: its size says it all; reading it whole would cost 200 MB.
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 200_000_000)
        try handle.close()
        let framework = project.directory.path("Framework.yaml").path
        let result = try MeasuredRun.spscan(["tag", file.path, "--framework", framework], stdin: "/dev/null")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("huge.txt is 200 MB, over the 64 MB limit for one document; nothing was read"), "\(result.stderr)")
        // Under the file's 200 MB: reading it whole would cost at least that. The debug binary itself, with the
        // framework and the scope vocabulary loaded, takes 140-160 MB, so a tighter bound measures the build.
        #expect(result.peakBytes < 190_000_000, "peak \(result.peakBytes / 1_000_000) MB")
    }

    @Test("a file name that starts with '-' is not taken for options; `--` passes it")
    func dashFileName() throws {
        let project = try CatalogProject()
        _ = try project.directory.write("<html><body><p>Motivational interviewing with clients.</p></body></html>", to: "-rf.html")
        let misread = try project.run(["extract", "-rf.html"])
        #expect(misread.exitCode == 2)
        #expect(
            misread.stderr
                == "error: '-rf.html' is read as options, but no option is named so; if it is a file, put `--` before it to end the options: spscan extract -- -rf.html\n"
        )
        let passed = try project.run(["extract", "--", "-rf.html"])
        #expect(passed.exitCode == 0, "\(passed.stderr)")
        #expect(passed.stdout.contains("Motivational interviewing"))
    }

    @Test("a robots.txt over 500 KiB is read to 500 KiB, and the command says so")
    func largeRobots() throws {
        let project = try CatalogProject()
        let padding = String(repeating: "# padding line\n", count: 40_000)
        _ = try project.directory.write("User-agent: *\nDisallow: /early\n" + padding + "Disallow: /late\n", to: "robots.txt")
        let result = try project.run(["robots", "--robots", "robots.txt", "https://example.org/late"])
        #expect(result.exitCode == 0)
        #expect(result.stdout == "allowed (no rule matches)\n")
        #expect(
            result.stderr.contains("warning: robots.txt: robots.txt is 600047 bytes; only its first 500 KiB are read"), "\(result.stderr)")
    }

    @Test("the shipped scan (what `make scan` runs, offline) stays far under 1 GB of memory")
    func shippedScanMemory() throws {
        let directory = try TemporaryDirectory()
        for name in ["Sources.yaml", "Framework.yaml", "Corpus"] {
            try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(name), to: directory.path(name))
        }
        let result = try MeasuredRun.spscan(
            [
                "scan", "--offline", "--quiet", "--sources", directory.path("Sources.yaml").path, "--framework",
                directory.path("Framework.yaml").path, "--corpus", directory.path("Corpus").path, "--catalog",
                directory.path(".spscan/catalog.sqlite").path,
            ], stdin: "/dev/null")
        #expect(result.exitCode == 0 || result.exitCode == 1, "\(result.stderr)")
        #expect(result.peakBytes < 1_000_000_000, "peak \(result.peakBytes / 1_000_000) MB")
        print("shipped offline scan: peak \(result.peakBytes / 1_000_000) MB")
    }

    @Test("a FIFO is read as a stream, under the same limit as standard input")
    func fifo() throws {
        let project = try CatalogProject()
        let path = project.directory.path("pipe").path
        #expect(mkfifo(path, 0o600) == 0)
        let writer = Thread {
            let descriptor = open(path, O_WRONLY)
            guard descriptor >= 0 else { return }
            let text = Array("Referral to community groups and social prescribing link workers.\n".utf8)
            _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        writer.start()
        let result = try project.run(["extract", path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("social prescribing link workers"))
    }
}
