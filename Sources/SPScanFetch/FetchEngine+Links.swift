import Foundation
import Logging
import SPScanModel

// Following links: which of a page's links a source's follow rules admit, queued as documents of the source.
extension FetchEngine {
    func follow(_ job: Job, body: Data, contentType: String?, base: URL?) {
        let state = sources[job.source]
        guard let rules = state.source.follow, job.depth < rules.depth, let extractor = options.linkExtractor,
            let base, contentType?.lowercased().contains("html") ?? Self.looksLikeHTML(body)
        else { return }
        for link in extractor(body, base, contentType) {
            guard state.followed < rules.maxDocuments else { break }
            guard let clean = URL(string: Self.withoutFragment(link)), Self.admits(clean, rules: rules, from: state.source.url)
            else { continue }
            guard state.seen.insert(clean.absoluteString).inserted else { continue }
            state.followed += 1
            enqueue(Job(source: job.source, requested: clean.absoluteString, current: clean, depth: job.depth + 1))
        }
    }

    static func admits(_ link: URL, rules: FollowRules, from page: URL) -> Bool {
        let scheme = link.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", let host = link.host?.lowercased() else { return false }
        if rules.sameSite, site(host) != site(page.host?.lowercased() ?? "") { return false }
        guard rules.admits(link.absoluteString) else { return false }
        let ext = link.pathExtension.lowercased()
        let format: DocumentFormat =
            switch ext {
            case "pdf": .pdf
            case "docx": .docx
            default: .html
            }
        if format == .html, !["", "html", "htm", "php", "aspx", "asp", "jsp"].contains(ext) { return false }
        return rules.types.contains(format)
    }

    /// The registrable part of a host, approximately: the last two labels, or three under a two-letter
    /// country code with a generic second level (`nhs.uk`, `gov.sg`, `gc.ca`).
    static func site(_ host: String) -> String {
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        let secondLevel = ["co", "ac", "gov", "org", "nhs", "com", "edu", "net", "gc"]
        let keep = labels.last?.count == 2 && secondLevel.contains(String(labels[labels.count - 2])) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    static func looksLikeHTML(_ body: Data) -> Bool {
        let head = String(decoding: body.prefix(512), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html")
    }

    static func withoutFragment(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url.absoluteString }
        components.fragment = nil
        return components.url?.absoluteString ?? url.absoluteString
    }
}
