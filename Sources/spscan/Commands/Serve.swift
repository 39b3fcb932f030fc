import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel
import SPScanWeb

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web page and JSON API on 127.0.0.1; optionally scan on a schedule.",
        discussion: """
            Open the address it prints in a browser: the coverage matrix with filters, each competency with its \
            best evidence, each document with its history and review buttons, the scans and a search box. The \
            JSON API under /api/ answers with the shapes of --format json.

            Any address other than loopback needs a token (--token or SPSCAN_TOKEN): scripts send \
            'Authorization: Bearer TOKEN', people log in once at /login.

            --scan-every runs scans in this process: each source on its own `schedule:` from Sources.yaml, the \
            others at this interval; one scan at a time, never at the same time as `spscan scan`. SIGTERM or \
            Ctrl-C stops the server cleanly, after the write in progress.

            Examples:
              spscan serve
              spscan serve --port 8080 --scan-every 24h
              SPSCAN_TOKEN=s3cret spscan serve --host 0.0.0.0
            """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("The address to listen on; anything but loopback needs --token.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one.", valueName: "number"))
    var port = 8080

    @Option(help: ArgumentHelp("Require this token on every request (default: $SPSCAN_TOKEN).", valueName: "token"))
    var token: String?

    @Option(
        name: .customLong("scan-every"),
        help: ArgumentHelp("Scan sources without their own schedule this often: 24h, 12h, 3d, daily, weekly.", valueName: "interval"))
    var scanEvery: String?

    func run() async throws {
        let logger = project.bootstrapLogging()
        let paths = project.paths
        let settings = WebSettings(
            host: host, port: port, token: token ?? ProcessInfo.processInfo.environment["SPSCAN_TOKEN"], sources: paths.sources,
            framework: paths.framework, catalog: paths.catalog, reviews: paths.reviews)
        var scheduler: ScanScheduler?
        if let scanEvery {
            guard let every = Schedule(spelling: scanEvery) else {
                throw CommandProblem.badInput("--scan-every '\(scanEvery)' is not an interval; write 24h, 12h, 3d, daily or weekly")
            }
            let (registry, _) = try ProjectValidator.load(paths)
            let documents = try CatalogAccess.open(paths).taggedDocuments(filter: .all, evidence: .none)
            scheduler = ScanScheduler(
                sources: registry.sources, every: every.interval, lastRuns: ScanScheduler.lastRuns(of: documents),
                scan: ScheduledScan.command(paths: paths))
        }
        do {
            try await WebServer.run(settings: settings, scheduler: scheduler, logger: logger) { [host] port in
                printError("spscan serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (Ctrl-C stops)")
            }
        } catch let error as WebError {
            throw CommandProblem.badInput(error.localizedDescription)
        } catch let error as CatalogError {
            throw CommandProblem.badInput(error.localizedDescription)
        }
    }
}

/// The scheduled scan: `spscan scan --only IDS` in a child process, with this command's project paths.
///
/// Running the command itself means a scheduled scan takes the same run lock, writes the same files and exits
/// with the same codes as one started from a terminal or cron; when SIGTERM stops the server, the child gets
/// SIGTERM too and finishes its current write.
enum ScheduledScan {
    static func command(paths: ProjectPaths) -> ScanFunction {
        { request in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            process.arguments =
                [
                    "scan", "--sources", paths.sources.path, "--framework", paths.framework.path, "--corpus", paths.corpus.path,
                    "--catalog", paths.catalog.path, "--only",
                ] + request.sourceIDs
            process.standardOutput = FileHandle.nullDevice
            let status: Int32 = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do {
                        try process.run()
                    } catch {
                        process.terminationHandler = nil
                        continuation.resume(throwing: error)
                    }
                }
            } onCancel: {
                if process.isRunning { process.terminate() }
            }
            let sources = request.sourceIDs.count == 1 ? "1 source" : "\(request.sourceIDs.count) sources"
            switch status {
            case 0: return ScanRunResult(summary: "scanned \(sources)", succeeded: true)
            case 1: return ScanRunResult(summary: "scanned \(sources); some failed (exit 1; see `spscan changes`)", succeeded: false)
            default:
                return ScanRunResult(summary: "scan of \(sources) refused its input (exit \(status)); see the server log", succeeded: false)
            }
        }
    }
}
