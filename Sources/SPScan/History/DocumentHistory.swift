import Foundation
import SPScanCatalog
import SPScanExtract
import SPScanFetch
import SPScanModel

/// One version of a document's text: a scan in which its extracted text was new or changed.
public struct DocumentVersion: Hashable, Sendable, Codable {
    /// 1 for the first version, counting up: what `spscan diff --from 2` and the web page call it.
    public var number: Int
    public var scan: ScanID
    public var scanStartedAt: Date?
    public var snapshotSHA256: String?
    public var textHash: String
    public var fetchedAt: Date?
    public var passageCount: Int
    /// When `spscan corpus prune` removed the version's snapshot (its extracted text is kept); nil while the
    /// snapshot is in Corpus/.
    public var prunedAt: Date?

    enum CodingKeys: String, CodingKey {
        case prunedAt = "pruned_at"
        case number
        case scan
        case scanStartedAt = "scan_started_at"
        case snapshotSHA256 = "snapshot_sha256"
        case textHash = "text_hash"
        case fetchedAt = "fetched_at"
        case passageCount = "passage_count"
    }
}

/// What changed in a document's text between two versions.
public struct DocumentDiff: Hashable, Sendable {
    public var documentID: String
    public var title: String
    public var url: String
    public var from: DocumentVersion
    public var to: DocumentVersion
    public var diff: TextDiff

    /// The words are the same although the stored text differs: only the layout moved (line breaks, the
    /// split into paragraphs or passages).
    public var layoutOnly: Bool { diff.isEmpty && from.textHash != to.textHash }

    /// When a snapshot newer than `to` was fetched whose main text is the same as `to`'s: the page's bytes
    /// changed (a date, a counter, a banner) but not its words, so it made no version. Nil otherwise.
    public var layoutChangedAt: Date?
}

/// Why a document's history cannot be shown, in words that say what to do.
public enum HistoryError: Error, LocalizedError, Equatable, Sendable {
    case unknownDocument(String, suggestions: [String])
    case noVersions(String)
    case unknownVersion(String, documentID: String, count: Int)
    case noVersionAt(String, documentID: String, first: Date?)
    case snapshotMissing(documentID: String, version: Int, sha256: String)
    case noScans
    case unknownScan(String, first: ScanID, last: ScanID)
    case noScanAt(String, first: Date)

    public var errorDescription: String? {
        switch self {
        case .unknownDocument(let id, let suggestions):
            let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?)"
            return "unknown document '\(id)'\(hint); use an id that `spscan query` or `spscan search` shows"
        case .noVersions(let id):
            return "'\(id)' has no recorded version yet; run `spscan scan`"
        case .unknownVersion(let text, let id, let count):
            return
                "'\(text)' is not a version of '\(id)'; use a number from 1 to \(count), a snapshot hash or a date (\(DateExpression.examples))"
        case .noVersionAt(let text, let id, let first):
            let since = first.map { "; its first version is from \(ISOTimestamp.format($0))" } ?? ""
            return "'\(id)' had no version yet at \(text)\(since)"
        case .snapshotMissing(let id, let version, let sha):
            return
                "the snapshot of version \(version) of '\(id)' (\(sha.prefix(12))) is no longer in Corpus/ (pruned?); pick another version"
        case .noScans:
            return "no scan recorded yet; run `spscan scan`"
        case .unknownScan(let text, let first, let last):
            return "'\(text)' is not a scan; use a scan number from \(first) to \(last), `latest`, or a date (\(DateExpression.examples))"
        case .noScanAt(let text, let first):
            return "no scan had run by \(text); the first started at \(ISOTimestamp.format(first))"
        }
    }
}

/// A document's versions and the text of each, re-extracted from its snapshot in Corpus/: the catalog keeps
/// the current text only, and the corpus every snapshot, so an old version costs one extraction to open.
public struct DocumentHistory: Sendable {
    public let catalog: CatalogDatabase
    public let store: SnapshotStore
    private let extractor = Extractor()

    public init(catalog: CatalogDatabase, store: SnapshotStore) {
        self.catalog = catalog
        self.store = store
    }

    /// The document and its versions, oldest first.
    public func versions(of documentID: String) throws -> (detail: DocumentDetail, versions: [DocumentVersion]) {
        guard let detail = try catalog.document(id: documentID) else {
            let ids = try catalog.documentIDs()
            let near = ids.filter { $0.localizedCaseInsensitiveContains(documentID) || documentID.localizedCaseInsensitiveContains($0) }
            throw HistoryError.unknownDocument(documentID, suggestions: Array(near.prefix(3)))
        }
        let pruned = PrunedTexts(corpus: store.corpus)
        let versions = detail.versions.enumerated().map { index, version in
            DocumentVersion(
                number: index + 1, scan: version.scan, scanStartedAt: version.scanStartedAt,
                snapshotSHA256: version.snapshotSHA256, textHash: version.textHash, fetchedAt: version.fetchedAt,
                passageCount: version.passageCount,
                prunedAt: version.snapshotSHA256.flatMap { sha in store.contains(sha256: sha) ? nil : pruned.prunedAt(sha256: sha) })
        }
        return (detail, versions)
    }

    /// The version a person names: its number (`2`, `v2`), `latest`, a snapshot hash prefix (6 hex digits
    /// or more), or a date (the version current then).
    public static func version(_ text: String, in versions: [DocumentVersion], documentID: String, now: Date = Date()) throws
        -> DocumentVersion
    {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let latest = versions.last else { throw HistoryError.noVersions(documentID) }
        if trimmed == "latest" || trimmed == "current" { return latest }
        let digits = trimmed.hasPrefix("v") ? String(trimmed.dropFirst()) : trimmed
        if let number = Int(digits), !digits.isEmpty, digits.allSatisfy(\.isNumber) {
            guard number >= 1, number <= versions.count else {
                throw HistoryError.unknownVersion(text, documentID: documentID, count: versions.count)
            }
            return versions[number - 1]
        }
        if trimmed.count >= 6, trimmed.allSatisfy(\.isHexDigit) {
            if let match = versions.last(where: { $0.snapshotSHA256?.hasPrefix(trimmed) == true || $0.textHash.hasPrefix(trimmed) }) {
                return match
            }
        }
        guard let date = DateExpression.parse(text, now: now) else {
            throw HistoryError.unknownVersion(text, documentID: documentID, count: versions.count)
        }
        guard let match = versions.last(where: { ($0.scanStartedAt ?? $0.fetchedAt ?? .distantFuture) <= date }) else {
            throw HistoryError.noVersionAt(text, documentID: documentID, first: versions.first?.scanStartedAt)
        }
        return match
    }

    /// The extracted text of one version, from its snapshot, or the text kept when the snapshot was pruned.
    public func text(of version: DocumentVersion, detail: DocumentDetail) throws -> String {
        let documentID = detail.document.id
        if let sha = version.snapshotSHA256, !store.contains(sha256: sha),
            let kept = PrunedTexts(corpus: store.corpus).extracted(sha256: sha)
        {
            return kept.text
        }
        guard let sha = version.snapshotSHA256, store.contains(sha256: sha) else {
            throw HistoryError.snapshotMissing(documentID: documentID, version: version.number, sha256: version.snapshotSHA256 ?? "")
        }
        let record = try store.records(sourceID: detail.document.sourceID).last { $0.sha256 == sha }
        let base = URL(string: record?.finalURL ?? record?.url ?? detail.document.url)
        let data = try store.data(sha256: sha)
        return try extractor.extract(data, contentType: record?.contentType, filename: base?.lastPathComponent, baseURL: base).text
    }

    /// The word diff between two versions: by default the latest against the one before it.
    public func diff(documentID: String, from: String? = nil, to: String? = nil, now: Date = Date()) throws -> DocumentDiff {
        let (detail, versions) = try versions(of: documentID)
        guard let latest = versions.last else { throw HistoryError.noVersions(documentID) }
        let newer = try to.map { try Self.version($0, in: versions, documentID: documentID, now: now) } ?? latest
        let older =
            try from.map { try Self.version($0, in: versions, documentID: documentID, now: now) }
            ?? versions[max(0, newer.number - 2)]
        let oldText = try text(of: older, detail: detail)
        let newText = older == newer ? oldText : try text(of: newer, detail: detail)
        var diff = DocumentDiff(
            documentID: documentID, title: detail.document.title, url: detail.document.url, from: older, to: newer,
            diff: TextDiff.words(from: oldText, to: newText))
        if newer == latest, let current = detail.document.snapshotSHA256, current != latest.snapshotSHA256 {
            diff.layoutChangedAt = detail.document.fetchedAt ?? latest.fetchedAt
        }
        return diff
    }
}
