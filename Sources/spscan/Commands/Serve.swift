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

            --scan-every makes the server the scheduler: each source on its own `schedule:` from Sources.yaml, \
            the others at this interval. Each due scan runs as `spscan scan --only ...` in a child process, so \
            it takes the same run lock as a scan from a terminal and a crash in it cannot take the page down; \
            one scan at a time. SIGTERM or Ctrl-C stops the server cleanly; a running scan is stopped and \
            leaves no partial file (every write is all or nothing).

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
            framework: paths.framework, catalog: paths.catalog, reviews: paths.reviews, corpus: paths.corpus)
        var scheduler: ScanScheduler?
        if let scanEvery {
            guard let every = Schedule(spelling: scanEvery) else {
                throw CommandProblem.badInput("--scan-every '\(scanEvery)' is not an interval; write 24h, 12h, 3d, daily or weekly")
            }
            let (registry, _) = try ProjectValidator.load(paths)
            // The clock starts at each source's last capture in the corpus, as for `spscan scan --due`: a source
            // that has only an authored sample is due at once.
            let lastCaptures = try DueSources.lastCaptures(of: registry.sources, corpus: paths.corpus)
            scheduler = ScanScheduler(
                sources: registry.sources, every: every.interval, lastRuns: lastCaptures,
                scan: ScanCommand.function(
                    executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                    arguments: [
                        "scan", "--sources", paths.sources.path, "--framework", paths.framework.path, "--corpus", paths.corpus.path,
                        "--catalog", paths.catalog.path,
                    ]))
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
