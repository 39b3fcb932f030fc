import Foundation
import SPScanCatalog
import SPScanModel

/// A decision to record, as `spscan review` and the web page's buttons (or `POST /api/reviews`) ask for it.
public struct ReviewRequest: Sendable, Hashable {
    public var document: String
    public var competency: String
    /// Nil removes the decision on this tag (`spscan review DOC COMP --clear`), so that the tagger decides again.
    public var verdict: ReviewDecision.Verdict?
    public var note: String?
    public var reviewer: String?

    public init(document: String, competency: String, verdict: ReviewDecision.Verdict?, note: String? = nil, reviewer: String? = nil) {
        self.document = document
        self.competency = competency
        self.verdict = verdict
        self.note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        self.reviewer = reviewer.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }
}

/// What recording (or clearing) a decision did: the command prints it, the API answers it.
public struct ReviewOutcome: Sendable, Hashable, Codable {
    /// The decision now in force on the tag; nil after a clear.
    public var decision: ReviewDecision?
    /// The decision this one replaced or removed, if any.
    public var previous: ReviewDecision?
    public var document: String
    public var competency: String
    public var competencyName: String
    /// Whether the tag counted (in queries, the matrix, reports) before this decision, and whether it does now.
    public var countedBefore: Bool
    public var countsNow: Bool
    /// The review file, as the user named it.
    public var writtenTo: String

    /// Every key is written, `decision` and `previous` as null when there is none, so that a script reads one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decision, forKey: .decision)
        try container.encode(previous, forKey: .previous)
        try container.encode(document, forKey: .document)
        try container.encode(competency, forKey: .competency)
        try container.encode(competencyName, forKey: .competencyName)
        try container.encode(countedBefore, forKey: .countedBefore)
        try container.encode(countsNow, forKey: .countsNow)
        try container.encode(writtenTo, forKey: .writtenTo)
    }
}

/// Why a decision could not be recorded; nothing was written.
public enum ReviewError: Error, LocalizedError, Equatable, Sendable {
    case unknownCompetency(String, closest: [String])
    /// `near`: ids of the same source or spelt alike; `known`: every id when the catalog has only a few.
    case unknownDocument(String, near: [String], known: [String])
    case nothingToClear(document: String, competency: String)
    case locked(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unknownCompetency(let id, let closest):
            "unknown competency '\(id)'; Framework.yaml has \(closest.joined(separator: ", "))\(closest.count >= 5 ? ", …" : "")"
        case .unknownDocument(let id, let near, let known):
            if !near.isEmpty {
                "unknown document '\(id)' in the catalog; did you mean \(near.joined(separator: ", "))?"
            } else if !known.isEmpty {
                "unknown document '\(id)' in the catalog; the catalog has \(known.joined(separator: ", "))"
            } else {
                "unknown document '\(id)' in the catalog; `spscan query COMPETENCY` and `spscan search TEXT` show document ids"
            }
        case .nothingToClear(let document, let competency):
            "there is no decision on '\(document)' \(competency) to clear; Reviews.yaml has none for this tag"
        case .locked(let path, let reason):
            "cannot lock \(path): \(reason); check that its folder is writable"
        }
    }
}

extension ReviewError: ClassifiedError {
    public var isBadInput: Bool {
        switch self {
        case .unknownCompetency, .unknownDocument, .nothingToClear: true
        case .locked: false
        }
    }
}

/// Review decisions, the one way both front ends record them: checked against the framework and the catalog,
/// merged into Reviews.yaml under an advisory file lock, and applied to the catalog from the file.
///
/// The lock (`flock` on `Reviews.yaml.lock`) is taken by every writer, whichever process it runs in: a
/// `spscan review` from a terminal and the server's review buttons each read, merge and write the file whole,
/// and without one lock around the three steps, one of two decisions made together would be lost. The catalog
/// then takes the file's set of decisions, so that it agrees with the file whoever wrote last.
public enum Reviews {
    public static func record(
        _ request: ReviewRequest, file: URL, framework: Framework, catalog: CatalogDatabase, displayPath: String? = nil,
        now: Date = Date()
    ) throws -> ReviewOutcome {
        if request.competency == ReviewDecision.scopeSubject {
            return try recordScope(request, file: file, catalog: catalog, displayPath: displayPath, now: now)
        }
        guard let competency = framework.competency(id: request.competency) else {
            let ids = framework.competencies.map(\.id)
            throw ReviewError.unknownCompetency(request.competency, closest: FilterValue.closest(to: request.competency, among: ids))
        }
        let detail = try reviewedDocument(request.document, in: catalog)
        let display = displayPath ?? ProjectPaths.display(file)
        return try withLock(file) {
            let (decision, previous) = try apply(
                request, subject: competency.id, to: detail.document.id, file: file, display: display, catalog: catalog, now: now)
            let countedBefore = detail.document.tags.contains { $0.competency == competency.id }
            let countsNow = try catalog.document(id: detail.document.id)?.document.tags.contains { $0.competency == competency.id } ?? false
            return ReviewOutcome(
                decision: decision, previous: previous, document: detail.document.id, competency: competency.id,
                competencyName: competency.name, countedBefore: countedBefore, countsNow: countsNow, writtenTo: display)
        }
    }

    /// The catalog's document a review names, or an error with the closest ids.
    static func reviewedDocument(_ id: String, in catalog: CatalogDatabase) throws -> DocumentDetail {
        guard let detail = try catalog.document(id: id) else {
            let ids = try catalog.documentIDs()
            throw ReviewError.unknownDocument(id, near: nearDocuments(id, ids), known: ids.count <= 20 ? ids : [])
        }
        return detail
    }

    /// Records or clears one decision on `subject` (a competency id, or the scope) in Reviews.yaml and the
    /// catalog; the caller holds the file lock. Returns the decision made (nil when cleared) and the one it replaced.
    static func apply(
        _ request: ReviewRequest, subject: String, to documentID: String, file: URL, display: String, catalog: CatalogDatabase,
        now: Date
    ) throws -> (decision: ReviewDecision?, previous: ReviewDecision?) {
        let existing = try ReviewFile.load(from: file, displayPath: display)
        let previous = existing.first {
            $0.documentID == documentID && $0.competency.caseInsensitiveCompare(subject) == .orderedSame
        }
        var decisions = existing
        var decision: ReviewDecision?
        if let verdict = request.verdict {
            let made = ReviewDecision(
                documentID: documentID, competency: subject, verdict: verdict, note: request.note, reviewer: request.reviewer,
                decidedAt: now)
            decisions = ReviewFile.merging(made, into: existing)
            decision = made
        } else {
            guard let previous else { throw ReviewError.nothingToClear(document: documentID, competency: subject) }
            decisions.removeAll { $0 == previous }
        }
        try ReviewFile.write(decisions, to: file)
        try catalog.replaceReviews(decisions)
        return (decision, previous)
    }

    /// A decision on a document's scope (`accept` in, `reject` out, nil clears it): the same file, lock and
    /// catalog update as a decision on a tag.
    static func recordScope(
        _ request: ReviewRequest, file: URL, catalog: CatalogDatabase, displayPath: String?, now: Date
    ) throws -> ReviewOutcome {
        let detail = try reviewedDocument(request.document, in: catalog)
        let display = displayPath ?? ProjectPaths.display(file)
        return try withLock(file) {
            let (decision, previous) = try apply(
                request, subject: ReviewDecision.scopeSubject, to: detail.document.id, file: file, display: display, catalog: catalog,
                now: now)
            let countsNow = try catalog.document(id: detail.document.id)?.document.inScope ?? detail.document.inScope
            return ReviewOutcome(
                decision: decision, previous: previous, document: detail.document.id, competency: ReviewDecision.scopeSubject,
                competencyName: "document scope", countedBefore: detail.document.inScope, countsNow: countsNow,
                writtenTo: display)
        }
    }

    /// Runs `body` holding the exclusive advisory lock of `file` (`<file>.lock` beside it), waiting for another
    /// holder to finish. The lock goes with the process: a killed writer never leaves it held.
    public static func withLock<T>(_ file: URL, _ body: () throws -> T) throws -> T {
        let lockPath = file.path + ".lock"
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReviewError.locked(path: ProjectPaths.display(URL(fileURLWithPath: lockPath)), reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw ReviewError.locked(
                    path: ProjectPaths.display(URL(fileURLWithPath: lockPath)), reason: String(cString: strerror(errno)))
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Who decides when `--reviewer` is not given: git's `user.name`, as a commit would name them; nil without git.
    public static func defaultReviewer(in directory: URL? = nil) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "config", "user.name"]
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }

    /// Document ids close to a mistyped one: those of the same source, or that the id begins with.
    static func nearDocuments(_ id: String, _ ids: [String]) -> [String] {
        let prefix = id.split(separator: "~").first.map(String.init) ?? id
        return Array(ids.filter { $0.hasPrefix(prefix) || id.hasPrefix($0) }.prefix(10))
    }
}
