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

            Any address other than loopback needs a token (--token or SPSCAN_TOKEN) of at least 16 characters; \
            --generate-token prints a new random one. Scripts send 'Authorization: Bearer TOKEN', people log in \
            once at /login. The server answers only to its own address (and localhost on loopback) and to the \
            names given with --allowed-host, so that a page elsewhere cannot reach it through DNS rebinding.

            --scan-every makes the server the scheduler: each source on its own `schedule:` from Sources.yaml, \
            the others at this interval. Each due scan runs as `spscan scan --only ...` in a child process, so \
            it takes the same run lock as a scan from a terminal and a crash in it cannot take the page down; \
            one scan at a time. SIGTERM or Ctrl-C stops the server cleanly; a running scan is stopped and \
            leaves no partial file (every write is all or nothing).

            Examples:
              spscan serve
              spscan serve --port 8080 --scan-every 24h
              SPSCAN_TOKEN=$(spscan serve --generate-token) spscan serve --host 0.0.0.0 --allowed-host spscan.example.org
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
        name: .customLong("allowed-host"),
        help: ArgumentHelp(
            "Also answer requests for this host name (a DNS name or reverse proxy in front); .example.org allows every name under it. Repeatable.",
            valueName: "name"))
    var allowedHosts: [String] = []

    @Flag(help: "Print a new random token for --token or SPSCAN_TOKEN, and exit.")
    var generateToken = false

    @Option(
        name: .customLong("scan-every"),
        help: ArgumentHelp("Scan sources without their own schedule this often: 24h, 12h, 3d, daily, weekly.", valueName: "interval"))
    var scanEvery: String?

    func run() async throws {
        if generateToken {
            print(WebSettings.generateToken())
            return
        }
        let logger = project.bootstrapLogging()
        let paths = project.paths
        let settings = WebSettings(
            host: host, port: port, token: token ?? ProcessInfo.processInfo.environment["SPSCAN_TOKEN"], allowedHosts: allowedHosts,
            sources: paths.sources, framework: paths.framework, catalog: paths.catalog, reviews: paths.reviews, corpus: paths.corpus)
        var scheduler: ScanScheduler?
        if let scanEvery {
            guard let every = Schedule(spelling: scanEvery) else {
                throw CommandProblem.badInput("--scan-every '\(scanEvery)' is not an interval; write 24h, 12h, 3d, daily or weekly")
            }
            guard every.interval >= ScanScheduler.minimumInterval else {
                throw CommandProblem.badInput(
                    "--scan-every '\(scanEvery)' is shorter than the minimum of \(Int(ScanScheduler.minimumInterval / 60)) minutes between scheduled scans; write 10m, 24h, daily or weekly"
                )
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
        try await WebServer.run(settings: settings, scheduler: scheduler, logger: logger) { [urlHost = settings.urlHost] port in
            printError("spscan serve: listening on http://\(urlHost):\(port)/ (Ctrl-C stops)")
        }
    }
}
