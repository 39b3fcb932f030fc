import Foundation
import SPScanTestSupport
import Testing

@Suite("Progress on standard error")
struct ProgressOutputTests {
    static func offlineProject() throws -> TemporaryDirectory {
        let project = try scanProject([("fine", try #require(URL(string: "https://example.org/fine")))])
        try project.write("<html><body><p>Sample text about link workers.</p></body></html>", to: "Samples/fine.html")
        #expect(try CLIRunner.run(["corpus", "import-samples", "Samples"], in: project.url).exitCode == 0)
        return project
    }

    @Test("in a pipe: one plain line per stage, no timestamps or escape codes; warnings keep their prefix")
    func pipe() throws {
        let project = try Self.offlineProject()
        let scan = try CLIRunner.run(["scan", "--offline"], in: project.url)
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        let lines = scan.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "[1/11] load-registry", "\(scan.stderr)")
        #expect(lines.contains("[6/11] fetch") && lines.contains("[11/11] notify"))
        #expect(!scan.stderr.contains("\u{1B}") && !scan.stderr.contains("\r"))
        #expect(!scan.stderr.contains("info spscan"), "no log-collector prefixes: \(scan.stderr)")
        let verbose = try CLIRunner.run(["scan", "--offline", "--verbose"], in: project.url)
        #expect(verbose.stderr.contains("stage fetch took "), "--verbose times each stage: \(verbose.stderr)")
        let quiet = try CLIRunner.run(["scan", "--offline", "--quiet"], in: project.url)
        #expect(!quiet.stderr.contains("[1/11]"))
    }

    @Test("on a terminal: the stages overwrite one status line, cleared before the summary")
    func terminal() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        try #require(FileManager.default.isExecutableFile(atPath: script.path), "util-linux script gives the scan a real terminal")
        let project = try Self.offlineProject()
        let process = Process()
        process.executableURL = script
        process.currentDirectoryURL = project.url
        process.arguments = ["-qec", "\(try CLIRunner.executable.path) scan --offline", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "80"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let text = String(decoding: data, as: UTF8.self)
        // Each stage is written over the last with a carriage return and a clear-line, never a newline.
        #expect(text.contains("\r\u{1B}[2K[1/11] load-registry\r\u{1B}[2K[2/11] load-framework"), "\(text.debugDescription)")
        #expect(!text.contains("load-registry\n") && !text.contains("load-registry\r\n"))
        // The status line is cleared, then the summary starts on a clean line.
        #expect(text.contains("[11/11] notify\r\u{1B}[2KOffline: no source was fetched"), "\(text.debugDescription)")
    }
}
