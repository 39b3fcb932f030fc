import Foundation
import Hummingbird
import SPScan
import SPScanCatalog
import SPScanCoverage
import SPScanFetch
import SPScanModel

// The history views: a document's old versions and the diff between two, the coverage chart of the scans
// page, and the Atom feed of changes. Each reads through SPScan, the same door as `spscan diff`, `spscan
// trend` and `spscan changes --format atom`.

extension Site {
    func addHistoryRoutes(to router: Router<WebRequestContext>) {
        router.get("/documents/:id/versions/:number") { _, context in
            let id = context.parameters.get("id") ?? ""
            let number = context.parameters.get("number") ?? ""
            let history = try documentHistory()
            let (detail, versions) = try historyCall { try history.versions(of: id) }
            let version = try historyCall { try DocumentHistory.version(number, in: versions, documentID: id) }
            let text = try historyCall { try history.text(of: version, detail: detail) }
            return Reply.html(
                HistoryPages.version(detail: detail, version: version, count: versions.count, text: text, sample: try catalog.hasSamples()))
        }
        router.get("/documents/:id/diff") { request, context in
            let id = context.parameters.get("id") ?? ""
            let form = FormQuery(request.uri.query)
            let history = try documentHistory()
            let diff = try historyCall { try history.diff(documentID: id, from: form.first("from"), to: form.first("to")) }
            let (_, versions) = try historyCall { try history.versions(of: id) }
            return Reply.html(HistoryPages.diff(diff, versions: versions, sample: try catalog.hasSamples()))
        }
        router.get("/feed.atom") { request, _ in
            let report = try catalog.database.changes(since: nil)
            let history = try CoverageHistory(catalog: catalog.database, framework: framework)
            let host = request.head.authority ?? "127.0.0.1"
            let feed = ChangeFeed.atom(report, cells: history.cellMoves(for: report), baseURL: "http://\(host)")
            var response = Reply.html(feed)
            response.headers[.contentType] = "application/atom+xml; charset=utf-8"
            return response
        }
    }

    func documentHistory() throws -> DocumentHistory {
        guard let corpus else { throw WebError.unknownDocument("(no Corpus/ configured)") }
        return DocumentHistory(catalog: catalog.database, store: try SnapshotStore(corpus: corpus))
    }

    /// The snapshots of a document's versions that `spscan corpus prune` removed (their text is kept).
    func prunedSnapshots(of detail: DocumentDetail) -> Set<String> {
        guard let corpus else { return [] }
        let texts = PrunedTexts(corpus: corpus)
        let objects = corpus.appendingPathComponent("objects")
        return Set(
            detail.versions.compactMap(\.snapshotSHA256).filter { sha in
                !FileManager.default.fileExists(atPath: objects.appendingPathComponent("\(sha.prefix(2))/\(sha)").path)
                    && texts.prunedAt(sha256: sha) != nil
            })
    }

    /// The coverage chart section for the scans page.
    func coverageChart() throws -> String {
        try CoverageHistory(catalog: catalog.database, framework: framework).chartSection()
    }

    func historyCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HistoryError {
            switch error {
            case .unknownDocument(let id, _): throw WebError.unknownDocument(id)
            default: throw WebError.badParameter(name: "version", value: "", allowed: error.localizedDescription)
            }
        }
    }
}

enum HistoryPages {
    static func version(detail: DocumentDetail, version: DocumentVersion, count: Int, text: String, sample: Bool) -> String {
        let document = detail.document
        let id = Pages.path(document.id)
        var body = "<h1>\(HTML.text(document.title))</h1>\n"
        body += "<p>Version \(version.number) of \(count), from scan \(version.scan) (\(HTML.date(version.scanStartedAt))). "
        body += "<a href=\"/documents/\(id)\">Back to the document</a>"
        if version.number > 1 {
            body +=
                " · <a href=\"/documents/\(id)/diff?from=\(version.number - 1)&amp;to=\(version.number)\">What changed in this version</a>"
        }
        body += "</p>\n"
        if let prunedAt = version.prunedAt {
            body += "<p class=\"note\">This version's snapshot was pruned on \(HTML.date(prunedAt)) (spscan corpus prune); "
            body += "the text below is the one extracted from it before.</p>\n"
        }
        body += "<div class=\"version-text\">\n"
        for paragraph in text.split(whereSeparator: \.isNewline) {
            body += "<p>\(HTML.text(String(paragraph)))</p>\n"
        }
        body += "</div>\n"
        return HTML.page(title: "\(document.title): version \(version.number)", body: body, sample: sample)
    }

    static func diff(_ diff: DocumentDiff, versions: [DocumentVersion], sample: Bool) -> String {
        let id = Pages.path(diff.documentID)
        var body = "<h1>\(HTML.text(diff.title)): what changed</h1>\n"
        body += "<form method=\"get\" action=\"/documents/\(id)/diff\" class=\"diff-choice\">"
        for (name, selected) in [("from", diff.from.number), ("to", diff.to.number)] {
            body += "<label>\(name == "from" ? "From" : "To") <select name=\"\(name)\">"
            for version in versions {
                body += "<option value=\"\(version.number)\"\(version.number == selected ? " selected" : "")>"
                body += "\(version.number): \(HTML.date(version.scanStartedAt))</option>"
            }
            body += "</select></label> "
        }
        body += "<button type=\"submit\">Compare</button></form>\n"
        body += "<p><a href=\"/documents/\(id)\">Back to the document</a></p>\n"
        body += DiffOutput.html(diff)
        body += "\n<style>.diff ins{background:#d4f7d4;text-decoration:none}.diff del{background:#fbd5d5}.diff .fold{color:#777}</style>\n"
        return HTML.page(title: "\(diff.title): what changed", body: body, sample: sample)
    }
}
