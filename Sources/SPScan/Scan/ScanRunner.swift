import Foundation
import Logging
import SPScanCatalog
import SPScanFetch
import SPScanMatch
import SPScanModel

/// What `spscan scan` was asked to do.
public struct ScanOptions: Sendable, Hashable {
    /// Use the last snapshot of each source; fetch nothing.
    public var offline: Bool
    /// Source ids to scan; empty means every source.
    public var only: [String]
    /// `--allow-private`: allow private, loopback and link-local addresses for every source.
    public var allowPrivate: Bool
    /// `--due`: fetch only the sources whose `schedule:` says they are due (see `DueSources`).
    public var due: Bool

    public init(offline: Bool = false, only: [String] = [], allowPrivate: Bool = false, due: Bool = false) {
        self.offline = offline
        self.only = only
        self.allowPrivate = allowPrivate
        self.due = due
    }
}

/// The state handed from stage to stage: each stage reads what earlier ones left and adds its own part.
public struct ScanContext: Sendable {
    public let paths: ProjectPaths
    public let options: ScanOptions
    public let logger: Logger
    public var registry: Registry?
    /// The sources this run covers (all, or those named by `--only`), in registry order.
    public var sources: [Source] = []
    /// The sources `--due` left out, with when each is due.
    public var notDue: [NotDueSource] = []
    public var store: SnapshotStore?
    /// Held from open-corpus to the end of the run, so that a second scan refuses instead of interleaving.
    public var lock: CorpusLock?
    public var fetched: [SourceFetchResult] = []
    /// Reads followed pages' links during the fetch and keeps their extraction for the extract stage.
    public let linkScanner = LinkScanner()
    /// Complete lines in each covered source's log once fetched: what the scan journal records.
    public var logLines: [String: Int] = [:]
    public var framework: Framework?
    public var catalog: CatalogDatabase?
    /// What the tags are computed with; when it differs from the catalog's, every document is re-tagged.
    public var taggerFingerprint = ""
    public var retagEverything = false
    /// `spscan index`: empty the catalog and refill it from the corpus in one transaction.
    public var rebuildCatalog = false
    public var startedAt = Date()
    /// Snapshots extracted (and then tagged) in this run.
    public var work: [DocumentWork] = []
    public var documentFailures: [DocumentFailure] = []
    /// Snapshots whose same bytes could not be read in an earlier scan: listed, not extracted again.
    public var knownUnreadable: [DocumentFailure] = []
    public var documentCounts = DocumentCounts()
    public var coverage: CoverageSummary?
    /// The scan the index stage recorded, once it has committed.
    public var scanID: ScanID?
    /// What the notify stage's webhooks answered.
    public var notifications: [WebhookDelivery] = []

    public init(paths: ProjectPaths, options: ScanOptions, logger: Logger) {
        self.paths = paths
        self.options = options
        self.logger = logger
    }
}

/// The inputs one stage makes for the later ones: a stage that needs one its pipeline never made fails, naming
/// both stages, instead of quietly doing nothing (a pipeline assembled without `open-corpus` would otherwise
/// "scan" without storing a byte).
public enum ScanInput: String, Sendable, CaseIterable {
    case registry, framework, store, catalog

    /// How a person would call it, and the stage that makes it.
    var description: (name: String, madeBy: String) {
        switch self {
        case .registry: ("the registry (Sources.yaml)", "load-registry")
        case .framework: ("the framework (Framework.yaml)", "load-framework")
        case .store: ("the snapshot store (Corpus/)", "open-corpus")
        case .catalog: ("the catalog", "open-catalog")
        }
    }
}

extension ScanContext {
    /// The input, or `ScanError.missingInput` naming `stage` and the stage that should have made it.
    public func need<Value>(_ input: ScanInput, _ value: Value?, in stage: String) throws(ScanError) -> Value {
        guard let value else {
            throw .missingInput(stage: stage, input: input.description.name, madeBy: input.description.madeBy)
        }
        return value
    }

    public func registry(in stage: String) throws(ScanError) -> Registry { try need(.registry, registry, in: stage) }
    public func framework(in stage: String) throws(ScanError) -> Framework { try need(.framework, framework, in: stage) }
    public func store(in stage: String) throws(ScanError) -> SnapshotStore { try need(.store, store, in: stage) }
    public func catalog(in stage: String) throws(ScanError) -> CatalogDatabase { try need(.catalog, catalog, in: stage) }
}

/// One named step of the scan.
public struct ScanStage: Sendable {
    public let name: String
    public let run: @Sendable (inout ScanContext) async throws -> Void

    public init(_ name: String, run: @escaping @Sendable (inout ScanContext) async throws -> Void) {
        self.name = name
        self.run = run
    }
}

/// The scan as a list of named stages, run in order; the runner logs `[i/n] stage` to standard error and tags
/// an error with the stage it came from.
public enum Pipeline {
    /// The stages of `spscan scan`. The catalog is opened before anything is fetched, so that a `--catalog`
    /// that is not a catalog stops the scan before it costs the sites a request.
    public static let scanStages: [ScanStage] = [
        .loadRegistry, .loadFramework, .openCorpus, .openCatalog, .chooseDue, .fetch, .extract, .tag, .index, .summarise,
        .notify,
    ]

    /// The stages of `spscan index`: every journaled scan replayed from Corpus/ into an emptied catalog.
    public static let indexStages: [ScanStage] = [
        .loadRegistry, .loadFramework, .openCorpus, .openCatalogForRebuild, .replayHistory, .summarise,
    ]

    /// Runs the scan and returns its report; throws only for bad input or a corpus that cannot be used.
    public static func scan(
        paths: ProjectPaths, options: ScanOptions, logger: Logger, stages: [ScanStage] = scanStages
    ) async throws -> ScanReport {
        var context = ScanContext(paths: paths, options: options, logger: logger)
        try await run(stages, on: &context)
        var report = ScanReport(results: context.fetched, offline: options.offline)
        report.documents = context.documentCounts
        report.documentFailures = context.documentFailures
        report.knownUnreadable = context.knownUnreadable
        report.coverage = context.coverage
        report.notDue = context.notDue
        report.notifications = context.notifications
        return report
    }

    /// Rebuilds the catalog from Corpus/, Sources.yaml, Framework.yaml and the review file.
    public static func index(paths: ProjectPaths, logger: Logger) async throws -> IndexReport {
        var context = ScanContext(paths: paths, options: ScanOptions(offline: true), logger: logger)
        try await run(indexStages, on: &context)
        return IndexReport(
            sources: context.sources.count, documents: context.documentCounts, failures: context.documentFailures,
            coverage: context.coverage)
    }

    static func run(_ stages: [ScanStage], on context: inout ScanContext) async throws {
        let logger = context.logger
        for (index, stage) in stages.enumerated() {
            logger.info("[\(index + 1)/\(stages.count)] \(stage.name)")
            let started = ContinuousClock.now
            let startedCPU = StageTime.processCPU()
            do {
                try await stage.run(&context)
                // With --verbose, each stage's wall and CPU time (all threads): what `make bench-fetch` reads to
                // report the stages, and CPU time still means something on a machine shared with other work.
                let elapsed = started.duration(to: .now)
                let cpu = String(format: "%.3f", StageTime.processCPU() - startedCPU)
                logger.debug("stage \(stage.name) took \(StageTime.seconds(elapsed)) s (CPU \(cpu) s)")
            } catch let error as ConfigurationError {
                throw error
            } catch let error as ScanError {
                throw error
            } catch {
                throw ScanError.stageFailed(stage: stage.name, message: (error as? LocalizedError)?.errorDescription ?? "\(error)")
            }
        }
    }
}

extension ScanStage {
    /// Reads and validates Sources.yaml, and picks the sources `--only` names.
    public static let loadRegistry = ScanStage("load-registry") { context in
        let registry = try RegistryLoader.load(from: context.paths.sources, displayPath: ProjectPaths.display(context.paths.sources))
        context.registry = registry
        guard !context.options.only.isEmpty else {
            context.sources = registry.sources
            return
        }
        let unknown = context.options.only.filter { registry.source(id: $0) == nil }
        guard unknown.isEmpty else {
            throw ScanError.unknownSources(unknown, known: registry.sources.map(\.id), file: ProjectPaths.display(context.paths.sources))
        }
        let wanted = Set(context.options.only)
        context.sources = registry.sources.filter { wanted.contains($0.id) }
    }

    /// Takes the corpus lock and opens the snapshot store, clearing what a killed scan left half-written.
    public static let openCorpus = ScanStage("open-corpus") { context in
        context.lock = try ScanError.lockingCorpus(context.paths.corpus)
        let store = try SnapshotStore(corpus: context.paths.corpus)
        store.removeLeftovers()
        context.store = store
    }

    /// Fetches every chosen source into the store (or, offline, stands on the last snapshots).
    public static let fetch = ScanStage("fetch") { context in
        let store = try context.store(in: "fetch")
        let registry = try context.registry(in: "fetch")
        let options = FetchOptions(
            concurrency: registry.defaults.concurrency, allowPrivate: context.options.allowPrivate,
            linkExtractor: context.linkScanner.links)
        let fetcher = Fetcher(store: store, options: options, logger: context.logger)
        context.fetched = await fetcher.fetch(context.sources, offline: context.options.offline)
    }
}

/// A stage's duration as the verbose log prints it: seconds with three decimals.
enum StageTime {
    static func seconds(_ duration: Swift.Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// CPU seconds of the whole process so far, every thread counted.
    static func processCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// Why a scan could not run at all (per-source failures are in the report instead).
public enum ScanError: Error, LocalizedError, Equatable, Sendable {
    case unknownSources([String], known: [String], file: String)
    case corpusLocked(path: String)
    case stageFailed(stage: String, message: String)
    case unreadableInput(path: String, reason: String)
    /// The catalog file is not one (another program's database, an empty file) or cannot be opened.
    case unusableCatalog(message: String)
    /// A stage ran without what an earlier stage makes: the pipeline is assembled wrong (exit 1, a bug to report).
    case missingInput(stage: String, input: String, madeBy: String)

    /// Bad input or configuration: nothing was changed (exit 2).
    public var isBadInput: Bool {
        switch self {
        case .unknownSources, .corpusLocked, .unreadableInput, .unusableCatalog: true
        case .stageFailed, .missingInput: false
        }
    }

    /// Takes the corpus lock, turning "another scan or prune holds it" into bad input (exit 2): nothing was changed.
    static func lockingCorpus(_ corpus: URL) throws -> CorpusLock {
        do {
            return try CorpusLock(corpus: corpus)
        } catch FetchError.corpusLocked(let path) {
            throw ScanError.corpusLocked(path: path)
        }
    }

    /// Opens the catalog, turning a refusal of the file into bad input (exit 2): nothing was changed.
    static func openingCatalog(_ open: () throws -> CatalogDatabase) throws -> CatalogDatabase {
        do {
            return try open()
        } catch let error as CatalogError {
            throw ScanError.unusableCatalog(message: error.errorDescription ?? "\(error)")
        }
    }

    public var errorDescription: String? {
        switch self {
        case .unknownSources(let ids, let known, let file):
            let list = known.prefix(8).joined(separator: ", ") + (known.count > 8 ? ", …" : "")
            return "unknown source id\(ids.count == 1 ? "" : "s") \(ids.map { "'\($0)'" }.joined(separator: ", ")) for --only; "
                + "use ids from \(file) (\(list))"
        case .corpusLocked(let path):
            return FetchError.corpusLocked(path: path).errorDescription
        case .stageFailed(let stage, let message):
            return "scan stopped in the \(stage) stage: \(message)"
        case .unreadableInput(let path, let reason):
            return "cannot read \(path): \(reason); check the path"
        case .unusableCatalog(let message):
            return message
        case .missingInput(let stage, let input, let madeBy):
            return "the \(stage) stage needs \(input), which the \(madeBy) stage makes, but \(madeBy) did not run before it; "
                + "this pipeline is assembled wrong: please report it"
        }
    }
}
