import Foundation

/// Reviews.yaml: the human decisions on tags, kept beside Sources.yaml so that they travel with the registry in
/// git and survive every re-scan and `spscan index`.
///
/// The file is written sorted by document then competency, one decision per entry, so that two people's
/// reviews merge line by line; it stays readable and editable by hand, and a hand edit is validated with
/// file:line:column messages like the other loaders.
public enum ReviewFile {
    static let topKeys = ["reviews"]
    static let entryKeys = ["document", "competency", "decision", "scope", "note", "reviewer", "date"]

    /// Reads the decisions; a missing file means no decisions yet.
    public static func load(from url: URL, displayPath: String? = nil) throws -> [ReviewDecision] {
        let path = displayPath ?? url.lastPathComponent
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError([
                Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "cannot read the file as UTF-8 text; save it as UTF-8")
            ])
        }
        let (decisions, diagnostics) = parse(text, file: path)
        guard diagnostics.contains(where: { $0.severity == .error }) else { return decisions }
        throw ConfigurationError(diagnostics)
    }

    /// Parses the file's text, returning the usable decisions and every problem found.
    public static func parse(_ text: String, file: String) -> ([ReviewDecision], [Diagnostic]) {
        if text.allSatisfy({ $0.isWhitespace }) { return ([], []) }
        var reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else { return ([], reader.sortedDiagnostics) }
        guard let top = reader.mapping(root, context: "Reviews.yaml", allowed: topKeys) else {
            return ([], reader.sortedDiagnostics)
        }
        guard let list = top["reviews"] else { return ([], reader.sortedDiagnostics) }
        if let empty = list.scalar?.string, ["", "~", "null"].contains(empty) { return ([], reader.sortedDiagnostics) }
        var decisions: [ReviewDecision] = []
        var seen: [String: Int] = [:]
        for node in reader.sequence(list, context: "reviews") ?? [] {
            guard let decision = readEntry(node, reader: &reader) else { continue }
            let key = "\(decision.documentID)\u{0}\(decision.competency.uppercased())"
            if let firstLine = seen[key] {
                reader.error(
                    node,
                    "review of '\(decision.documentID)' \(decision.competency) is given twice (first on line \(firstLine)); keep one")
                continue
            }
            seen[key] = node.mark.line
            decisions.append(decision)
        }
        return (sorted(decisions), reader.sortedDiagnostics)
    }

    static func readEntry(_ node: YAMLNode, reader: inout YAMLReader) -> ReviewDecision? {
        let documentHint = YAMLReader.value(of: "document", in: node)?.scalar?.string
        let context = documentHint.map { "review of '\($0)'" } ?? "review"
        guard let fields = reader.mapping(node, context: context, allowed: entryKeys) else { return nil }
        let document = reader.string(fields, "document", context: context)
        var competency: String?
        var verdict: ReviewDecision.Verdict?
        if let scopeNode = fields["scope"] {
            // A decision on the document's scope: `scope: in` or `scope: out`, with no competency.
            if fields["competency"] != nil || fields["decision"] != nil {
                reader.error(
                    scopeNode, "\(context): a scope decision has no `competency` or `decision`; write it as its own entry")
            }
            switch scopeNode.scalar?.string.lowercased() {
            case "in": verdict = .accept
            case "out": verdict = .reject
            default:
                reader.error(scopeNode, "\(context): `scope` is '\(scopeNode.scalar?.string ?? "")'; write `scope: in` or `scope: out`")
            }
            competency = ReviewDecision.scopeSubject
        } else if let decisionNode = fields["decision"] {
            competency = reader.string(fields, "competency", context: context)
            verdict = reader.choice(decisionNode, ReviewDecision.Verdict.self, context: context, what: "decision")
        } else {
            competency = reader.string(fields, "competency", context: context)
            reader.error(fields.owner, "\(context): missing required `decision`; write `decision: accept` or `decision: reject`")
        }
        let note = reader.string(fields, "note", context: context, required: false)
        let reviewer = reader.string(fields, "reviewer", context: context, required: false)
        var date: Date?
        if let text = reader.string(fields, "date", context: context) {
            date = ISOTimestamp.parse(text)
            if date == nil {
                reader.error(
                    fields["date"], "\(context): `date` is '\(text)'; write it as 2026-11-25T10:30:00Z or 2026-11-25")
            }
        }
        guard let document, let competency, let verdict, let date else { return nil }
        return ReviewDecision(
            documentID: document, competency: competency, verdict: verdict, note: note, reviewer: reviewer, decidedAt: date)
    }

    /// The file's text for a set of decisions: sorted, one decision per entry, quoted only where YAML needs it.
    public static func render(_ decisions: [ReviewDecision]) -> String {
        var lines = [
            "# Human review decisions on tags. `spscan review DOC COMPETENCY --accept|--reject` writes this file;",
            "# you may edit it by hand. Each decision overrides the tagger in queries, the matrix and reports.",
            "# `spscan review DOC --in-scope|--out-of-scope` writes `scope: in|out`: whether the document counts at all.",
        ]
        let entries = sorted(decisions)
        if entries.isEmpty {
            lines.append("reviews: []")
        } else {
            lines.append("reviews:")
        }
        for decision in entries {
            lines.append("  - document: \(scalar(decision.documentID))")
            if decision.isScope {
                lines.append("    scope: \(decision.verdict == .accept ? "in" : "out")")
            } else {
                lines.append("    competency: \(scalar(decision.competency))")
                lines.append("    decision: \(decision.verdict.rawValue)")
            }
            if let note = decision.note { lines.append("    note: \(quoted(note))") }
            if let reviewer = decision.reviewer { lines.append("    reviewer: \(scalar(reviewer))") }
            lines.append("    date: \(ISOTimestamp.format(decision.decidedAt))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the file atomically (a temporary file renamed over the old one), so that an interrupted write
    /// never leaves half a file.
    public static func write(_ decisions: [ReviewDecision], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(render(decisions).utf8).write(to: url, options: .atomic)
    }

    /// The decisions with one replaced or added: a new decision on the same tag supersedes the old one.
    public static func merging(_ decision: ReviewDecision, into decisions: [ReviewDecision]) -> [ReviewDecision] {
        let kept = decisions.filter {
            !($0.documentID == decision.documentID && $0.competency.caseInsensitiveCompare(decision.competency) == .orderedSame)
        }
        return sorted(kept + [decision])
    }

    static func sorted(_ decisions: [ReviewDecision]) -> [ReviewDecision] {
        decisions.sorted { ($0.documentID, $0.competency) < ($1.documentID, $1.competency) }
    }

    /// A plain scalar when it is unambiguous YAML text (ids, names), a quoted one otherwise.
    static func scalar(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_. ~/".unicodeScalars.contains($0) }
        let ambiguous = ["true", "false", "yes", "no", "on", "off", "null", "~"].contains(text.lowercased()) || Double(text) != nil
        if plain, !text.isEmpty, text.first != " ", text.last != " ", text.first != "-", text.first != "~", !ambiguous {
            return text
        }
        return quoted(text)
    }

    /// A YAML double-quoted scalar: backslash escapes for quotes, backslashes and control characters.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// ISO 8601 timestamps as people write them in YAML: a full UTC time, or a bare date (midnight UTC).
public enum ISOTimestamp {
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: trimmed) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: trimmed) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: trimmed)
    }
}
