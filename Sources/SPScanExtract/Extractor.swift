import Foundation
import SPScanModel

/// Turns a document's bytes into its main text and passages; the one entry point of this module.
///
/// The extractor holds no state but its limits, so one value can be shared by every worker of a scan.
/// Each call either returns a document or throws one `ExtractError` for that document alone.
public struct Extractor: Sendable {
    public var limits: ExtractionLimits

    /// Raised whenever a change here alters the text or passages extracted from the same bytes (2: PDF
    /// bullets read as a column of their own start list items; 3: HTML main content by structure; 4: seven
    /// languages or `und` detected), so that a scan re-extracts what it indexed.
    public static let methodRevision = 4

    /// What an extraction outcome depends on besides the bytes: the method and whether OCR is installed (a
    /// scan that could not be read without it may be read with it). Known-unreadable snapshots are keyed on it.
    public static var capabilities: Int { methodRevision * 10 + (OCRReader.isAvailable ? 1 : 0) }

    public init(limits: ExtractionLimits = .init()) {
        self.limits = limits
    }

    /// Extracts `data`, whose format is found from its bytes first, then `contentType`, then `filename`.
    ///
    /// - Parameters:
    ///   - contentType: the HTTP `Content-Type`, whose `charset` is used for HTML and text.
    ///   - filename: a file name or URL path, whose extension separates Markdown from plain text.
    ///   - baseURL: where the document came from, to make its links absolute.
    public func extract(
        _ data: Data, contentType: String? = nil, filename: String? = nil, baseURL: URL? = nil
    ) throws -> ExtractedDocument {
        try extractTyped(data, contentType: contentType, filename: filename, baseURL: baseURL)
    }

    /// The same as `extract`, with the error type spelled out for callers that switch over it.
    public func extractTyped(
        _ data: Data, contentType: String? = nil, filename: String? = nil, baseURL: URL? = nil
    ) throws(ExtractError) -> ExtractedDocument {
        guard data.count <= limits.maxInputBytes else { throw .tooLarge(bytes: data.count, limit: limits.maxInputBytes) }
        let builder = PassageBuilder(maxWords: limits.maxPassageWords)
        let format = try FormatSniffer.detect(data, contentType: contentType, filename: filename)
        var document: ExtractedDocument
        var emptyReason: String
        switch format {
        case .html:
            let page = try HTMLReader(maxElements: limits.maxHTMLElements).read(data, contentType: contentType, baseURL: baseURL)
            document = builder.build(page.blocks, title: page.title, format: .html, links: page.links)
            emptyReason = "the page has no text outside its menus, headers and footers (it may be built by scripts)"
        case .pdf:
            do {
                let pdf = try PDFReader(limits: limits).read(data)
                document = builder.build(pdf.blocks, title: nil, format: .pdf)
                if let ocr = pdf.ocrSummary, !document.passages.isEmpty {
                    document.outcome = .ocr
                    document.outcomeReason = ocr
                }
            } catch .emptyDocument(let reason) {
                document = builder.build([], title: nil, format: .pdf)
                emptyReason = reason
                break
            }
            emptyReason = "no text in the PDF"
        case .docx, .odt:
            let office = try OfficeReader(limits: limits).read(data)
            document = builder.build(office.blocks, title: nil, format: office.format)
            emptyReason = "the document has no paragraphs with text"
        case .text, .markdown:
            let text = try Charset.decode(data, contentType: contentType)
            let read = TextReader().read(text, markdown: format == .markdown)
            document = builder.build(read.blocks, title: nil, format: format, links: read.links)
            emptyReason = data.isEmpty ? "the file is empty" : "the file holds only blank lines"
        }
        if document.passages.isEmpty {
            document.outcome = .empty
            document.outcomeReason = emptyReason
        }
        return document
    }
}
