import Foundation
import SPScanCatalog
import SPScanCoverage
import SPScanModel

/// The changes as an Atom feed (RFC 4287), for a feed reader: one entry per changed document (linking to its
/// diff) and one per coverage cell that moved (linking to the competency's documents in that row).
///
/// Entry ids name the scan and the thing that changed, so that a reader shows a later change of the same
/// document as a new entry and the same change, fetched again, as the one it has.
public enum ChangeFeed {
    public static func atom(_ report: ChangeReport, cells: [CellMove], baseURL: String, now: Date = Date()) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let updated = report.scans.last.map { $0.finishedAt ?? $0.startedAt } ?? now
        let scan = report.scans.last.map { "\($0.id)" } ?? "0"
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        out += "  <title>spscan: what changed</title>\n"
        out += "  <id>\(xml(base))/feed.atom</id>\n"
        out += "  <link rel=\"self\" href=\"\(xml(base))/feed.atom\"/>\n"
        out += "  <link href=\"\(xml(base))/scans\"/>\n"
        out += "  <updated>\(ISOTimestamp.format(updated))</updated>\n"
        out += "  <author><name>spscan</name></author>\n"
        let sentences = Dictionary(grouping: report.sentences, by: \.documentID)
        let documents: [(String, [ChangeReport.DocumentEntry])] = [
            ("New", report.newDocuments), ("Changed", report.changedDocuments), ("Gone", report.goneDocuments),
            ("Removed from Sources.yaml", report.removedDocuments),
        ]
        for (kind, entries) in documents {
            for entry in entries {
                let path = "/documents/\(percent(entry.documentID))" + (kind == "Changed" ? "/diff" : "")
                var summary = (sentences[entry.documentID] ?? []).map { ($0.change == .added ? "+ " : "- ") + $0.text }
                if let detail = entry.detail { summary.insert(detail, at: 0) }
                out += entryXML(
                    id: "\(base)/scans/\(scan)/documents/\(entry.documentID)", title: "\(kind): \(entry.title)",
                    link: base + path, updated: updated,
                    summary: summary.isEmpty ? "\(kind): \(entry.url)" : summary.joined(separator: "\n"))
            }
        }
        for cell in cells {
            let filter = cell.rows == .country ? "country" : "target-group"
            let verb = cell.after > cell.before ? "gained" : "lost"
            out += entryXML(
                id: "\(base)/scans/\(scan)/coverage/\(cell.rows.rawValue)/\(cell.row)/\(cell.competency)",
                title: "\(cell.competency) \(verb) in \(cell.label): \(cell.before) → \(cell.after) documents",
                link: "\(base)/competencies/\(percent(cell.competency))?\(filter)=\(percent(cell.row))", updated: updated,
                summary: cell.documents.isEmpty ? "" : "Moved by: " + cell.documents.joined(separator: ", "))
        }
        return out + "</feed>\n"
    }

    private static func entryXML(id: String, title: String, link: String, updated: Date, summary: String) -> String {
        var out = "  <entry>\n"
        out += "    <id>\(xml(id))</id>\n"
        out += "    <title>\(xml(title))</title>\n"
        out += "    <link href=\"\(xml(link))\"/>\n"
        out += "    <updated>\(ISOTimestamp.format(updated))</updated>\n"
        if !summary.isEmpty { out += "    <summary type=\"text\">\(xml(summary))</summary>\n" }
        return out + "  </entry>\n"
    }

    private static func xml(_ text: String) -> String { Escaping.xml(text) }

    private static func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "?&=#/"))) ?? text
    }
}
