import CLibXML2
import Foundation

/// An element copied out of libxml2's tree into Swift values.
///
/// Copying once lets the main-content and DOCX logic walk plain Swift values, so that only this folder touches
/// libxml2 pointers and every `xmlDoc` is freed before the caller sees the result.
final class MarkupElement {
    /// The local name, lower-cased by the HTML parser; XML keeps its case (`tbl`, `pStyle`).
    let name: String
    let attributes: MarkupAttributes
    var children: [MarkupNode] = []
    /// Visible characters below this element, counted by the HTML reader (stored here rather than in a
    /// dictionary because hashing every element cost more than the parse).
    var textLength = 0
    /// Of those, the characters inside links.
    var linkTextLength = 0
    var linkCount = 0

    init(name: String, attributes: MarkupAttributes) {
        self.name = name
        self.attributes = attributes
    }

    /// The elements below this one, depth first, in document order.
    func descendants(named wanted: String) -> [MarkupElement] {
        var found: [MarkupElement] = []
        var stack: [MarkupElement] = [self]
        while let element = stack.popLast() {
            if element !== self, element.name == wanted { found.append(element) }
            for case .element(let child) in element.children.reversed() { stack.append(child) }
        }
        return found
    }

    /// The first child element with this local name.
    func child(named wanted: String) -> MarkupElement? {
        for case .element(let child) in children where child.name == wanted { return child }
        return nil
    }
}

/// An element's attributes, as the few pairs most elements have: a linear search over them is cheaper
/// than building a dictionary for every element.
struct MarkupAttributes {
    var pairs: [(name: String, value: String)] = []

    subscript(name: String) -> String? {
        for pair in pairs where pair.name == name { return pair.value }
        return nil
    }
}

/// A node of the copied tree: an element or a run of text.
enum MarkupNode {
    case element(MarkupElement)
    case text(String)
}

/// Parses HTML and XML through libxml2 with network access and entity expansion off.
enum LibXML {
    /// libxml2 asks for one global initialisation before parsing from several threads.
    static let initialise: Bool = {
        xmlInitParser()
        return true
    }()

    /// Parses an HTML page read in `encoding` (an IANA charset name libxml2 knows, e.g. `windows-1252`).
    ///
    /// `HTML_PARSE_NONET` keeps the parser off the network; `RECOVER` accepts the broken markup the web is made
    /// of; errors and warnings are silenced because a page that parses badly still has text worth reading.
    /// `HUGE` lifts libxml2's nesting limit of 256 elements, past which it drops the rest of the page without
    /// a word (page builders nest that deep); the input is already bounded by `ExtractionLimits`, and the
    /// copy below flattens what lies deeper than `maxCopiedDepth`.
    ///
    /// At most `maxElements` elements are built: libxml2's tree costs about 250 bytes an element before our
    /// copy, so 62 MB of `<p>x</p>` would take gigabytes. The count is kept by a hook on the parser's own
    /// start-element callback, which stops the parser at the limit.
    static func parseHTML(_ data: Data, encoding: String, maxElements: Int) throws(ExtractError) -> MarkupElement {
        _ = initialise
        let options =
            HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_COMPACT.rawValue | UInt32(XML_PARSE_HUGE.rawValue)
        guard let context = htmlNewParserCtxt() else { return MarkupElement(name: "html", attributes: .init()) }
        defer { htmlFreeParserCtxt(context) }
        let budget = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        defer { budget.deallocate() }
        budget[0] = 0
        budget[1] = maxElements
        context.pointee._private = UnsafeMutableRawPointer(budget)
        context.pointee.sax.pointee.startElement = { parser, name, attributes in
            guard let parser else { return }
            let context = parser.assumingMemoryBound(to: xmlParserCtxt.self)
            if let budget = context.pointee._private?.assumingMemoryBound(to: Int.self) {
                budget[0] += 1
                if budget[0] > budget[1] {
                    xmlStopParser(context)
                    return
                }
            }
            xmlSAX2StartElement(parser, name, attributes)
        }
        let document = data.withUnsafeBytes { buffer -> htmlDocPtr? in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return htmlCtxtReadMemory(context, base, Int32(clamping: buffer.count), nil, encoding, Int32(options))
        }
        if budget[0] > budget[1] {
            if let document { xmlFreeDoc(document) }
            throw .tooManyElements(limit: maxElements)
        }
        // With RECOVER the HTML parser gives up only on input without any markup or text (e.g. blank): an
        // empty page, not an error.
        guard let document else { return MarkupElement(name: "html", attributes: .init()) }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { return MarkupElement(name: "html", attributes: .init()) }
        return copy(root, depth: 0, skippingContentOf: htmlOpaqueElements)
    }

    /// Elements whose content is never text a reader sees; not copying it saves most of the copy on pages
    /// that inline their scripts and icons. Not `noscript`: forum software serves the whole thread inside one
    /// for readers without JavaScript.
    private static let htmlOpaqueElements: Set<String> = ["script", "style", "template", "svg", "math"]

    /// Parses one XML part of a container (DOCX `word/document.xml`, ODT `content.xml`).
    ///
    /// Never `XML_PARSE_NOENT` nor `XML_PARSE_DTDLOAD`: an office file from the web must not make us read
    /// local files or expand a billion laughs.
    static func parseXML(_ data: Data, part: String) throws(ExtractError) -> MarkupElement {
        _ = initialise
        let options =
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
        let document = data.withUnsafeBytes { buffer -> xmlDocPtr? in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlReadMemory(base, Int32(clamping: buffer.count), part, nil, Int32(options))
        }
        guard let document else {
            let line = xmlGetLastError().map { Int($0.pointee.line) } ?? 0
            throw .malformedMarkup(part: part, line: line, message: lastErrorMessage())
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else {
            throw .malformedMarkup(part: part, line: 0, message: "no root element")
        }
        return copy(root, depth: 0, skippingContentOf: [])
    }

    /// Appends the text below `node` to `element`, in document order, without recursion.
    private static func appendText(below node: xmlNodePtr, to element: MarkupElement, skippingContentOf opaque: Set<String>) {
        var stack: [xmlNodePtr] = [node]
        while let current = stack.popLast() {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let name = current.pointee.name.map { String(cString: $0) } ?? ""
                if opaque.contains(name) { continue }
                if name == "br" || name == "p" || name == "div" { element.children.append(.text(" ")) }
                var children: [xmlNodePtr] = []
                var child = current.pointee.children
                while let next = child {
                    children.append(next)
                    child = next.pointee.next
                }
                stack.append(contentsOf: children.reversed())
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { element.children.append(.text(String(cString: content))) }
            default:
                break
            }
        }
    }

    private static func lastErrorMessage() -> String {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return "unreadable markup" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Deepest element copied as an element; below it, text is kept and the elements around it are not, so
    /// that the readers' recursive walks stay within a thread's stack whatever the nesting.
    static let maxCopiedDepth = 400

    /// Copies an element and its subtree; iterative over siblings, recursive over depth up to
    /// `maxCopiedDepth`, flattened below. Names are copied as they are: the HTML parser has lower-cased them.
    private static func copy(_ node: xmlNodePtr, depth: Int, skippingContentOf opaque: Set<String>) -> MarkupElement {
        let name = node.pointee.name.map { String(cString: $0) } ?? ""
        var attributes = MarkupAttributes()
        var attribute = node.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name {
                let key = String(cString: attributeName)
                var value = ""
                if let textNode = current.pointee.children, let content = textNode.pointee.content {
                    value = String(cString: content)
                }
                attributes.pairs.append((key, value))
            }
            attribute = current.pointee.next
        }
        let element = MarkupElement(name: name, attributes: attributes)
        if !opaque.isEmpty && opaque.contains(name) { return element }
        var childCount = 0
        var sibling = node.pointee.children
        while let current = sibling {
            childCount += 1
            sibling = current.pointee.next
        }
        element.children.reserveCapacity(childCount)
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE where depth < maxCopiedDepth:
                element.children.append(.element(copy(current, depth: depth + 1, skippingContentOf: opaque)))
            case XML_ELEMENT_NODE:
                appendText(below: current, to: element, skippingContentOf: opaque)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    element.children.append(.text(String(cString: content)))
                }
            default:
                break  // comments, processing instructions and unexpanded entities carry no text we keep
            }
            child = current.pointee.next
        }
        return element
    }
}
