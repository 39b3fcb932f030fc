import Foundation
import SPScanModel

/// Decides a document's format from its bytes first, then its content type, then its file name.
///
/// Servers mislabel documents (PDFs sent as `application/octet-stream`, HTML error pages with a `.pdf` URL),
/// so the bytes win; the label only separates formats the bytes cannot (Markdown from plain text).
enum FormatSniffer {
    static func detect(_ data: Data, contentType: String?, filename: String?) throws(ExtractError) -> DocumentFormat {
        let head = data.prefix(1024)
        if let pdf = head.firstRange(of: Data("%PDF-".utf8)), pdf.lowerBound - head.startIndex < 1024 { return .pdf }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // DOCX and ODT are both ZIP files; the reader tells them apart by their parts.
            return Data(data.prefix(200)).firstRange(of: Data("opendocument.text".utf8)) != nil ? .odt : .docx
        }
        if let binary = binaryKind(head) { throw .unsupportedFormat(detected: binary) }

        let label = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let fileExtension = filename.map { URL(fileURLWithPath: $0).pathExtension.lowercased() } ?? ""
        if looksLikeHTML(head) { return .html }
        if label == "text/markdown" || ["md", "markdown"].contains(fileExtension) { return .markdown }
        if label == "text/html" || label == "application/xhtml+xml" || ["html", "htm", "xhtml"].contains(fileExtension) {
            return .html
        }
        if label.isEmpty && fileExtension.isEmpty && looksLikeMarkdown(head) { return .markdown }
        if label.isEmpty || label.hasPrefix("text/") || ["txt", "text", ""].contains(fileExtension) { return .text }
        throw .unsupportedFormat(detected: label)
    }

    /// Formats recognised by their magic bytes that spscan does not read, so the error can name them.
    private static func binaryKind(_ head: Data) -> String? {
        let signatures: [(bytes: [UInt8], name: String)] = [
            ([0xD0, 0xCF, 0x11, 0xE0], "legacy Microsoft Office file (.doc, .xls, .ppt)"),
            ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
            ([0xFF, 0xD8, 0xFF], "JPEG image"),
            ([0x47, 0x49, 0x46, 0x38], "GIF image"),
            ([0x1F, 0x8B], "gzip archive"),
            ([0x7B, 0x5C, 0x72, 0x74, 0x66], "RTF document"),
        ]
        for signature in signatures where head.starts(with: signature.bytes) { return signature.name }
        if head.contains(0) && !head.starts(with: [0xFF, 0xFE]) && !head.starts(with: [0xFE, 0xFF]) { return "binary data" }
        return nil
    }

    /// Unlabelled text (standard input) with ATX headings or inline links reads as Markdown; plain text
    /// rarely starts lines with `# ` and loses nothing when read as Markdown.
    private static func looksLikeMarkdown(_ head: Data) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        var headings = false
        for line in text.split(separator: "\n") {
            let hashes = line.prefix { $0 == "#" }.count
            if (1...6).contains(hashes) && line.dropFirst(hashes).first == " " { headings = true }
        }
        return headings || text.contains("](http")
    }

    private static func looksLikeHTML(_ head: Data) -> Bool {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        for opening in ["<!doctype html", "<html", "<head", "<body", "<?xml", "<!--"] where trimmed.hasPrefix(opening) {
            return opening != "<?xml" || text.contains("<html")
        }
        return ["<p>", "<div", "<h1", "<title", "<table"].contains(where: { text.contains($0) })
    }
}
