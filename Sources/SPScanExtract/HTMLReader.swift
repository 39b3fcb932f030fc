import Foundation
import SPScanModel

/// Finds the main content of an HTML page and turns it into blocks.
///
/// Three passes, each generic: (1) drop what is never content by structure: scripts, styles, form controls,
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

    func read(_ data: Data, contentType: String?, baseURL: URL?) -> Result {
        let charset = Charset.detect(data, contentType: contentType, lookForMeta: true)
        let root = LibXML.parseHTML(data.dropFirst(charset.bomLength), encoding: charset.name)
        let head = root.child(named: "head")
        let title = head?.child(named: "title").map { plainText($0).collapsingWhitespace }
        var base = baseURL
        if let href = head?.child(named: "base")?.attributes["href"], let resolved = URL(string: href, relativeTo: baseURL) {
            base = resolved.absoluteURL
        }
        let links = collectLinks(root, base: base)

        let body = root.child(named: "body") ?? root
        pruneBoilerplate(body)
        measureText(body)
        pruneLinkFarms(body, pageText: body.textLength)

        var emitter = BlockEmitter()
        let roots = contentRoots(body)
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
        // Not `form`: ASP.NET WebForms sites wrap the whole page in one.
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "button",
        "select", "input", "textarea", "nav", "aside", "menu", "dialog", "head", "link", "meta", "video", "audio",
        "map", "label",
    ]
    private static let droppedRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu",
        "menubar", "tablist", "alert",
    ]
    /// Words in class or id that mark boilerplate on most sites, matched as whole tokens of the names split
    /// at spaces, hyphens and underscores (`main-menu` matches, `menus-of-care` does not match `menu`).
    private static let boilerplateWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "megamenu", "footer", "header", "masthead", "sidebar", "cookie",
        "cookies", "consent", "gdpr", "banner", "breadcrumb", "breadcrumbs", "share", "sharing", "social",
        "related", "promo", "advert", "ads", "newsletter", "subscribe", "skip", "popup", "modal", "toolbar",
        "pagination", "pager", "utility", "widget", "feedback", "offcanvas", "site-search", "search", "alert",
        "comments", "comment", "byline", "meta",
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
        if let style = attributes["style"]?.lowercased().filter({ $0 != " " }),
            style.contains("display:none") || style.contains("visibility:hidden")
        {
            return true
        }
        if let role = attributes["role"]?.lowercased(), Self.droppedRoles.contains(role) { return true }
        if element.name == "header" || element.name == "footer" {
            return element.descendants(named: "h1").isEmpty
        }
        let className = attributes["class"] ?? ""
        let id = attributes["id"] ?? ""
        guard !className.isEmpty || !id.isEmpty else { return false }
        let names = (className + " " + id).lowercased()
        let tokens = names.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).map(String.init)
        guard tokens.contains(where: { Self.boilerplateWords.contains($0) }) else { return false }
        // `class="content sidebar-aware"`: a box that calls itself the content is kept whatever else it says.
        if names.split(separator: " ").contains(where: { Self.contentNames.contains(String($0)) }) { return false }
        // A page title often sits in a "page-header" box: keep what holds the h1.
        return element.descendants(named: "h1").isEmpty
    }

    // MARK: - Pass 2: link farms

    /// Removes link farms below `element` and returns what was removed, so that the counts of every
    /// ancestor stay right without measuring the tree again.
    @discardableResult
    private func pruneLinkFarms(_ element: MarkupElement, pageText: Int) -> (text: Int, linkText: Int, links: Int) {
        var removed = (text: 0, linkText: 0, links: 0)
        element.children.removeAll { node in
            guard case .element(let child) = node, Self.linkFarmCandidates.contains(child.name), child.textLength > 0,
                child.linkCount >= 3, child.textLength * 2 < pageText,
                Double(child.linkTextLength) / Double(child.textLength) > 0.6
            else { return false }
            removed.text += child.textLength
            removed.linkText += child.linkTextLength
            removed.links += child.linkCount
            return true
        }
        for case .element(let child) in element.children {
            let below = pruneLinkFarms(child, pageText: pageText)
            removed.text += below.text
            removed.linkText += below.linkText
            removed.links += below.links
        }
        element.textLength -= removed.text
        element.linkTextLength -= removed.linkText
        element.linkCount -= removed.links
        return removed
    }

    private static let linkFarmCandidates: Set<String> = ["ul", "ol", "dl", "div", "section", "table", "p"]

    // MARK: - Pass 3: the content container

    private func contentRoots(_ body: MarkupElement) -> [MarkupElement] {
        let marked =
            body.descendants(named: "main") + body.descendants(named: "div").filter { $0.attributes["role"]?.lowercased() == "main" }
        if marked.count == 1, let main = marked.first, main.textLength * 4 >= body.textLength {
            return [main]
        }
        let articles = body.descendants(named: "article")
        if articles.count == 1, let article = articles.first, article.textLength * 4 >= body.textLength {
            return [article]
        }
        return scoredRoots(body)
    }

    private static let paragraphTags: Set<String> = ["p", "li", "td", "pre", "blockquote", "dd", "h2", "h3", "h4"]

    /// Gives each element the score of the paragraphs directly below it, and half of those one level further.
    /// Returns the element's own paragraph score and what its parent receives from it.
    @discardableResult
    private func score(_ element: MarkupElement) -> (own: Double, toParent: Double) {
        var total = 0.0
        var half = 0.0
        for case .element(let child) in element.children {
            let childScore = score(child)
            total += childScore.toParent
            half += childScore.own / 2
        }
        element.contentScore = total
        guard Self.paragraphTags.contains(element.name), element.textLength >= 25 else { return (0, half) }
        let linkDensity = Double(element.linkTextLength) / Double(element.textLength)
        let own = (1 + min(3, Double(element.textLength) / 100)) * (1 - linkDensity)
        return (own, own + half)
    }

    private func finalScore(_ element: MarkupElement) -> Double {
        element.contentScore * (1 - Double(element.linkTextLength) / Double(max(1, element.textLength)))
    }

    private func scoredRoots(_ body: MarkupElement) -> [MarkupElement] {
        score(body)
        var best: (element: MarkupElement, parent: MarkupElement?, score: Double) = (body, nil, finalScore(body))
        var stack: [MarkupElement] = [body]
        while let element = stack.popLast() {
            for case .element(let child) in element.children {
                let childScore = finalScore(child)
                if childScore > best.score { best = (child, element, childScore) }
                stack.append(child)
            }
        }
        guard best.score > 0 else { return [body] }
        guard let parent = best.parent else { return [best.element] }
        // Content is often split across sibling boxes (intro, outline, outcomes table): keep the siblings that
        // score well or read as prose.
        let threshold = max(2, best.score * 0.2)
        var roots: [MarkupElement] = []
        for case .element(let sibling) in parent.children {
            let linkDensity = Double(sibling.linkTextLength) / Double(max(1, sibling.textLength))
            if sibling === best.element || finalScore(sibling) >= threshold || (sibling.textLength >= 80 && linkDensity < 0.25) {
                roots.append(sibling)
            }
        }
        return roots
    }

    // MARK: - Links and text

    private func collectLinks(_ root: MarkupElement, base: URL?) -> [URL] {
        var seen = Set<String>()
        var links: [URL] = []
        var seenHrefs = Set<String>()
        for anchor in root.descendants(named: "a") {
            // Menus repeat the same links in header, body and footer: resolve each spelling once.
            guard var href = anchor.attributes["href"], !href.isEmpty, !href.hasPrefix("#"), seenHrefs.insert(href).inserted
            else { continue }
            if let hash = href.firstIndex(of: "#") { href = String(href[..<hash]) }
            href = href.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let url = URL(string: href, relativeTo: base)?.absoluteURL, let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", seen.insert(url.absoluteString).inserted
            else { continue }
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

/// Counts visible and link characters (non-space) below each element, storing them on the element.
@discardableResult
func measureText(_ element: MarkupElement, insideLink: Bool = false) -> MarkupElement {
    var total = 0
    var linked = 0
    var count = element.name == "a" ? 1 : 0
    let isLink = insideLink || element.name == "a"
    for child in element.children {
        switch child {
        case .text(let string):
            var visible = 0
            for byte in string.utf8 where byte != 0x20 && (byte < 0x09 || byte > 0x0D) && byte & 0xC0 != 0x80 { visible += 1 }
            total += visible
            if isLink { linked += visible }
        case .element(let childElement):
            measureText(childElement, insideLink: isLink)
            total += childElement.textLength
            linked += childElement.linkTextLength
            count += childElement.linkCount
        }
    }
    element.textLength = total
    element.linkTextLength = linked
    element.linkCount = count
    return element
}

/// Walks the chosen content and cuts it into blocks at block-level elements.
struct BlockEmitter {
    private(set) var blocks: [Block] = []
    private var buffer = ""
    private var bufferRole: BlockRole = .paragraph
    /// A `<br>` was the last thing seen, with no visible text after it.
    private var lineBroken = false

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
        case "tr" where isLayoutRow(element):
            // Older sites lay whole pages out in tables: a row holding paragraphs or headings is read as boxes.
            flush()
            walkChildren(element, role: role)
            flush()
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
            // Older pages separate paragraphs with `<br><br>`: two breaks with nothing between end a block.
            if lineBroken {
                flush()
            } else {
                buffer += " "
                lineBroken = true
            }
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

    private static let layoutMarkers: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "div",
    ]

    /// A table row used for page layout rather than data: its cells hold paragraphs, headings, lists or boxes.
    private func isLayoutRow(_ row: MarkupElement) -> Bool {
        var stack = row.children
        while let node = stack.popLast() {
            guard case .element(let element) = node else { continue }
            if Self.layoutMarkers.contains(element.name) { return true }
            stack.append(contentsOf: element.children)
        }
        return false
    }

    private mutating func walkChildren(_ element: MarkupElement, role: BlockRole) {
        for child in element.children {
            switch child {
            case .text(let text):
                if buffer.isEmpty { bufferRole = role }
                buffer += text
                if lineBroken, text.utf8.contains(where: { $0 > 0x20 }) { lineBroken = false }
            case .element(let childElement):
                walk(childElement, role: role)
            }
        }
    }

    /// Ends the current block; whitespace is folded once, by `PassageBuilder`, which drops blank blocks.
    mutating func flush() {
        lineBroken = false
        guard !buffer.isEmpty else { return }
        blocks.append(Block(buffer, role: bufferRole))
        buffer = ""
    }
}
