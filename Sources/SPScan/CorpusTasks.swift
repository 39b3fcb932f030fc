import Foundation
import SPScanFetch
import SPScanModel

/// What `spscan corpus import-samples` did: one line per file.
public struct SampleImportReport: Sendable, Hashable {
    public struct Imported: Sendable, Hashable {
        public var sourceID: String
        public var file: String
        public var sha256: String
        /// False when the same bytes were already the source's sample: nothing was appended.
        public var appended: Bool
    }

    public var imported: [Imported] = []
    /// Files that match no source, with the reason, for a warning each.
    public var skipped: [(file: String, reason: String)] = []

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.imported == rhs.imported && lhs.skipped.map(\.file) == rhs.skipped.map(\.file)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(imported) }
}

/// Authored stand-ins for documents (`Samples/<source-id>.html|.pdf|.docx`) imported as sample snapshots, so
/// that an offline scan has something to extract.
public enum SampleImporter {
    static let contentTypes = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    /// Imports every file of `folder` named after a source of the registry; the corpus lock is held meanwhile.
    public static func importSamples(from folder: URL, paths: ProjectPaths, at date: Date = Date()) throws -> SampleImportReport {
        let registry = try RegistryLoader.load(from: paths.sources, displayPath: ProjectPaths.display(paths.sources))
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw ScanError.unreadableInput(path: ProjectPaths.display(folder), reason: "no such folder")
        }
        let lock = try ScanError.lockingCorpus(paths.corpus)
        defer { withExtendedLifetime(lock) {} }
        let store = try SnapshotStore(corpus: paths.corpus)
        var report = SampleImportReport()
        for name in names where !name.hasPrefix(".") {
            let file = folder.appendingPathComponent(name)
            let ext = file.pathExtension.lowercased()
            let id = file.deletingPathExtension().lastPathComponent
            guard let contentType = contentTypes[ext] else {
                report.skipped.append((name, "not .html, .pdf or .docx"))
                continue
            }
            guard let source = registry.source(id: id) else {
                report.skipped.append((name, "no source with id '\(id)' in \(ProjectPaths.display(paths.sources))"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                report.skipped.append((name, "unreadable"))
                continue
            }
            let before = try store.records(sourceID: id).count
            let record = try store.importSample(
                sourceID: id, url: source.url.absoluteString, data: data, contentType: contentType, at: date)
            let appended = try store.records(sourceID: id).count > before
            report.imported.append(.init(sourceID: id, file: name, sha256: record.sha256 ?? "", appended: appended))
        }
        return report
    }
}

/// `spscan robots`: the RFC 9309 decision for one URL under one robots.txt file.
public enum RobotsCheck {
    public struct Verdict: Sendable, Hashable, Encodable {
        public var allowed: Bool
        /// The deciding rule as written (`Disallow: /x`), or nil when no rule matched.
        public var rule: String?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(allowed, forKey: .allowed)
            try container.encode(rule, forKey: .rule)
        }

        enum CodingKeys: String, CodingKey { case allowed, rule }
    }

    public static func decide(robotsFile: URL, agent: String, url: URL) throws -> Verdict {
        guard let data = FileManager.default.contents(atPath: robotsFile.path) else {
            throw FetchError.unreadableFile(path: ProjectPaths.display(robotsFile), reason: "no such file")
        }
        let decision = RobotsPolicy(parsing: data).decision(for: url, agent: agent)
        return Verdict(allowed: decision.allowed, rule: decision.rule)
    }

    /// Says so when the file is longer than the 500 KiB that are read; nil otherwise.
    public static func truncationNote(robotsFile: URL) -> String? {
        let size = (try? FileManager.default.attributesOfItem(atPath: robotsFile.path)[.size] as? Int) ?? 0
        return RobotsPolicy.truncationNote(size: size)
    }
}
