import Foundation
import SPScanModel

/// Turns a document's bytes into its main text and passages; the one entry point of this module.
///
/// The extractor holds no state but its limits, so one value can be shared by every worker of a scan.
/// Each call either returns a document or throws one `ExtractError` for that document alone.
public struct Extractor: Sendable {
    public var limits: ExtractionLimits

    /// Raised whenever a change here alters the text or passages extracted from the same bytes (2: PDF
    /// bullets read as a column of their own start list items), so that a scan re-extracts what it indexed.
    public static let methodRevision = 2

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
        switch format {
        case .html:
            let page = HTMLReader().read(data, contentType: contentType, baseURL: baseURL)
            return builder.build(page.blocks, title: page.title, format: .html, links: page.links)
        case .pdf:
            let blocks = try PDFReader(limits: limits).read(data)
            return builder.build(blocks, title: nil, format: .pdf)
        case .docx, .odt:
            let office = try OfficeReader(limits: limits).read(data)
            return builder.build(office.blocks, title: nil, format: office.format)
        case .text, .markdown:
            let text = try Charset.decode(data, contentType: contentType)
            let read = TextReader().read(text, markdown: format == .markdown)
            return builder.build(read.blocks, title: nil, format: format, links: read.links)
        }
    }
}
