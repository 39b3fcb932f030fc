import Foundation

/// Sources.yaml as a spreadsheet and back: one row per source, a header row naming the registry's fields,
/// lists separated by `;`. Importing edits the text of Sources.yaml (only the values that change, new sources
/// appended at the end), so that its comments, key order and layout are kept; Sources.yaml stays the one
/// place the registry lives.
public enum RegistrySheet {
    /// The columns, in the order an export writes them. `follow_*` are the keys of `follow:`.
    public static let columns = [
        "id", "url", "title", "country", "region", "institution", "institution_note", "institution_type", "kind",
        "target_groups", "populations", "language", "format", "year", "schedule", "notes", "follow_depth",
        "follow_include", "follow_exclude", "follow_same_site", "follow_types", "follow_max_documents",
    ]
    static let listColumns: Set<String> = ["target_groups", "populations", "follow_include", "follow_exclude", "follow_types"]
    static let followColumns = columns.filter { $0.hasPrefix("follow_") }

    /// A spreadsheet read from a file: the header and the data rows, each with its row number as the
    /// spreadsheet shows it (the header is row 1).
    public struct Table: Sendable, Equatable {
        public var header: [String]
        public var rows: [(number: Int, cells: [String])]

        public init(header: [String], rows: [(number: Int, cells: [String])]) {
            self.header = header
            self.rows = rows
        }

        public static func == (lhs: Table, rhs: Table) -> Bool {
            lhs.header == rhs.header && lhs.rows.map(\.number) == rhs.rows.map(\.number)
                && lhs.rows.map(\.cells) == rhs.rows.map(\.cells)
        }

        /// A table from CSV text; the first record is the header.
        public static func csv(_ text: String) throws -> Table {
            let records = try CSV.parse(text)
            guard let first = records.first else { return Table(header: [], rows: []) }
            // Rows are numbered as a spreadsheet shows them (the header is row 1), whatever line breaks the
            // quoted cells hold.
            return Table(header: first.fields, rows: records.dropFirst().enumerated().map { ($0.offset + 2, $0.element.fields) })
        }
    }

    /// One problem with one cell (or a whole row, when `column` is nil).
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var severity: Diagnostic.Severity
        public var row: Int
        public var column: String?
        public var message: String

        public var description: String {
            let place = column.map { "row \(row), column \($0)" } ?? "row \(row)"
            return "\(place): \(severity == .warning ? "warning: " : "")\(message)"
        }
    }

    /// What an import would do, or did.
    public struct Merge: Sendable {
        /// Sources.yaml's new text (the old text when nothing changes).
        public var text: String
        public var added: [String]
        public var updated: [String]
        public var unchanged: Int
        public var problems: [Problem]

        public var hasErrors: Bool { problems.contains { $0.severity == .error } }
    }

    // MARK: export

    /// The registry as rows: the header, then one row per source in file order.
    public static func rows(of registry: Registry) -> [[String]] {
        [columns]
            + registry.sources.map { source in
                let cells = cells(of: source)
                return columns.map { cells[$0] ?? "" }
            }
    }

    /// A source's cells by column, as an export writes them; absent values are empty.
    static func cells(of source: Source) -> [String: String] {
        var cells: [String: String] = [
            "id": source.id, "url": source.url.absoluteString, "title": source.title, "country": source.country.rawValue,
            "region": source.region ?? "", "institution": source.institutionID ?? source.institution,
            "institution_note": source.institutionNote ?? "", "institution_type": source.institutionType.rawValue,
            "kind": source.kind.rawValue, "target_groups": source.targetGroups.map(\.rawValue).joined(separator: "; "),
            "populations": source.populations.map(\.rawValue).joined(separator: "; "), "language": source.language.rawValue,
            "format": source.format?.rawValue ?? "", "year": source.year.map(String.init) ?? "",
            "schedule": source.schedule.map(spelling) ?? "", "notes": source.notes ?? "",
        ]
        if let follow = source.follow {
            cells["follow_depth"] = String(follow.depth)
            cells["follow_include"] = follow.include.joined(separator: "; ")
            cells["follow_exclude"] = follow.exclude.joined(separator: "; ")
            cells["follow_same_site"] = follow.sameSite ? "true" : "false"
            cells["follow_types"] = follow.types.map(\.rawValue).joined(separator: "; ")
            cells["follow_max_documents"] = String(follow.maxDocuments)
        }
        return cells
    }

    static func spelling(_ schedule: Schedule) -> String {
        let seconds = schedule.interval
        switch seconds {
        case 86_400: return "daily"
        case 7 * 86_400: return "weekly"
        case 30 * 86_400: return "monthly"
        default:
            for (unit, size) in [("d", 86_400.0), ("h", 3600), ("m", 60)] where seconds.truncatingRemainder(dividingBy: size) == 0 {
                return "\(Int(seconds / size))\(unit)"
            }
            return "\(YAMLReader.format(seconds))s"
        }
    }

    // MARK: import

    /// Merges the table's rows into Sources.yaml's text: a row whose id is in the registry updates the columns
    /// the table has, any other row is a new source. Every row is checked as Sources.yaml would be, and each
    /// problem is reported with its row and column; when any is an error the text is left as it was.
    public static func merge(_ table: Table, into text: String, file: String) -> Merge {
        var problems: [Problem] = []
        let header = table.header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        var columnIndex: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            guard columns.contains(name) else {
                let hint = YAMLReader.closest(to: name, in: columns).map { "did you mean `\($0)`? " } ?? ""
                problems.append(
                    Problem(
                        severity: .error, row: 1, column: name.isEmpty ? "\(index + 1)" : name,
                        message: "unknown column; \(hint)the columns are \(columns.joined(separator: ", "))"))
                continue
            }
            if columnIndex[name] != nil {
                problems.append(Problem(severity: .error, row: 1, column: name, message: "the column is given twice; keep one"))
            }
            columnIndex[name] = index
        }
        guard columnIndex["id"] != nil else {
            problems.append(
                Problem(severity: .error, row: 1, column: nil, message: "the header has no `id` column; every row needs the source's id"))
            return Merge(text: text, added: [], updated: [], unchanged: 0, problems: problems)
        }
        let (parsed, fileDiagnostics) = RegistryLoader.parse(text, file: file)
        guard let registry = parsed, !fileDiagnostics.contains(where: { $0.severity == .error }) else {
            let first = fileDiagnostics.first { $0.severity == .error }?.description ?? "\(file) cannot be read"
            problems.append(
                Problem(severity: .error, row: 1, column: nil, message: "\(file) has errors of its own; fix them first (\(first))"))
            return Merge(text: text, added: [], updated: [], unchanged: 0, problems: problems)
        }
        let existing = Dictionary(registry.sources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        // Every row as one YAML source, all in one document parsed once; each line remembers its row and column.
        var lines = ["sources:"]
        var origins: [(row: Int, column: String?)] = [(0, nil)]
        var rowCells: [(number: Int, cells: [String: String], given: Set<String>)] = []
        var seenIDs: [String: Int] = [:]
        for row in table.rows {
            var given: [String: String] = [:]
            for (name, index) in columnIndex {
                var cell = index < row.cells.count ? row.cells[index].trimmingCharacters(in: .whitespacesAndNewlines) : ""
                // A spreadsheet export protects a leading = + - @ with an apostrophe; it is not part of the value.
                if cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@".contains(next) { cell.removeFirst() }
                given[name] = cell
            }
            if row.cells.count > header.count, row.cells[header.count...].contains(where: { !$0.isEmpty }) {
                problems.append(
                    Problem(severity: .error, row: row.number, column: nil, message: "the row has more cells than the header has columns"))
            }
            let id = given["id"] ?? ""
            if id.isEmpty {
                problems.append(Problem(severity: .error, row: row.number, column: "id", message: "empty; every row needs the source's id"))
                continue
            }
            if let first = seenIDs[id] {
                problems.append(
                    Problem(
                        severity: .error, row: row.number, column: "id", message: "'\(id)' is also on row \(first); a source is one row"))
                continue
            }
            seenIDs[id] = row.number
            if let name = given["institution"], !name.isEmpty, let entry = registry.institution(named: name) {
                given["institution"] = entry.id
            }
            var cells = existing[id].map(Self.cells(of:)) ?? [:]
            for (name, value) in given { cells[name] = value }
            rowCells.append((row.number, cells, Set(given.keys)))
            for (line, column) in render(cells, dash: "  - ", indent: "    ") {
                lines.append(line)
                origins.append((row.number, column))
            }
        }
        let rowsText = lines.joined(separator: "\n") + "\n"
        var reader = YAMLReader(file: "rows")
        var candidates: [String: Source] = [:]
        if let root = reader.compose(rowsText), let items = YAMLReader.value(of: "sources", in: root)?.sequence {
            for node in items {
                guard
                    let source = RegistryLoader.readSource(
                        node, defaults: registry.defaults, institutions: registry.institutions, reader: &reader)
                else { continue }
                candidates[source.id] = source
            }
        }
        for diagnostic in reader.diagnostics {
            let line = diagnostic.location?.line ?? 1
            let origin: (row: Int, column: String?) = line - 1 < origins.count ? origins[line - 1] : (0, nil)
            var message = diagnostic.message
            if let range = message.range(of: #"^source '[^']*'( follow)?: "#, options: .regularExpression) { message.removeSubrange(range) }
            // A missing field is reported on the row's first line; it belongs to the field's own column.
            var column = origin.column
            if message.hasPrefix("missing required `"),
                let name = message.dropFirst("missing required `".count).split(separator: "`").first,
                columns.contains(String(name))
            {
                column = String(name)
            }
            problems.append(Problem(severity: diagnostic.severity, row: origin.row, column: column, message: message))
        }
        problems.sort { ($0.row, columns.firstIndex(of: $0.column ?? "") ?? -1) < ($1.row, columns.firstIndex(of: $1.column ?? "") ?? -1) }
        guard !problems.contains(where: { $0.severity == .error }) else {
            return Merge(text: text, added: [], updated: [], unchanged: 0, problems: problems)
        }

        // Edit the text: changed values of existing sources in place, new sources at the end.
        var editor = RegistryTextEditor(text: text)
        var added: [String] = []
        var updated: [String] = []
        var unchanged = 0
        var appended: [[String: String]] = []
        for row in rowCells {
            guard let id = row.cells["id"], let candidate = candidates[id] else { continue }
            guard let old = existing[id] else {
                appended.append(row.cells)
                added.append(id)
                continue
            }
            let before = cells(of: old)
            let after = cells(of: candidate)
            let changed = row.given.filter { before[$0] ?? "" != after[$0] ?? "" }
            if changed.isEmpty {
                unchanged += 1
                continue
            }
            editor.update(source: id, cells: row.cells, columns: changed)
            updated.append(id)
        }
        editor.append(appended)
        let merged = editor.text
        // The edited file must read back as the registry the rows describe; a text edit that went wrong is
        // reported instead of written.
        let (_, after) = RegistryLoader.parse(merged, file: file)
        if let broken = after.first(where: { $0.severity == .error }) {
            problems.append(
                Problem(
                    severity: .error, row: 1, column: nil, message: "the merged \(file) would not be valid (\(broken)); nothing was written"
                ))
            return Merge(text: text, added: [], updated: [], unchanged: 0, problems: problems)
        }
        return Merge(text: merged, added: added, updated: updated, unchanged: unchanged, problems: problems)
    }

    /// One source as YAML lines, one key per line (lists in flow style), each with the column it came from.
    static func render(_ cells: [String: String], dash: String, indent: String) -> [(String, String?)] {
        var lines: [(String, String?)] = []
        for name in columns where !name.hasPrefix("follow_") {
            guard let value = cells[name], !value.isEmpty else { continue }
            let prefix = lines.isEmpty ? dash : indent
            lines.append(("\(prefix)\(name): \(yamlValue(value, list: listColumns.contains(name)))", name))
        }
        if followColumns.contains(where: { !(cells[$0] ?? "").isEmpty }) {
            lines.append(("\(indent)follow:", followColumns.first { !(cells[$0] ?? "").isEmpty }))
            lines += followLines(cells, indent: indent + "  ")
        }
        return lines
    }

    static func followLines(_ cells: [String: String], indent: String) -> [(String, String?)] {
        followColumns.compactMap { name in
            guard let value = cells[name], !value.isEmpty else { return nil }
            let key = String(name.dropFirst("follow_".count))
            return ("\(indent)\(key): \(yamlValue(value, list: listColumns.contains(name)))", name)
        }
    }

    static func yamlValue(_ value: String, list: Bool) -> String {
        guard list else { return FrameworkWriter.scalar(value) }
        let items = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return "["
            + items.map { item in
                item.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
                    && !item.hasPrefix("-") ? item : FrameworkWriter.quoted(item)
            }.joined(separator: ", ") + "]"
    }
}

/// Line edits on Sources.yaml's text: a key's lines are replaced, removed or added inside its source, and
/// everything else (comments, blank lines, other keys) stays as written.
struct RegistryTextEditor {
    private let lines: [String]
    /// Each source's keys: the key, its first line and its last line (0-based), trailing comments excluded.
    private var keys: [String: [(key: String, first: Int, last: Int, column: Int)]] = [:]
    private var order: [String] = []
    private var endOfSources: Int?
    private var dash = "  - "
    private var indent = "    "
    private var emptyFlowLine: Int?
    /// Replacements (and, where `last < first`, insertions) not yet applied, in original line numbers.
    private var pending: [(first: Int, last: Int, lines: [String])] = []

    /// The text with every edit applied, bottom-up so that earlier line numbers stay valid.
    var text: String {
        var result = lines
        let ordered = pending.sorted { ($0.first, $0.last) > ($1.first, $1.last) }
        for edit in ordered { result.replaceSubrange(edit.first..<(edit.last + 1), with: edit.lines) }
        return result.joined(separator: "\n")
    }

    init(text: String) {
        lines = text.components(separatedBy: "\n")
        guard let root = try? YAMLNode.compose(text), let top = root.mapping else { return }
        let topKeys = top.map { ($0.key.scalar?.string ?? "", $0.key.mark.line - 1) }
        guard let sourcesIndex = topKeys.firstIndex(where: { $0.0 == "sources" }),
            let sources = YAMLReader.value(of: "sources", in: root)
        else { return }
        let nextTop = sourcesIndex + 1 < topKeys.count ? topKeys[sourcesIndex + 1].1 : lines.count
        if let sequence = sources.sequence, sequence.isEmpty, sources.mark.line == topKeys[sourcesIndex].1 + 1 {
            emptyFlowLine = topKeys[sourcesIndex].1
        }
        let items = sources.sequence ?? []
        for (index, item) in items.enumerated() {
            guard let mapping = item.mapping, let id = YAMLReader.value(of: "id", in: item)?.scalar?.string else { continue }
            let limit = index + 1 < items.count ? items[index + 1].mark.line - 2 : nextTop - 1
            let starts = mapping.map { ($0.key.scalar?.string ?? "", $0.key.mark.line - 1, $0.key.mark.column) }
            var entries: [(String, Int, Int, Int)] = []
            for (position, start) in starts.enumerated() {
                let last = trimmed(from: start.1, to: position + 1 < starts.count ? starts[position + 1].1 - 1 : limit)
                entries.append((start.0, start.1, max(start.1, last), start.2))
            }
            keys[id] = entries.map { (key: $0.0, first: $0.1, last: $0.2, column: $0.3) }
            order.append(id)
            if index == 0, let first = entries.first {
                indent = String(repeating: " ", count: max(0, first.3 - 1))
                dash = String(repeating: " ", count: max(0, first.3 - 3)) + "- "
            }
        }
        if let last = order.last, let entry = keys[last]?.last { endOfSources = entry.last }
    }

    /// The last line of a block before trailing blank and comment-only lines.
    private func trimmed(from first: Int, to last: Int) -> Int {
        var end = min(last, lines.count - 1)
        while end > first {
            let line = lines[end].trimmingCharacters(in: .whitespaces)
            guard line.isEmpty || line.hasPrefix("#") else { break }
            end -= 1
        }
        return end
    }

    /// Sets the given columns of a source to its cells' values: a changed key is rewritten in place, an
    /// emptied one removed, a new one added after the source's last key.
    mutating func update(source id: String, cells: [String: String], columns: Set<String>) {
        guard let entries = keys[id] else { return }
        var edits: [(first: Int, last: Int, lines: [String])] = []
        var additions: [String] = []
        let plain = columns.filter { !$0.hasPrefix("follow_") }
        for name in RegistrySheet.columns where plain.contains(name) {
            let value = cells[name] ?? ""
            let line =
                value.isEmpty ? [] : ["\(indent)\(name): \(RegistrySheet.yamlValue(value, list: RegistrySheet.listColumns.contains(name)))"]
            if let entry = entries.first(where: { $0.key == name }) {
                let keyIndent = String(repeating: " ", count: max(0, entry.column - 1))
                let replaced = line.map { keyIndent + $0.drop(while: { $0 == " " }) }
                edits.append(
                    (
                        entry.first, entry.last,
                        entry.first == entries.first?.first ? line.map { dash + $0.drop(while: { $0 == " " }) } : replaced
                    ))
            } else {
                additions += line
            }
        }
        if columns.contains(where: { $0.hasPrefix("follow_") }) {
            let follow = RegistrySheet.followLines(cells, indent: indent + "  ").map(\.0)
            let block = follow.isEmpty ? [] : ["\(indent)follow:"] + follow
            if let entry = entries.first(where: { $0.key == "follow" }) {
                edits.append((entry.first, entry.last, block))
            } else {
                additions += block
            }
        }
        if !additions.isEmpty, let last = entries.last { edits.append((last.last + 1, last.last, additions)) }
        pending += edits
    }

    /// Appends new sources after the last one (or into an empty `sources: []`).
    mutating func append(_ sources: [[String: String]]) {
        guard !sources.isEmpty else { return }
        let rendered = sources.flatMap { RegistrySheet.render($0, dash: dash, indent: indent).map(\.0) }
        if let line = emptyFlowLine {
            pending.append((line, line, ["sources:"] + rendered))
        } else if let end = endOfSources {
            pending.append((end + 1, end, rendered))
        } else {
            let end = lines.last == "" ? lines.count - 1 : lines.count
            pending.append((end, end - 1, ["sources:"] + rendered))
        }
    }
}
