import Foundation
import SPScanModel

/// Finds the main content of an HTML page and turns it into blocks.
///
/// Three passes, each structural: (1) drop what is never content: scripts, styles, form controls,
/// `nav`/`aside`/the site's `header`/`footer`, ARIA landmarks other than `main`, hidden elements, boxes whose
/// class or id says menu, cookie, breadcrumb, share…, and boxes named sidebar, widget, meta, related… only
/// when they are shaped like boilerplate too (mostly links, or a line of text); a box holding most of the
/// page or its `h1` is never dropped by its name; (2) drop link farms (boxes whose text is mostly short
/// links: menus, tag clouds), keeping lists of titles (articles, courses, products); (3) if the page marks
/// its `main` (or one `article`), read that, else the whole pruned body, narrowed to the box inside it that
/// holds nearly all its words when there is one.
struct HTMLReader {
    struct Result {
        var blocks: [Block]
        var title: String?
        var links: [URL]
    }

    var maxElements = ExtractionLimits().maxHTMLElements

    func read(_ data: Data, contentType: String?, baseURL: URL?) throws(ExtractError) -> Result {
        let charset = Charset.detect(data, contentType: contentType, lookForMeta: true)
        var bytes = Self.withoutInternalSubset(data.dropFirst(charset.bomLength))
        var encoding = charset.name
        // libxml2's iconv stops the whole parse at a byte windows-1252 leaves undefined (0x81, 0x8D, 0x8F,
        // 0x90, 0x9D), silently keeping only the page above it; decoding here, as a browser does, keeps it all.
        if encoding == "windows-1252" {
            bytes = Data(Charset.decodeWindows1252(bytes).utf8)
            encoding = "UTF-8"
        }
        let root = try LibXML.parseHTML(bytes, encoding: encoding, maxElements: maxElements)
        let head = root.child(named: "head")
        let title = head?.child(named: "title").map { plainText($0).collapsingWhitespace }
        var base = baseURL
        if let href = head?.child(named: "base")?.attributes["href"], let resolved = URL(string: href, relativeTo: baseURL) {
            base = resolved.absoluteURL
        }
        let links = collectLinks(root, base: base)

        let body = root.child(named: "body") ?? root
        measureText(body)
        pruneBoilerplate(body, pageText: (body.textLength, body.linkTextLength))
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

    /// The page without a DOCTYPE's internal subset (`<!DOCTYPE html [<!ENTITY …>]>`).
    ///
    /// HTML has no internal subset, so libxml2's HTML parser reads the declarations as text and they came
    /// out in the page's words. The entities are never expanded either way; cutting the subset keeps
    /// `&name;` as the literal text a browser shows.
    static func withoutInternalSubset(_ data: Data) -> Data {
        let bytes = data.prefix(1024)
        guard let doctype = bytes.range(of: Data("<!doctype".utf8)) ?? bytes.range(of: Data("<!DOCTYPE".utf8)) else {
            return data
        }
        var index = doctype.upperBound
        while index < data.endIndex, data[index] != UInt8(ascii: "["), data[index] != UInt8(ascii: ">") { index += 1 }
        guard index < data.endIndex, data[index] == UInt8(ascii: "[") else { return data }
        let open = index
        var quote: UInt8? = nil
        while index < data.endIndex {
            let byte = data[index]
            if let current = quote {
                if byte == current { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "]") {
                var after = index + 1
                while after < data.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(data[after]) { after += 1 }
                if after < data.endIndex, data[after] == UInt8(ascii: ">") {
                    var result = Data(data[data.startIndex..<open])
                    result.append(data[after...])
                    return result
                }
            }
            index += 1
        }
        return data
    }

    // MARK: - Pass 1: structure

    private static let droppedTags: Set<String> = [
        // Not `form`: ASP.NET WebForms sites wrap the whole page in one.
        "script", "style", "template", "svg", "canvas", "iframe", "object", "embed",
        "select", "input", "textarea", "head", "link", "meta", "video", "audio", "map",
    ]
    /// Tags of the page's chrome (menus, sidebars, buttons, dialogs): dropped unless they hold most of the
    /// page, which happens when the parser, repairing an unclosed `<button>` or `<nav>`, nests the rest of
    /// the page inside it.
    private static let chromeTags: Set<String> = ["button", "nav", "aside", "menu", "dialog", "label"]
    private static let droppedRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu",
        "menubar", "tablist", "alert",
    ]
    /// Words in class or id that name a box which is never the main text (a menu, a cookie notice, share
    /// buttons), matched as whole tokens of the names split at spaces, hyphens and underscores (`main-menu`
    /// matches, `menus-of-care` does not match `menu`).
    private static let boilerplateWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "megamenu", "cookie", "cookies", "consent", "gdpr", "breadcrumb",
        "breadcrumbs", "share", "sharing", "social", "advert", "ads", "newsletter", "subscribe", "skip", "popup",
        "modal", "toolbar", "pagination", "pager", "offcanvas",
    ]
    /// Words that name boilerplate on some sites and the content itself on others: page builders call every
    /// box a `widget` (`elementor-widget-text-editor` holds the article), a layout with a sidebar says
    /// `content-has-sidebar`, a CMS's `meta_field` wrapper holds the body. A box so named is dropped only when
    /// it is shaped like boilerplate too: mostly links, or a line or two of text.
    private static let ambiguousWords: Set<String> = [
        "footer", "header", "masthead", "sidebar", "banner", "related", "promo", "utility", "widget", "feedback",
        "search", "alert", "comments", "comment", "byline", "meta",
    ]
    private static let contentNames: Set<String> = [
        "content", "main", "main-content", "maincontent", "page-content", "article", "post", "entry", "entry-content",
    ]

    /// Drops boilerplate boxes; `pageText` is the visible text of the whole page, measured beforehand.
    ///
    /// `inSection` says that an `article`, `section` or `main` encloses `element`: a `header` or `footer` there
    /// is that section's own (a post's title and date, a card's caption), not the site's.
    private func pruneBoilerplate(_ element: MarkupElement, pageText: (text: Int, linkText: Int), inSection: Bool = false) {
        // A heading's own words are never boilerplate, whatever its inner spans are called.
        guard !Self.headingTags.contains(element.name) else { return }
        element.children.removeAll { node in
            guard case .element(let child) = node else { return false }
            return isBoilerplate(child, pageText: pageText, inSection: inSection)
        }
        let childrenInSection = inSection || Self.sectioningTags.contains(element.name)
        for case .element(let child) in element.children {
            pruneBoilerplate(child, pageText: pageText, inSection: childrenInSection)
        }
    }

    private static let sectioningTags: Set<String> = ["article", "section", "main"]
    private static let headingTags: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]

    private func isBoilerplate(_ element: MarkupElement, pageText: (text: Int, linkText: Int), inSection: Bool) -> Bool {
        let attributes = element.attributes
        if Self.droppedTags.contains(element.name) { return true }
        // A `noscript` usually holds a tracking pixel or "enable JavaScript"; on a page built by scripts it
        // holds the page itself.
        if element.name == "noscript" || Self.chromeTags.contains(element.name) {
            return !holdsMostOfPage(element, pageText: pageText)
        }
        // Hidden boxes are menus and dialogs waiting to open, except one holding most of the page: streamed
        // server rendering (React's `<div hidden id="S:0">`) parks the whole content there for a script to move.
        if attributes["hidden"] != nil || attributes["aria-hidden"] == "true" {
            return !holdsMostOfPage(element, pageText: pageText)
        }
        if let style = attributes["style"]?.lowercased().filter({ $0 != " " }),
            style.contains("display:none") || style.contains("visibility:hidden")
        {
            return !holdsMostOfPage(element, pageText: pageText)
        }
        if let role = attributes["role"]?.lowercased(), Self.droppedRoles.contains(role) {
            return !holdsMostOfPage(element, pageText: pageText)
        }
        if !inSection, element.name == "header" || element.name == "footer" {
            return element.descendants(named: "h1").isEmpty && !holdsMostOfPage(element, pageText: pageText)
        }
        let className = attributes["class"] ?? ""
        let id = attributes["id"] ?? ""
        guard !className.isEmpty || !id.isEmpty else { return false }
        let names = (className + " " + id).lowercased()
        let tokens = names.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" })
        let strong = tokens.contains { Self.boilerplateWords.contains(String($0)) }
        // A table's rows are the page's data, whatever its styling calls it (`wikitable sticky-header`).
        guard strong || (element.name != "table" && tokens.contains(where: { Self.ambiguousWords.contains(String($0)) }))
        else { return false }
        // `class="content sidebar-aware"`: a box that calls itself the content is kept whatever else it says.
        if names.split(separator: " ").contains(where: { Self.contentNames.contains(String($0)) }) { return false }
        // A box that holds most of the page is the page's frame, whatever its class says.
        if holdsMostOfPage(element, pageText: pageText) { return false }
        // A page title often sits in a "page-header" box: keep what holds the h1.
        guard element.descendants(named: "h1").isEmpty else { return false }
        if strong { return true }
        return isBoilerplateShaped(element)
    }

    /// More than half the page's text outside links: a frame around the content, never a box beside it.
    ///
    /// Link text is left out of both sides because a mega-menu can hold more characters than the article it
    /// sits beside: the words a reader reads, not the ones they click, say where the content is.
    private func holdsMostOfPage(_ element: MarkupElement, pageText: (text: Int, linkText: Int)) -> Bool {
        let page = pageText.text - pageText.linkText
        return page > 0 && (element.textLength - element.linkTextLength) * 2 > page
    }

    /// Mostly links (a list of related posts, a tag cloud), or too little text to be a paragraph and no
    /// heading (a byline, a date, a label).
    private func isBoilerplateShaped(_ element: MarkupElement) -> Bool {
        if Double(element.linkTextLength) > Double(element.textLength) * 0.4 { return true }
        guard element.textLength < 120 else { return false }
        return !Self.headingTags.contains(where: { !element.descendants(named: $0).isEmpty })
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
                Double(child.linkTextLength) / Double(child.textLength) > 0.6,
                // Menus link single words; a list of articles, courses or products links their titles.
                child.linkTextLength < child.linkCount * Self.titleLength
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

    /// Characters of link text per link above which links read as titles of things listed, not as a menu.
    /// Tuned on the odd-numbered half of WCXB (15 to 50 tried; 20 to 30 alike, 35 lost listings' titles).
    private static let titleLength = 25
    private static let linkFarmCandidates: Set<String> = ["ul", "ol", "dl", "div", "section", "table", "p"]

    // MARK: - Pass 3: the content container

    private func contentRoots(_ body: MarkupElement) -> [MarkupElement] {
        contentBoxes(body).map(dominantBox)
    }

    /// Descends from `root` into its largest child box while that child holds at least `dominantShare` of
    /// the text, link text counted half.
    ///
    /// A template's leftovers (a related-posts strip, a sign-up box, an author card) sit beside the content as
    /// boxes of their own; when one box holds nearly all the words, the rest is those leftovers. Where no box
    /// dominates (services, listings, forums built of many boxes), the container stays as it is. Links count
    /// half because a listing's titles are content while what remains of a menu is not.
    private func dominantBox(_ root: MarkupElement) -> MarkupElement {
        func weight(_ element: MarkupElement) -> Int { element.textLength - element.linkTextLength / 2 }
        var current = root
        while weight(current) > 0 {
            var largest: MarkupElement?
            for case .element(let child) in current.children where weight(child) > largest.map(weight) ?? 0 {
                largest = child
            }
            guard let largest, Double(weight(largest)) >= Self.dominantShare * Double(weight(current)) else { break }
            current = largest
        }
        return current
    }

    /// Tuned on the odd-numbered half of WCXB (0.70 to 0.97 tried; 0.8 best there).
    private static let dominantShare = 0.8

    private func contentBoxes(_ body: MarkupElement) -> [MarkupElement] {
        let marked =
            body.descendants(named: "main") + body.descendants(named: "div").filter { $0.attributes["role"]?.lowercased() == "main" }
        if marked.count == 1, let main = marked.first, main.textLength * 4 >= body.textLength {
            return [main]
        }
        let articles = body.descendants(named: "article")
        if articles.count == 1, let article = articles.first, article.textLength * 4 >= body.textLength {
            return [article]
        }
        // Without a marked container, the body as pruned: measured on 1,497 real pages of seven types (WCXB),
        // choosing one best-scoring box and its siblings (Readability's idea) lost more main text on pages
        // built of many boxes (services, listings, forums) than it saved boilerplate on articles.
        return [body]
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
