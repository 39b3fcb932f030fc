import Foundation
import SPScanTestSupport
import Testing

/// `spscan serve` options of the hardening: generated tokens, the scan interval's minimum, and listen addresses.
@Suite struct ServeHardeningCommandTests {
    @Test func generateTokenPrintsALongRandomTokenAndExits() throws {
        let first = try CLIRunner.run(["serve", "--generate-token"])
        let second = try CLIRunner.run(["serve", "--generate-token"])
        #expect(first.exitCode == 0)
        let token = first.stdout.trimmingCharacters(in: .newlines)
        #expect(token.count == 43)
        #expect(token != second.stdout.trimmingCharacters(in: .newlines))
    }

    @Test func aShortTokenOrAScanIntervalUnderTheMinimumIsRefused() throws {
        let project = try CatalogProject()
        let short = try project.run(["serve", "--port", "0", "--token", "x"])
        #expect(short.exitCode == 2)
        #expect(short.stderr.contains("the token has 1 character; use at least 16"), "\(short.stderr)")
        let often = try project.run(["serve", "--port", "0", "--scan-every", "1ms"])
        #expect(often.exitCode == 2)
        #expect(
            often.stderr
                == "error: --scan-every '1ms' is shorter than the minimum of 10 minutes between scheduled scans; write 10m, 24h, daily or weekly\n"
        )
    }

    @Test func anAddressThatIsNotThisMachinesIsACleanRefusal() throws {
        let project = try CatalogProject()
        let result = try project.run(["serve", "--port", "0", "--host", "no-such-host.invalid", "--token", "a-token-long-enough-1"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.hasPrefix("error: cannot listen on no-such-host.invalid:0: "), "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(1)))
    func aBracketedIPv6LoopbackListensOrSaysWhyNot() async throws {
        let project = try CatalogProject()
        let process = Process()
        process.executableURL = try CLIRunner.executable
        process.arguments = ["serve", "--port", "0", "--host", "[::1]"]
        process.currentDirectoryURL = project.directory.url
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var log = ""
        while !log.contains("spscan serve: listening on") && !log.contains("error:") {
            let chunk = errors.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            log += String(decoding: chunk, as: UTF8.self)
        }
        if log.contains("spscan serve: listening on http://[::1]:") {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        } else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            #expect(process.terminationStatus == 2)
            #expect(log.contains("error: cannot listen on [::1]:0: "), "\(log)")
        }
    }
}
