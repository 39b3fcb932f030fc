import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SPScan
import SPScanCatalog
import SPScanCoverage
import SPScanModel
import ServiceLifecycle

/// `spscan serve`: the pages and the JSON API over one project's catalog and framework.
public enum WebServer {
    /// Serves until SIGTERM or SIGINT, then stops accepting, lets the answers in progress and the scheduler's
    /// current write finish, and returns.
    public static func run(
        settings: WebSettings, scheduler: ScanScheduler? = nil, logger: Logger = Logger(label: "spscan.serve"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let application = try application(settings: settings, scheduler: scheduler, logger: logger, onRunning: onRunning)
        do {
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw WebError.addressInUse(host: settings.host, port: settings.port)
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
            throw WebError.cannotListen(host: settings.host, port: settings.port, reason: "this machine has no such address")
        } catch is SocketAddressError, is SocketAddressError.UnknownHost {
            throw WebError.cannotListen(
                host: settings.host, port: settings.port, reason: "not an address, nor a name this machine resolves")
        }
    }

    /// Builds the server for `settings`, with `scheduler` (if any) running beside it in the same service group.
    ///
    /// Opens the catalog (which must exist: serving an empty one would answer every question with nothing) and
    /// reads Framework.yaml once; `onRunning` receives the port bound, which differs from the one asked when
    /// that was 0.
    public static func application(
        settings: WebSettings, scheduler: ScanScheduler? = nil, logger: Logger = Logger(label: "spscan.serve"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        try settings.check()
        let framework = try FrameworkLoader.load(from: settings.framework, displayPath: settings.framework.lastPathComponent)
        let database = try CatalogDatabase.openExisting(path: settings.catalog)
        let site = Site(
            framework: framework, catalog: CatalogView(database: database, path: settings.catalog),
            reviewsFile: settings.reviews, scheduler: scheduler, corpus: settings.corpus)
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(
            middleware: AccessMiddleware(
                token: settings.token, hosts: HostPolicy(bound: settings.bindHost, port: settings.port, allowed: settings.allowedHosts),
                logins: LoginLimiter()))
        site.addRoutes(to: router)
        site.addHistoryRoutes(to: router)
        MethodGuard.answerOtherMethods(on: router)
        let connections = ConnectionTable(limit: settings.limits.maxConnections)
        let limits = settings.limits
        return Application(
            router: router,
            server: .http1(
                configuration: HTTP1Channel.Configuration(
                    additionalChannelHandlers: [ConnectionGuard(table: connections, limits: limits)], idleTimeout: nil)),
            configuration: ApplicationConfiguration(address: .hostname(settings.bindHost, port: settings.port), serverName: "spscan"),
            services: [PageWarmer(site: site) as any Service] + (scheduler.map { [$0] } ?? []),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }
}

/// The routes, over what they read.
struct Site: Sendable {
    let framework: Framework
    let catalog: CatalogView
    /// Reviews.yaml, written through `Reviews.record` as `spscan review` writes it.
    let reviewsFile: URL
    let scheduler: ScanScheduler?
    let corpus: URL?

    func addRoutes(to router: Router<WebRequestContext>) {
        router.get("/api/matrix") { request, _ in try matrixJSON(FormQuery(request.uri.query)) }
        router.get("/api/query/:competency") { request, context in
            try queryJSON(context.parameters.get("competency") ?? "", FormQuery(request.uri.query))
        }
        router.get("/api/search") { request, _ in
            let form = FormQuery(request.uri.query)
            guard let text = form.first("q") else {
                throw WebError.missingParameter(name: "q", example: "/api/search?q=motivational+interviewing")
            }
            let (filter, hits) = try search(text, form)
            return try Reply.json(SearchAnswer(query: text, filter: filter, hits: hits))
        }
        router.get("/api/documents/:id") { _, context in
            try Reply.json(try document(context.parameters.get("id") ?? ""))
        }
        router.get("/api/scans") { _, _ in
            try Reply.json(
                ScansResponse(
                    scans: try catalog.database.scans(), schedule: await scheduler?.status(),
                    changes: try catalog.database.changes(since: nil)))
        }
        router.post("/api/reviews") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let input: ReviewInput
            do {
                input = try JSONStyle.decoder().decode(ReviewInput.self, from: Data(buffer: body))
            } catch {
                throw WebError.badBody(reason: Self.reason(error), example: ReviewInput.example)
            }
            return try Reply.json(try record(input), status: .created)
        }

        router.get("/") { request, _ in
            let parameters = try MatrixParameters(FormQuery(request.uri.query), known: try catalog.vocabulary())
            return Reply.html(
                Pages.matrix(
                    try matrix(parameters), parameters: parameters, regions: try catalog.regions(), sample: try catalog.hasSamples(),
                    schedule: await scheduler?.status()))
        }
        router.get("/gaps") { request, _ in
            let parameters = try MatrixParameters(FormQuery(request.uri.query), known: try catalog.vocabulary())
            let gaps = try gapsInput(parameters)
            return Reply.html(
                Pages.gaps(
                    gaps.report, nearMisses: gaps.nearMisses, parameters: parameters, documents: gaps.documents,
                    regions: try catalog.regions(), sample: try catalog.hasSamples()))
        }
        router.get("/download/:file") { request, context in
            try download(context.parameters.get("file") ?? "", FormQuery(request.uri.query))
        }
        router.get("/competencies") { request, _ in
            let form = FormQuery(request.uri.query)
            let filter = try form.filter(known: try catalog.vocabulary())
            let matrix = try catalog.kept("competencies|" + filter.key) { documents in
                CoverageMatrix.build(documents: filter.apply(documents), framework: framework, rows: .country, columns: .competency)
            }
            return Reply.html(
                Pages.competencies(
                    framework, coverage: matrix, filter: filter, regions: try catalog.regions(), sample: try catalog.hasSamples()))
        }
        router.get("/competencies/:id") { request, context in
            let asked = context.parameters.get("id") ?? ""
            // A name or a fragment ("volunteers", "ce7") opens the competency it names, at its own address.
            switch CompetencyLookup.find(asked, in: framework) {
            case .found(let competency, _) where competency.id != asked:
                return Reply.redirect(to: "/competencies/\(Pages.path(competency.id))" + (request.uri.query.map { "?" + $0 } ?? ""))
            case .ambiguous(let candidates), .notFound(let candidates):
                return Reply.html(
                    Pages.competencyChoice(asked, candidates: candidates, sample: try catalog.hasSamples()), status: .notFound)
            case .found:
                break
            }
            let form = FormQuery(request.uri.query)
            let (competency, filter) = try queryRequest(asked, form)
            let includeOutOfScope = form.first("scope") == "all"
            // Only the hits the page lists are read; the counts cover the rest.
            let page = try catalog.database.query(
                competency: competency.id, filter: filter, scope: includeOutOfScope ? .all : .inScope, limit: Pages.listLimit)
            let returnTo = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Reply.html(
                Pages.competency(
                    competency, domain: framework.domain(id: competency.domain), filter: filter, page: page,
                    regions: try catalog.regions(), sample: try catalog.hasSamples(), returnTo: returnTo,
                    reviewer: Self.reviewer(request), rejected: try rejected(competency, filter: filter),
                    includeOutOfScope: includeOutOfScope))
        }
        router.get("/out-of-scope") { _, _ in
            Reply.html(Pages.outOfScope(try catalog.documents().filter { !$0.inScope }, sample: try catalog.hasSamples()))
        }
        router.get("/documents/:id") { request, context in
            let detail = try document(context.parameters.get("id") ?? "")
            return Reply.html(
                Pages.document(
                    detail, framework: framework, sample: try catalog.hasSamples(), pruned: prunedSnapshots(of: detail),
                    reviewer: Self.reviewer(request)))
        }
        router.post("/reviewer") { request, _ in
            let form = FormQuery(String(buffer: try await request.body.collect(upTo: 16 * 1024)))
            var response = Reply.redirect(to: LocalRedirect.path(form.first("return")) ?? "/")
            let name = (form.first("reviewer") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            response.setCookie(
                Cookie(
                    name: Self.reviewerCookie, value: Self.cookieEncoded(String(name.prefix(80))), maxAge: name.isEmpty ? 0 : 31_536_000,
                    path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("/scans") { _, _ in
            let now = Date()
            let upcoming = await scheduler?.dueTimes(now: now)
            // What the catalog says is kept per catalog version; the schedule is the clock's and read each time.
            let history = try scansInput()
            return Reply.html(
                Pages.scans(
                    history.scans, schedule: await scheduler?.status(), changes: history.changes, sample: try catalog.hasSamples(),
                    chart: history.chart, upcoming: upcoming.map { SchedulePlan.summary(of: $0, now: now) }))
        }
        // State-changing: AccessMiddleware has checked the Origin or the token before this runs.
        router.post("/scans/run") { _, _ in
            guard let scheduler else {
                throw WebError.badParameter(
                    name: "scan", value: "now", allowed: "a server started with --scan-every (this one runs no scans)")
            }
            await scheduler.startNow()
            return Reply.redirect(to: "/scans")
        }
        router.get("/search") { request, _ in
            let form = FormQuery(request.uri.query)
            let text = form.first("q") ?? ""
            if text.isEmpty {
                return Reply.html(
                    Pages.search(
                        query: "", filter: DocumentFilter(), hits: nil, regions: try catalog.regions(), sample: try catalog.hasSamples()))
            }
            let (filter, hits) = try catalog.kept("search|" + form.key) { _ in try search(text, form) }
            return Reply.html(
                Pages.search(
                    query: text, filter: filter, hits: hits, competencies: CompetencyLookup.matches(text, in: framework),
                    regions: try catalog.regions(), sample: try catalog.hasSamples()))
        }
        router.post("/reviews") { request, _ in
            let form = FormQuery(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
            let input = ReviewInput(
                document: form.first("document") ?? "", competency: form.first("competency"), decision: form.first("decision"),
                scope: form.first("scope"), note: form.first("note"), reviewer: form.first("reviewer") ?? Self.reviewer(request))
            let recorded = try record(input)
            return Reply.redirect(to: LocalRedirect.path(form.first("return")) ?? "/documents/\(Pages.path(recorded.document))")
        }
        router.get("/login") { _, _ in Reply.html(Pages.login(failed: false)) }
        // POST /login is answered by AccessMiddleware, which owns the token.
    }

    // MARK: Reads shared by pages and API

    /// The gaps page's figures for `parameters`, kept per catalog version.
    func gapsInput(_ parameters: MatrixParameters) throws -> GapsPageInput {
        try catalog.kept("gaps|" + parameters.key) { documents in
            let report = CoverageOutput.gaps(
                documents: documents, framework: framework, rows: parameters.rows, columns: parameters.columns,
                filter: parameters.filter)
            let selected = parameters.filter.apply(documents)
            let nearMisses = report.gaps.prefix(Pages.gapLimit).map {
                Gaps.nearMisses(for: $0, rows: parameters.rows, documents: selected, framework: framework)
            }
            return GapsPageInput(report: report, nearMisses: nearMisses, documents: selected.count)
        }
    }

    /// The scans page's figures (the scans, the latest changes, the chart over time), kept per catalog version.
    func scansInput() throws -> ScansPageInput {
        try catalog.kept("scans") { _ in
            ScansPageInput(
                scans: try catalog.database.scans(), changes: try catalog.database.changes(since: nil), chart: try coverageChart())
        }
    }

    /// Makes what the first pages a person opens need (the default matrix and gaps, the competencies, the scans)
    /// for the current catalog, so that the first visitor after a scan does not wait for them (the scans page
    /// took a second at 10,000 documents). Cheap when nothing changed: each is already kept.
    func warm() {
        guard let parameters = try? MatrixParameters(FormQuery(nil), known: try catalog.vocabulary()) else { return }
        _ = try? matrix(parameters)
        _ = try? gapsInput(parameters)
        _ = try? scansInput()
    }

    func matrix(_ parameters: MatrixParameters) throws -> CoverageMatrix {
        try catalog.kept("matrix-value|" + parameters.key) { documents in
            CoverageMatrix.build(
                documents: parameters.filter.apply(documents), framework: framework, rows: parameters.rows,
                columns: parameters.columns, value: parameters.value)
        }
    }

    /// The JSON of `spscan matrix --format json`, kept per request until the catalog changes.
    func matrixJSON(_ form: FormQuery) throws -> Response {
        let parameters = try MatrixParameters(form, known: try catalog.vocabulary())
        let data = try catalog.rendered("matrix|" + parameters.key) { documents in
            var request = MatrixRequest(
                rows: parameters.rows, columns: parameters.columns, value: parameters.value, format: .json, filter: parameters.filter)
            request.stamp = try ScanStamp(catalog: catalog.database)
            return try CoverageOutput.matrix(documents: documents, framework: framework, request: request).data
        }
        return Reply.json(data)
    }

    /// `/download/matrix.csv`, `/download/gaps.xlsx`…: exactly what the page shows with the same choices and filters,
    /// through the one door of `spscan matrix --output`, provenance included.
    func download(_ file: String, _ form: FormQuery) throws -> Response {
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        let downloadable: [ExportFormat] = [.csv, .xlsx, .md, .json, .html]
        // `alignments.case.json`: the tags as CASE associations, as `spscan matrix --format case` writes them.
        if file == "alignments.case.json" { return try alignmentsDownload(form) }
        guard parts.count == 2, ["matrix", "gaps"].contains(parts[0]),
            let format = ExportFormat(rawValue: parts[1].lowercased()), downloadable.contains(format)
        else {
            throw WebError.badParameter(
                name: "download", value: file,
                allowed: "matrix or gaps, as .csv, .xlsx, .md, .json or .html (e.g. /download/gaps.xlsx), or alignments.case.json")
        }
        let parameters = try MatrixParameters(form, known: try catalog.vocabulary())
        var request = MatrixRequest(
            rows: parameters.rows, columns: parameters.columns, value: parameters.value, format: format,
            gapsOnly: parts[0] == "gaps", filter: parameters.filter)
        request.stamp = try ScanStamp(catalog: catalog.database)
        let output = try CoverageOutput.matrix(
            documents: try catalog.documents(), framework: framework, request: request, reviews: try catalog.database.reviews())
        let name = "spscan-\(parts[0])-\(parameters.rows.rawValue)-\(parameters.columns.rawValue).\(format.rawValue)"
        return Reply.download(output.data, name: name, type: Self.contentType(format))
    }

    /// The filtered documents' tags as a CASE package of associations, with each tag's review decision from
    /// Reviews.yaml, so that a CASE tool shows which trainings align to which competency.
    func alignmentsDownload(_ form: FormQuery) throws -> Response {
        let parameters = try MatrixParameters(form, known: try catalog.vocabulary())
        let reviews = try ReviewFile.load(from: reviewsFile, displayPath: reviewsFile.lastPathComponent)
        let request = MatrixRequest(
            rows: parameters.rows, columns: parameters.columns, value: parameters.value, format: .case, filter: parameters.filter)
        let output = try CoverageOutput.matrix(documents: try catalog.documents(), framework: framework, request: request, reviews: reviews)
        return Reply.download(output.data, name: "spscan-alignments.case.json", type: Self.contentType(.case))
    }

    static func contentType(_ format: ExportFormat) -> String {
        switch format {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .md: "text/markdown; charset=utf-8"
        case .json, .case: "application/json; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .table: "text/plain; charset=utf-8"
        }
    }

    /// The JSON of `spscan query ID --format json`, kept per competency and filter until the catalog changes:
    /// reading and encoding a popular competency's evidence costs more than all the rest of a request.
    func queryJSON(_ id: String, _ form: FormQuery) throws -> Response {
        let (competency, filter) = try queryRequest(id, form)
        let everything = form.first("scope") == "all"
        let data = try catalog.rendered("query|\(competency.id)|\(filter.key)|\(everything)") { _ in
            let all = try catalog.database.query(competency: competency.id, filter: filter)
            let hits = everything ? all : all.filter(\.inScope)
            return try Reply.encode(
                QueryAnswer(competency: competency, filter: filter, hits: hits, leftOutOfScope: all.count - hits.count))
        }
        return Reply.json(data)
    }

    /// The competency and filter asked for, each checked: a refusal comes before any read.
    func queryRequest(_ id: String, _ form: FormQuery) throws -> (Competency, DocumentFilter) {
        let competency: Competency
        do {
            competency = try CompetencyLookup.resolve(id, in: framework).0
        } catch {
            throw WebError.unknownCompetency(error)
        }
        return (competency, try form.filter(known: try catalog.vocabulary()))
    }

    func search(_ text: String, _ form: FormQuery) throws -> (DocumentFilter, [SearchHit]) {
        let filter = try form.filter(known: try catalog.vocabulary())
        var limit = 20
        if let text = form.first("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw WebError.badParameter(name: "limit", value: text, allowed: "a number from 1 to 500")
            }
            limit = value
        }
        do {
            return (filter, try catalog.database.search(text: text, filter: filter, limit: limit))
        } catch CatalogError.emptySearch {
            throw WebError.badParameter(name: "q", value: text, allowed: "at least one word with a letter or digit")
        }
    }

    func document(_ id: String) throws -> DocumentDetail {
        guard let detail = try catalog.database.document(id: id) else { throw WebError.unknownDocument(id) }
        return detail
    }

    func record(_ input: ReviewInput) throws -> ReviewOutcome {
        let outcome = try Reviews.record(
            try input.request(), file: reviewsFile, framework: framework, catalog: catalog.database,
            displayPath: reviewsFile.lastPathComponent)
        catalog.invalidate()
        return outcome
    }

    /// The name this browser reviews under (`POST /reviewer` sets it).
    static let reviewerCookie = "spscan_reviewer"

    static func reviewer(_ request: Request) -> String? {
        guard let value = request.cookies[reviewerCookie]?.value, let name = value.removingPercentEncoding, !name.isEmpty else {
            return nil
        }
        return name
    }

    /// Cookie values take a narrow set of characters; a name may have spaces, commas and accents.
    static func cookieEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The documents whose tag for `competency` a reviewer rejected, under `filter`, with their titles.
    func rejected(_ competency: Competency, filter: DocumentFilter) throws -> [(ReviewDecision, String)] {
        let decisions = try ReviewFile.load(from: reviewsFile, displayPath: reviewsFile.lastPathComponent).filter {
            $0.verdict == .reject && $0.competency.caseInsensitiveCompare(competency.id) == .orderedSame
        }
        return try decisions.compactMap { decision in
            guard let detail = try catalog.database.document(id: decision.documentID), filter.admits(detail.document) else { return nil }
            return (decision, detail.document.title)
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" is not a string"
        default: "not JSON"
        }
    }
}

/// What the gaps page shows that depends on the catalog alone, kept per catalog version.
struct GapsPageInput: Sendable {
    var report: GapReport
    var nearMisses: [[NearMiss]]
    var documents: Int
}

/// What the scans page shows that depends on the catalog alone, kept per catalog version.
struct ScansPageInput: Sendable {
    var scans: [ScanSummary]
    var changes: ChangeReport
    var chart: String
}

/// Keeps the first pages' inputs made for the catalog as it is: every two seconds it asks for them, which does
/// nothing until a scan or a review changes the catalog, and then makes them before a person asks.
struct PageWarmer: Service {
    let site: Site

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                site.warm()
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }
}
