import Foundation
import SPScanModel
import ZIPFoundation

/// Reads DOCX and ODT documents: a ZIP container read under limits, then the document XML through libxml2.
///
/// Office files come from the web like everything else, so the container is distrusted: too many entries,
/// or an entry that declares or actually inflates beyond the limit, stops the read before memory is spent
/// (the sizes in a ZIP header can lie, so inflated bytes are counted as they come).
struct OfficeReader {
    var limits: ExtractionLimits

    func read(_ data: Data) throws(ExtractError) -> (blocks: [Block], format: DocumentFormat) {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw .corruptArchive(detail: "not a readable ZIP file")
        }
        var entries: [Entry] = []
        var declaredTotal = 0
        for entry in archive {
            entries.append(entry)
            if entries.count > limits.maxArchiveEntries {
                throw .tooManyArchiveEntries(count: archive.reduce(0) { count, _ in count + 1 }, limit: limits.maxArchiveEntries)
            }
            declaredTotal += Int(clamping: entry.uncompressedSize)
            if declaredTotal > limits.maxUncompressedBytes
                || isBomb(inflated: Int(clamping: entry.uncompressedSize), compressed: Int(clamping: entry.compressedSize))
            {
                throw .zipBomb(
                    entry: entry.path, inflated: Int(clamping: entry.uncompressedSize), compressed: Int(clamping: entry.compressedSize))
            }
        }
        if let document = entries.first(where: { $0.path == "word/document.xml" }) {
            let xml = try inflate(document, from: archive)
            var blocks = try docxBlocks(LibXML.parseXML(xml, part: "word/document.xml"))
            // Headers and footers (one part per section and kind, often alike), then the notes; comments are
            // a reviewer's remarks, not the document's text, and are left out.
            for (prefix, role) in [("word/header", BlockRole.header), ("word/footer", .footer)] {
                var seen = Set<String>()
                for entry in entries.filter({ $0.path.hasPrefix(prefix) && $0.path.hasSuffix(".xml") }).sorted(by: { $0.path < $1.path }) {
                    let part = try LibXML.parseXML(inflate(entry, from: archive), part: entry.path)
                    var found: [Block] = []
                    docxWalk(part, into: &found)
                    for block in found where seen.insert(block.text.collapsingWhitespace).inserted {
                        blocks.append(Block(block.text, role: role))
                    }
                }
            }
            for (path, role) in [("word/footnotes.xml", BlockRole.footnote), ("word/endnotes.xml", .endnote)] {
                guard let entry = entries.first(where: { $0.path == path }) else { continue }
                let notes = try LibXML.parseXML(inflate(entry, from: archive), part: path)
                for note in notes.children.compactMap(elementNamed(role == .footnote ? "footnote" : "endnote")) {
                    // Word's separator lines are notes of their own, typed, without text worth keeping.
                    if let type = note.attributes["type"], type != "normal" { continue }
                    var found: [Block] = []
                    docxWalk(note, into: &found)
                    let text = found.map(\.text).joined(separator: " ").collapsingWhitespace
                    if !text.isEmpty { blocks.append(Block(text, role: role)) }
                }
            }
            return (blocks, .docx)
        }
        if let content = entries.first(where: { $0.path == "content.xml" }) {
            let xml = try inflate(content, from: archive)
            var blocks = try odtBlocks(LibXML.parseXML(xml, part: "content.xml"))
            // Page headers and footers live with the page styles, in styles.xml.
            if let styles = entries.first(where: { $0.path == "styles.xml" }) {
                blocks += try odtHeadersAndFooters(LibXML.parseXML(inflate(styles, from: archive), part: "styles.xml"))
            }
            return (blocks, .odt)
        }
        throw .missingArchivePart("word/document.xml")
    }

    private func inflate(_ entry: Entry, from archive: Archive) throws(ExtractError) -> Data {
        var result = Data()
        let limit = limits.maxUncompressedBytes
        do {
            _ = try archive.extract(entry, skipCRC32: true) { chunk in
                result.append(chunk)
                if result.count > limit || isBomb(inflated: result.count, compressed: Int(clamping: entry.compressedSize)) {
                    throw ExtractError.zipBomb(entry: entry.path, inflated: result.count, compressed: Int(clamping: entry.compressedSize))
                }
            }
        } catch let error as ExtractError {
            throw error
        } catch {
            throw .corruptArchive(detail: "entry '\(entry.path)' cannot be inflated")
        }
        return result
    }

    /// Small entries may compress well (a run of spaces); a large one that compresses like a bomb is one.
    private func isBomb(inflated: Int, compressed: Int) -> Bool {
        inflated > 8_000_000 && inflated > max(1, compressed) * limits.maxCompressionRatio
    }

    // MARK: - DOCX (WordprocessingML)

    func docxBlocks(_ root: MarkupElement) -> [Block] {
        guard let body = root.child(named: "body") else { return [] }
        var blocks: [Block] = []
        docxWalk(body, into: &blocks)
        return blocks
    }

    private func docxWalk(_ container: MarkupElement, into blocks: inout [Block]) {
        for case .element(let element) in container.children {
            switch element.name {
            case "p":
                var boxes: [MarkupElement] = []
                let text = officeText(element, textBoxes: &boxes)
                defer {
                    // A text box anchored in the paragraph is read after it, as blocks of its own.
                    for box in boxes { docxWalk(box, into: &blocks) }
                }
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                let properties = element.child(named: "pPr")
                let style = properties?.child(named: "pStyle")?.attributes["val"] ?? ""
                if let level = headingLevel(style: style, outline: properties?.child(named: "outlineLvl")?.attributes["val"]) {
                    blocks.append(Block(text, role: .heading, level: level))
                } else if properties?.child(named: "numPr") != nil || style.lowercased().hasPrefix("list") {
                    blocks.append(Block(text, role: .listItem))
                } else {
                    blocks.append(Block(text))
                }
            case "tbl":
                for row in element.children.compactMap(elementNamed("tr")) {
                    let cells = row.children.compactMap(elementNamed("tc")).map { cell in
                        cell.descendants(named: "p").map { officeText($0) }.joined(separator: " ").collapsingWhitespace
                    }.filter { !$0.isEmpty }
                    if !cells.isEmpty { blocks.append(Block(cells.joined(separator: " | "), role: .tableCell)) }
                }
            case "sdt", "sdtContent", "customXml", "ins", "txbxContent":
                docxWalk(element, into: &blocks)
            case "AlternateContent":
                // Markup Compatibility: the Choice is what a current Word shows, the Fallback the same content
                // for older readers; read one.
                if let choice = element.child(named: "Choice") { docxWalk(choice, into: &blocks) }
            default:
                continue
            }
        }
    }

    /// `Heading2`, `Titre2`, `heading 2` or an outline level give a heading level; `Title` is level 1.
    private func headingLevel(style: String, outline: String?) -> Int? {
        let lowered = style.lowercased().replacingOccurrences(of: " ", with: "")
        if lowered == "title" || lowered == "titre" { return 1 }
        for prefix in ["heading", "titre", "berschrift"] where lowered.hasPrefix(prefix) || lowered.contains(prefix) {
            if let digit = lowered.last?.wholeNumberValue, digit >= 1 { return min(digit + 1, 6) }
        }
        if let outline, let level = Int(outline), level < 9 { return min(level + 2, 6) }
        return nil
    }

    // MARK: - ODT (OpenDocument text)

    /// The body, then its footnotes and endnotes: OpenDocument writes a note where it is cited
    /// (`text:note` inside the paragraph); the paragraph's text leaves it out and the note is read after the
    /// body, as DOCX notes are.
    func odtBlocks(_ root: MarkupElement) -> [Block] {
        guard let text = root.child(named: "body")?.child(named: "text") else { return [] }
        var blocks: [Block] = []
        var notes: [Block] = []
        odtWalk(text, role: .paragraph, into: &blocks, notes: &notes)
        return blocks + notes.filter { $0.role == .footnote } + notes.filter { $0.role == .endnote }
    }

    /// Page headers and footers of the master pages (first, left and right pages alike), each text once.
    func odtHeadersAndFooters(_ root: MarkupElement) -> [Block] {
        let kinds: [(names: Set<String>, role: BlockRole)] = [
            (["header", "header-left", "header-first"], .header), (["footer", "footer-left", "footer-first"], .footer),
        ]
        var blocks: [Block] = []
        for kind in kinds {
            var seen = Set<String>()
            for page in root.descendants(named: "master-page") {
                for case .element(let part) in page.children where kind.names.contains(part.name) {
                    var found: [Block] = []
                    var ignored: [Block] = []
                    odtWalk(part, role: .paragraph, into: &found, notes: &ignored)
                    for block in found {
                        let text = block.text.collapsingWhitespace
                        if !text.isEmpty, seen.insert(text).inserted { blocks.append(Block(block.text, role: kind.role)) }
                    }
                }
            }
        }
        return blocks
    }

    private func odtWalk(_ container: MarkupElement, role: BlockRole, into blocks: inout [Block], notes: inout [Block]) {
        for case .element(let element) in container.children {
            switch element.name {
            case "h":
                let level = Int(element.attributes["outline-level"] ?? "") ?? 1
                blocks.append(Block(officeText(element), role: .heading, level: min(level + 1, 6)))
                odtNotes(in: element, into: &notes)
            case "p":
                blocks.append(Block(officeText(element), role: role))
                odtNotes(in: element, into: &notes)
            case "list", "list-item", "list-header":
                odtWalk(element, role: .listItem, into: &blocks, notes: &notes)
            case "table":
                for row in element.descendants(named: "table-row") {
                    let cells = row.children.compactMap(elementNamed("table-cell")).map { officeText($0).collapsingWhitespace }
                        .filter { !$0.isEmpty }
                    if !cells.isEmpty { blocks.append(Block(cells.joined(separator: " | "), role: .tableCell)) }
                }
                odtNotes(in: element, into: &notes)
            case "section", "index-body", "table-of-content":
                odtWalk(element, role: role, into: &blocks, notes: &notes)
            default:
                continue
            }
        }
    }

    /// The notes cited inside `element`, each one block of its note body's text (the citation mark left out).
    private func odtNotes(in element: MarkupElement, into notes: inout [Block]) {
        for note in element.descendants(named: "note") {
            let role: BlockRole = note.attributes["note-class"] == "endnote" ? .endnote : .footnote
            guard let body = note.child(named: "note-body") else { continue }
            let text = body.descendants(named: "p").map { officeText($0) }.joined(separator: " ").collapsingWhitespace
            if !text.isEmpty { notes.append(Block(text, role: role)) }
        }
    }

    // MARK: - Shared

    /// The visible text of a paragraph: runs, tabs and breaks as spaces; field codes, deleted text,
    /// drawing geometry (`wp:posOffset`, `wp:align`, `wp14:pctWidth` hold numbers and words as element
    /// text) and Markup Compatibility fallbacks skipped. Text boxes met on the way are handed back in
    /// `textBoxes`, to be read as blocks of their own.
    private func officeText(_ element: MarkupElement, textBoxes: inout [MarkupElement]) -> String {
        var result = ""
        var stack: [MarkupNode] = element.children.reversed()
        while let node = stack.popLast() {
            switch node {
            case .text(let text):
                result += text
            case .element(let child):
                switch child.name {
                case "instrText", "delText", "del", "annotation", "note", "rPr", "pPr", "bookmark-ref", "Fallback",
                    "commentReference":
                    continue
                case "drawing", "pict", "object":
                    textBoxes.append(contentsOf: child.descendants(named: "txbxContent"))
                    continue
                case "tab", "br", "cr", "s", "line-break", "p":
                    result += " "
                case "noBreakHyphen":
                    result += "-"
                default:
                    break
                }
                stack.append(contentsOf: child.children.reversed())
            }
        }
        return result
    }

    private func officeText(_ element: MarkupElement) -> String {
        var ignored: [MarkupElement] = []
        return officeText(element, textBoxes: &ignored)
    }

    private func elementNamed(_ name: String) -> (MarkupNode) -> MarkupElement? {
        { node in
            guard case .element(let element) = node, element.name == name else { return nil }
            return element
        }
    }
}
