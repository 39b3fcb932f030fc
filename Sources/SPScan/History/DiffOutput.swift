import Foundation
import SPScanCoverage
import SPScanModel

/// A document diff as a person reads it (text, HTML) or a script does (JSON, offsets instead of markup).
public enum DiffOutput {
    /// Unchanged words kept on each side of a change; the rest is folded into "…".
    public static let context = 12

    /// `[-removed-]{+added+}` in the manner of `git diff --word-diff`; with `color`, red and green instead.
    public static func text(_ diff: DocumentDiff, color: Bool = false) -> String {
        var lines = [
            "\(diff.documentID): \(diff.title) <\(diff.url)>",
            "from version \(diff.from.number) (\(describe(diff.from))) to version \(diff.to.number) (\(describe(diff.to)))",
        ]
        if let date = diff.layoutChangedAt {
            lines.append(
                "The page was fetched again on \(ISOTimestamp.format(date)) with the same main text: only the layout or "
                    + "page chrome changed since version \(diff.to.number), so that is no new version.")
        }
        if diff.from == diff.to {
            lines.append("The same version on both sides: nothing to compare.")
            return lines.joined(separator: "\n")
        }
        if diff.layoutOnly {
            lines.append("Only the layout changed (line breaks, paragraphs): the words are the same.")
            return lines.joined(separator: "\n")
        }
        if diff.diff.isEmpty {
            lines.append("The text is the same.")
            return lines.joined(separator: "\n")
        }
        lines.append("\(diff.diff.wordsAdded) words added, \(diff.diff.wordsRemoved) removed.")
        for hunk in diff.diff.hunks(context: context) {
            var out = hunk.foldedBefore ? "…" : ""
            for segment in hunk.segments {
                switch (segment.operation, color) {
                case (.same, _): out += segment.text
                case (.removed, false): out += "[-\(segment.text)-]"
                case (.added, false): out += "{+\(segment.text)+}"
                case (.removed, true): out += "\u{1B}[31;9m\(segment.text)\u{1B}[0m"
                case (.added, true): out += "\u{1B}[32;1m\(segment.text)\u{1B}[0m"
                }
            }
            if hunk.foldedAfter { out += "…" }
            lines.append("")
            lines.append(out.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return lines.joined(separator: "\n")
    }

    /// The hunks as an HTML fragment: `<del>` and `<ins>` around changed words, everything from the page escaped.
    public static func html(_ diff: DocumentDiff, allContext: Bool = false) -> String {
        var out = "<div class=\"diff\">\n"
        out += "<p class=\"diff-summary\">Version \(diff.from.number) (\(Escaping.html(describe(diff.from)))) → "
        out += "version \(diff.to.number) (\(Escaping.html(describe(diff.to)))): "
        if let date = diff.layoutChangedAt {
            out += "(fetched again on \(Escaping.html(ISOTimestamp.format(date))) with the same main text: only the layout "
            out += "or page chrome changed since) "
        }
        if diff.layoutOnly {
            out += "only the layout changed; the words are the same.</p>\n</div>"
            return out
        }
        out += "\(diff.diff.wordsAdded) words added, \(diff.diff.wordsRemoved) removed.</p>\n"
        let hunks =
            allContext
            ? [TextDiff.Hunk(segments: diff.diff.segments, foldedBefore: false, foldedAfter: false)]
            : diff.diff.hunks(context: context)
        for hunk in hunks {
            out += "<p class=\"diff-hunk\">"
            if hunk.foldedBefore { out += "<span class=\"fold\">…</span>" }
            for segment in hunk.segments {
                let text = Escaping.html(segment.text).replacingOccurrences(of: "\n", with: "<br>")
                switch segment.operation {
                case .same: out += text
                case .removed: out += "<del>\(text)</del>"
                case .added: out += "<ins>\(text)</ins>"
                }
            }
            if hunk.foldedAfter { out += "<span class=\"fold\">…</span>" }
            out += "</p>\n"
        }
        return out + "</div>"
    }

    static func describe(_ version: DocumentVersion) -> String {
        let date = (version.scanStartedAt ?? version.fetchedAt).map { ISOTimestamp.format($0) } ?? "date unknown"
        let pruned = version.prunedAt.map { "; snapshot pruned \(ISOTimestamp.format($0)), its text kept" } ?? ""
        return "scan \(version.scan), \(date)\(pruned)"
    }

    /// The diff for scripts: each hunk's segments with their operation and text, no markup.
    public struct JSON: Encodable, Sendable {
        struct Segment: Encodable, Sendable {
            var op: TextDiff.Operation
            var text: String
        }

        struct Hunk: Encodable, Sendable {
            var foldedBefore: Bool
            var foldedAfter: Bool
            var segments: [Segment]

            enum CodingKeys: String, CodingKey {
                case foldedBefore = "folded_before"
                case foldedAfter = "folded_after"
                case segments
            }
        }

        var documentID: String
        var title: String
        var url: String
        var from: DocumentVersion
        var to: DocumentVersion
        var layoutOnly: Bool
        var layoutChangedAt: Date?
        var wordsAdded: Int
        var wordsRemoved: Int
        var hunks: [Hunk]

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case title
            case url
            case from
            case to
            case layoutOnly = "layout_only"
            case layoutChangedAt = "layout_changed_at"
            case wordsAdded = "words_added"
            case wordsRemoved = "words_removed"
            case hunks
        }

        public init(_ diff: DocumentDiff) {
            documentID = diff.documentID
            title = diff.title
            url = diff.url
            from = diff.from
            to = diff.to
            layoutOnly = diff.layoutOnly
            layoutChangedAt = diff.layoutChangedAt
            wordsAdded = diff.diff.wordsAdded
            wordsRemoved = diff.diff.wordsRemoved
            hunks = diff.diff.hunks(context: DiffOutput.context).map { hunk in
                Hunk(
                    foldedBefore: hunk.foldedBefore, foldedAfter: hunk.foldedAfter,
                    segments: hunk.segments.map { Segment(op: $0.operation, text: $0.text) })
            }
        }
    }
}
