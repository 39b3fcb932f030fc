import Foundation
import SPScanCatalog
import SPScanCoverage
import SPScanModel

/// Coverage as it stood after each scan, from the catalog's tag events: the tagger's tags of that scan, with
/// the review decisions a person had made by then (a decision counts from the first scan after it, and every
/// decision counts after the latest scan, so that the latest matrix here is `spscan matrix`'s).
///
/// Facets are today's (Sources.yaml as it is now); a document whose source has been removed from Sources.yaml
/// has no facets left in the catalog and is left out of past matrices too.
public struct CoverageHistory: Sendable {
    public let events: CoverageEvents
    /// Every document the catalog holds, with today's facets and tags (reviews applied).
    public let documents: [String: TaggedDocument]
    public let reviews: [String: [ReviewDecision]]
    public let framework: Framework
    private let domainOf: [String: String]

    public init(catalog: CatalogDatabase, framework: Framework) throws {
        events = try catalog.coverageEvents()
        let documents = try catalog.taggedDocuments(filter: .all, evidence: .none)
        self.documents = Dictionary(documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var reviews: [String: [ReviewDecision]] = [:]
        for decision in try catalog.reviews() { reviews[decision.documentID, default: []].append(decision) }
        self.reviews = reviews
        self.framework = framework
        var domainOf: [String: String] = [:]
        for domain in framework.domains {
            for competency in domain.competencies { domainOf[competency.id.uppercased()] = domain.id }
        }
        self.domainOf = domainOf
    }

    public var scans: [ScanSummary] { events.scans }

    /// The scan a person names: its number (`3`), `latest`, or a date (the latest scan started by then).
    public func scanIndex(_ text: String, now: Date = Date()) throws -> Int {
        guard !scans.isEmpty else { throw HistoryError.noScans }
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "latest" { return scans.count - 1 }
        if let number = Int64(trimmed) {
            guard let index = scans.firstIndex(where: { $0.id.rawValue == number }) else {
                throw HistoryError.unknownScan(text, first: scans[0].id, last: scans[scans.count - 1].id)
            }
            return index
        }
        guard let date = DateExpression.parse(text, now: now) else {
            throw HistoryError.unknownScan(text, first: scans[0].id, last: scans[scans.count - 1].id)
        }
        guard let index = scans.lastIndex(where: { $0.startedAt <= date }) else {
            throw HistoryError.noScanAt(text, first: scans[0].startedAt)
        }
        return index
    }

    /// The documents as they stood after the scan at `index`, each with the tags it had then. A tag's score
    /// is the one it was gained with (a later change of score alone is not an event); after the latest scan,
    /// the catalog's current tags, so that `matrix --at latest` is `matrix`.
    public func documents(afterScan index: Int) -> [TaggedDocument] {
        if index == scans.count - 1 { return documents.values.sorted { $0.id < $1.id } }
        var replay = Replay(history: self)
        for position in 0...index { _ = replay.apply(scan: position) }
        return replay.present.sorted().compactMap { replay.document($0, afterScan: index) }
    }

    /// How each cell moved, scan by scan, for the scans started at or after `since`, counting the documents `filter`
    /// admits (by today's facets).
    public func trend(rows: RowDimension, columns: ColumnDimension, since: Date? = nil, filter: DocumentFilter = .all)
        -> CoverageTrend
    {
        var timeline = CoverageTimeline(framework: framework, rows: rows, columns: columns)
        var replay = Replay(history: self)
        var snapshots: [(ScanSummary, CoverageTimeline.Snapshot)] = []
        for position in scans.indices {
            for change in replay.apply(scan: position) {
                switch change {
                case .set(let id):
                    if let document = replay.document(id, afterScan: position), filter.admits(document) {
                        timeline.set(document)
                    }
                case .removed(let id): timeline.remove(id)
                }
            }
            if since.map({ scans[position].startedAt >= $0 }) ?? true {
                snapshots.append((scans[position], timeline.snapshot()))
            }
        }
        return CoverageTrend(rows: rows, columns: columns, timelineColumns: timeline.columns, snapshots: snapshots)
    }

    /// Walks the events scan by scan, keeping each document's tagger tags.
    private struct Replay {
        enum Change {
            case set(String)
            case removed(String)
        }

        let history: CoverageHistory
        var tags: [String: [String: Double]] = [:]
        var present: Set<String> = []
        var tagPosition = 0
        var documentPosition = 0

        init(history: CoverageHistory) {
            self.history = history
        }

        /// When the reviews that count after scan `index` stop: the start of the next scan, or never.
        func reviewCutoff(afterScan index: Int) -> Date {
            index + 1 < history.scans.count ? history.scans[index + 1].startedAt : .distantFuture
        }

        /// Applies one scan's events; returns the documents whose coverage may have changed.
        mutating func apply(scan index: Int) -> [Change] {
            var changes: [Change] = []
            let scan = history.scans[index].id
            var touched: Set<String> = []
            let documentChanges = history.events.documentChanges
            while documentPosition < documentChanges.count, documentChanges[documentPosition].scan <= scan {
                let change = documentChanges[documentPosition]
                if change.entered {
                    present.insert(change.documentID)
                    touched.insert(change.documentID)
                } else if present.remove(change.documentID) != nil {
                    tags[change.documentID] = nil
                    touched.remove(change.documentID)
                    changes.append(.removed(change.documentID))
                }
                documentPosition += 1
            }
            let tagChanges = history.events.tagChanges
            while tagPosition < tagChanges.count, tagChanges[tagPosition].scan <= scan {
                let change = tagChanges[tagPosition]
                tags[change.documentID, default: [:]][change.competency] = change.score
                if present.contains(change.documentID) { touched.insert(change.documentID) }
                tagPosition += 1
            }
            // Decisions that start to count after this scan.
            let from = index == 0 ? Date.distantPast : reviewCutoff(afterScan: index - 1)
            let until = reviewCutoff(afterScan: index)
            for (documentID, decisions) in history.reviews where present.contains(documentID) {
                if decisions.contains(where: { $0.decidedAt >= from && $0.decidedAt < until }) { touched.insert(documentID) }
            }
            return changes + touched.sorted().map { .set($0) }
        }

        func document(_ id: String, afterScan index: Int) -> TaggedDocument? {
            guard present.contains(id), var document = history.documents[id] else { return nil }
            let tagged = (tags[id] ?? [:]).sorted { $0.key < $1.key }.map { competency, score in
                Tag(competency: competency, domain: history.domainOf[competency.uppercased()] ?? "", score: score, evidence: [])
            }
            let cutoff = reviewCutoff(afterScan: index)
            let decisions = (history.reviews[id] ?? []).filter { $0.decidedAt < cutoff }
            document.tags = ReviewOverlay.apply(decisions, to: tagged)
            return document
        }
    }
}

/// How coverage moved over scans: per row, the documents and the columns they cover; and each cell that moved.
public struct CoverageTrend: Sendable, Hashable {
    public struct Scan: Sendable, Hashable, Codable {
        public var id: ScanID
        public var startedAt: Date

        enum CodingKeys: String, CodingKey {
            case id
            case startedAt = "started_at"
        }
    }

    public struct Series: Sendable, Hashable, Codable {
        public var key: String
        public var label: String
        /// Per scan: documents in the row, and columns at least one of them covers.
        public var documents: [Int]
        public var covered: [Int]
    }

    public struct Cell: Sendable, Hashable, Codable {
        public var row: String
        public var column: String
        /// Per scan, the documents of the row that cover the column.
        public var counts: [Int]
    }

    public var rows: RowDimension
    public var columns: ColumnDimension
    public var columnCount: Int
    public var scans: [Scan]
    public var series: [Series]
    /// Only the cells whose count differs between two of the scans, rows by label, columns in framework order.
    public var moved: [Cell]

    init(
        rows: RowDimension, columns: ColumnDimension, timelineColumns: [CoverageMatrix.Column],
        snapshots: [(ScanSummary, CoverageTimeline.Snapshot)]
    ) {
        self.rows = rows
        self.columns = columns
        columnCount = timelineColumns.count
        scans = snapshots.map { Scan(id: $0.0.id, startedAt: $0.0.startedAt) }
        var labels: [String: String] = [:]
        var order: [String] = []
        for (_, snapshot) in snapshots {
            for row in snapshot.rows where labels[row.key] == nil {
                labels[row.key] = row.label
                order.append(row.key)
            }
        }
        order.sort { lhs, rhs in
            let comparison = (labels[lhs] ?? lhs).localizedStandardCompare(labels[rhs] ?? rhs)
            return comparison == .orderedSame ? lhs < rhs : comparison == .orderedAscending
        }
        var series: [Series] = []
        var moved: [Cell] = []
        for key in order {
            var documents: [Int] = []
            var covered: [Int] = []
            var counts = [[Int]](repeating: [], count: timelineColumns.count)
            for (_, snapshot) in snapshots {
                let row = snapshot.rows.firstIndex { $0.key == key }
                documents.append(row.map { snapshot.rows[$0].documents } ?? 0)
                covered.append(row.map { snapshot.coveredColumns[$0] } ?? 0)
                for column in timelineColumns.indices { counts[column].append(row.map { snapshot.counts[$0][column] } ?? 0) }
            }
            series.append(Series(key: key, label: labels[key] ?? key, documents: documents, covered: covered))
            for (column, values) in counts.enumerated() where Set(values).count > 1 {
                moved.append(Cell(row: key, column: timelineColumns[column].id, counts: values))
            }
        }
        self.series = series
        self.moved = moved
    }

    enum CodingKeys: String, CodingKey {
        case rows
        case columns
        case columnCount = "column_count"
        case scans
        case series
        case moved
    }
}

extension CoverageTrend: Encodable {}

extension CoverageHistory {
    /// The "coverage over time" section for the web page and the report: competencies covered per country and
    /// per target group, over the last `scans` scans, as inline SVG charts, of the documents `filter` admits.
    public func chartSection(lastScans count: Int = 24, filter: DocumentFilter = .all) -> String {
        let shown = Array(scans.suffix(count))
        let since = shown.first?.startedAt
        let labels = shown.map { "#\($0.id) \(ISOTimestamp.format($0.startedAt).prefix(10))" }
        let charts = [RowDimension.country, .targetGroup].map { rows in
            let trend = trend(rows: rows, columns: .competency, since: since, filter: filter)
            return (
                title: "Competencies covered by \(rows.title.lowercased())",
                series: trend.series.map { CoverageChart.Series(label: $0.label, values: $0.covered) }
            )
        }
        return CoverageChart.section(
            title: "Coverage over time", charts: charts, scans: labels, maximum: framework.competencies.count)
    }
}
