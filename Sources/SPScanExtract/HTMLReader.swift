import Foundation
import SPScanModel

/// Finds the main content of an HTML page and turns it into blocks.
///
/// Three passes, each generic: (1) drop what is never content by structure: scripts, styles, forms,
/// `nav`/`aside`/site `header`/`footer`, ARIA landmarks other than `main`, hidden elements, and elements whose
/// class or id says menu, cookie, banner, sidebar, breadcrumb, share, related…; (2) drop link farms (lists and
/// boxes whose text is mostly links); (3) if the page marks its `main` (or one `article`), read that, else
/// score containers by the text of the paragraphs directly inside them, damped by link density (the idea
/// behind Readability), and read the best one with its qualifying siblings.
struct HTMLReader {
    struct Result {
        var blocks: [Block]
        var title: String?
        var links: [URL]
    }

    func read(_ data: Data, contentType: String?, baseURL: URL?) throws(ExtractError) -> Result {
        let charset = Charset.detect(data, contentType: contentType, lookForMeta: true)
        let root = try LibXML.parseHTML(data.dropFirst(charset.bomLength), encoding: charset.name)
        let head = root.child(named: "head")
        let title = head?.child(named: "title").map { plainText($0).collapsingWhitespace }
        var base = baseURL
        if let href = head?.child(named: "base")?.attributes["href"], let resolved = URL(string: href, relativeTo: baseURL) {
            base = resolved.absoluteURL
        }
        let links = collectLinks(root, base: base)

        let body = root.child(named: "body") ?? root
        pruneBoilerplate(body)
        var stats = TextStats()
        stats.measure(body)
        pruneLinkFarms(body, stats: stats, pageText: stats.text[ObjectIdentifier(body)] ?? 0)
        stats = TextStats()
        stats.measure(body)

        var emitter = BlockEmitter()
        let roots = contentRoots(body, stats: stats)
        // The page's h1 names the content even when it sits in a box of its own beside the chosen container.
        if let heading = body.descendants(named: "h1").first,
            !roots.contains(where: { root in root === heading || root.descendants(named: "h1").contains { $0 === heading } })
        {
            emitter.walk(heading, role: .paragraph)
        }
        for container in roots { emitter.walk(container, role: .paragraph) }
        emitter.flush()
        return Result(blocks: emitter.blocks, title: title?.isEmpty == false ? title : nil, links: links)
    }

    // MARK: - Pass 1: structure

    private static let droppedTags: Set<String> = [
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "form", "button",
        "select", "input", "textarea", "nav", "aside", "menu", "dialog", "head", "link", "meta", "video", "audio",
        "map", "label",
    ]
    private static let droppedRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu",
        "menubar", "tablist", "alert",
    ]
    /// Words in class or id that mark boilerplate on most sites; matched as whole tokens or prefixes.
    private static let boilerplateWords = [
        "nav", "navbar", "navigation", "menu", "megamenu", "footer", "header", "masthead", "sidebar", "cookie",
        "cookies", "consent", "gdpr", "banner", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
        "related", "promo", "advert", "ads", "newsletter", "subscribe", "skip", "popup", "modal", "toolbar",
        "pagination", "pager", "utility", "widget", "feedback", "offcanvas", "site-search", "search", "alert",
    ]
    private static let contentNames: Set<String> = [
        "content", "main", "main-content", "maincontent", "page-content", "article", "post", "entry", "entry-content",
    ]

    private func pruneBoilerplate(_ element: MarkupElement) {
        element.children.removeAll { node in
            guard case .element(let child) = node else { return false }
            return isBoilerplate(child)
        }
        for case .element(let child) in element.children { pruneBoilerplate(child) }
    }

    private func isBoilerplate(_ element: MarkupElement) -> Bool {
        let attributes = element.attributes
        if Self.droppedTags.contains(element.name) { return true }
        if attributes["hidden"] != nil || attributes["aria-hidden"] == "true" { return true }
        if let style = attributes["style"]?.lowercased().replacingOccurrences(of: " ", with: ""),
            style.contains("display:none") || style.contains("visibility:hidden")
        {
            return true
        }
        if let role = attributes["role"]?.lowercased(), Self.droppedRoles.contains(role) { return true }
        if element.name == "header" || element.name == "footer" {
            return element.descendants(named: "h1").isEmpty
        }
        let names = ((attributes["class"] ?? "") + " " + (attributes["id"] ?? "")).lowercased()
        guard !names.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        let tokens = names.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).map(String.init)
        guard tokens.contains(where: { Self.boilerplateWords.contains($0) }) else { return false }
        // `class="content sidebar-aware"`: a box that calls itself the content is kept whatever else it says.
        if names.split(separator: " ").contains(where: { Self.contentNames.contains(String($0)) }) { return false }
        // A page title often sits in a "page-header" box: keep what holds the h1.
        return element.descendants(named: "h1").isEmpty
    }

    // MARK: - Pass 2: link farms

    private func pruneLinkFarms(_ element: MarkupElement, stats: TextStats, pageText: Int) {
        element.children.removeAll { node in
            guard case .element(let child) = node else { return false }
            let id = ObjectIdentifier(child)
            let text = stats.text[id] ?? 0
            let linkText = stats.linkText[id] ?? 0
            guard Self.linkFarmCandidates.contains(child.name), text > 0, (stats.links[id] ?? 0) >= 3,
                text * 2 < pageText
            else { return false }
            return Double(linkText) / Double(text) > 0.6
        }
        for case .element(let child) in element.children { pruneLinkFarms(child, stats: stats, pageText: pageText) }
    }

    private static let linkFarmCandidates: Set<String> = ["ul", "ol", "dl", "div", "section", "table", "p"]

    // MARK: - Pass 3: the content container

    private func contentRoots(_ body: MarkupElement, stats: TextStats) -> [MarkupElement] {
        let bodyText = stats.text[ObjectIdentifier(body)] ?? 0
        let marked =
            body.descendants(named: "main")
            + body.descendants(named: "div").filter { $0.attributes["role"]?.lowercased() == "main" }
        if marked.count == 1, let main = marked.first, (stats.text[ObjectIdentifier(main)] ?? 0) * 4 >= bodyText {
            return [main]
        }
        let articles = body.descendants(named: "article")
        if articles.count == 1, let article = articles.first, (stats.text[ObjectIdentifier(article)] ?? 0) * 4 >= bodyText {
            return [article]
        }
        return scoredRoots(body, stats: stats)
    }

    private static let paragraphTags: Set<String> = ["p", "li", "td", "pre", "blockquote", "dd", "h2", "h3", "h4"]

    private func scoredRoots(_ body: MarkupElement, stats: TextStats) -> [MarkupElement] {
        var scores: [ObjectIdentifier: Double] = [:]
        var parents: [ObjectIdentifier: MarkupElement] = [:]
        var candidates: [MarkupElement] = []
        var stack: [MarkupElement] = [body]
        var order: [ObjectIdentifier: Int] = [:]
        while let element = stack.popLast() {
            order[ObjectIdentifier(element)] = order.count
            for case .element(let child) in element.children {
                parents[ObjectIdentifier(child)] = element
                stack.append(child)
            }
            guard Self.paragraphTags.contains(element.name) else { continue }
            let id = ObjectIdentifier(element)
            let text = stats.text[id] ?? 0
            guard text >= 25 else { continue }
            let linkDensity = Double(stats.linkText[id] ?? 0) / Double(text)
            let score = (1 + min(3, Double(text) / 100)) * (1 - linkDensity)
            var ancestor = parents[id]
            var share = 1.0
            for _ in 0..<2 {
                guard let current = ancestor else { break }
                let ancestorID = ObjectIdentifier(current)
                if scores[ancestorID] == nil { candidates.append(current) }
                scores[ancestorID, default: 0] += score * share
                share /= 2
                ancestor = parents[ancestorID]
            }
        }
        func finalScore(_ element: MarkupElement) -> Double {
            let id = ObjectIdentifier(element)
            let text = Double(max(1, stats.text[id] ?? 0))
            return (scores[id] ?? 0) * (1 - Double(stats.linkText[id] ?? 0) / text)
        }
        guard let best = candidates.max(by: { finalScore($0) < finalScore($1) }), finalScore(best) > 0 else { return [body] }
        guard let parent = parents[ObjectIdentifier(best)] else { return [best] }
        // Content is often split across sibling boxes (intro, outline, outcomes table): keep the siblings that
        // score well or read as prose.
        let threshold = max(2, finalScore(best) * 0.2)
        var roots: [MarkupElement] = []
        for case .element(let sibling) in parent.children {
            if sibling === best {
                roots.append(sibling)
                continue
            }
            let id = ObjectIdentifier(sibling)
            let text = stats.text[id] ?? 0
            let linkDensity = Double(stats.linkText[id] ?? 0) / Double(max(1, text))
            if finalScore(sibling) >= threshold || (text >= 80 && linkDensity < 0.25) {
                roots.append(sibling)
            }
        }
        return roots
    }

    // MARK: - Links and text

    private func collectLinks(_ root: MarkupElement, base: URL?) -> [URL] {
        var seen = Set<String>()
        var links: [URL] = []
        for anchor in root.descendants(named: "a") {
            guard let href = anchor.attributes["href"]?.trimmingCharacters(in: .whitespacesAndNewlines), !href.isEmpty,
                !href.hasPrefix("#"), let resolved = URL(string: href, relativeTo: base)?.absoluteURL,
                let scheme = resolved.scheme?.lowercased(), scheme == "http" || scheme == "https"
            else { continue }
            var components = URLComponents(url: resolved, resolvingAgainstBaseURL: false)
            components?.fragment = nil
            guard let url = components?.url, seen.insert(url.absoluteString).inserted else { continue }
            links.append(url)
        }
        return links
    }
}

/// All the text below an element, in document order.
func plainText(_ element: MarkupElement) -> String {
    var result = ""
    var stack: [MarkupNode] = element.children.reversed()
    while let node = stack.popLast() {
        switch node {
        case .text(let text): result += text
        case .element(let child):
            if child.name == "br" { result += " " }
            stack.append(contentsOf: child.children.reversed())
        }
    }
    return result
}

/// Visible-text and link-text sizes per element, counted in non-space characters.
struct TextStats {
    var text: [ObjectIdentifier: Int] = [:]
    var linkText: [ObjectIdentifier: Int] = [:]
    var links: [ObjectIdentifier: Int] = [:]

    @discardableResult
    mutating func measure(_ element: MarkupElement, insideLink: Bool = false) -> (text: Int, linkText: Int, links: Int) {
        var total = 0
        var linked = 0
        var count = element.name == "a" ? 1 : 0
        let isLink = insideLink || element.name == "a"
        for child in element.children {
            switch child {
            case .text(let string):
                var visible = 0
                for scalar in string.unicodeScalars where !scalar.properties.isWhitespace { visible += 1 }
                total += visible
                if isLink { linked += visible }
            case .element(let childElement):
                let measured = measure(childElement, insideLink: isLink)
                total += measured.text
                linked += measured.linkText
                count += measured.links
            }
        }
        let id = ObjectIdentifier(element)
        text[id] = total
        linkText[id] = linked
        links[id] = count
        return (total, linked, count)
    }
}

/// Walks the chosen content and cuts it into blocks at block-level elements.
struct BlockEmitter {
    private(set) var blocks: [Block] = []
    private var buffer = ""
    private var bufferRole: BlockRole = .paragraph

    private static let blockTags: Set<String> = [
        "p", "div", "section", "article", "main", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
        "thead", "tbody", "tfoot", "figure", "figcaption", "address", "header", "footer", "hr", "details", "summary",
        "caption", "center", "fieldset",
    ]

    mutating func walk(_ element: MarkupElement, role: BlockRole) {
        switch element.name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            flush()
            let level = Int(String(element.name.dropFirst())) ?? 2
            blocks.append(Block(plainText(element), role: .heading, level: level))
        case "tr":
            flush()
            let cells = element.children.compactMap { node -> String? in
                guard case .element(let cell) = node, cell.name == "td" || cell.name == "th" else { return nil }
                let text = plainText(cell).collapsingWhitespace
                return text.isEmpty ? nil : text
            }
            if !cells.isEmpty { blocks.append(Block(cells.joined(separator: " | "), role: .tableCell)) }
        case "li", "dd":
            flush()
            walkChildren(element, role: .listItem)
            flush()
        case "br":
            buffer += " "
        case "img":
            break
        default:
            if Self.blockTags.contains(element.name) {
                flush()
                walkChildren(element, role: role)
                flush()
            } else {
                walkChildren(element, role: role)
            }
        }
    }

    private mutating func walkChildren(_ element: MarkupElement, role: BlockRole) {
        for child in element.children {
            switch child {
            case .text(let text):
                if buffer.isEmpty { bufferRole = role }
                buffer += text
            case .element(let childElement):
                walk(childElement, role: role)
            }
        }
    }

    mutating func flush() {
        let text = buffer.collapsingWhitespace
        buffer = ""
        guard !text.isEmpty else { return }
        blocks.append(Block(text, role: bufferRole))
    }
}
