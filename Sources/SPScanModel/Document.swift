import Foundation

/// A piece of extracted text: the unit of evidence. Offsets are in Unicode scalars of the document's
/// extracted text, so that a passage can be found again in `spscan extract` output.
public struct Passage: Hashable, Sendable, Codable {
    public var text: String
    /// Heading path, e.g. `Course outline > Module 2`; empty when the passage sits before any heading.
    public var heading: String
    /// 1-based page for paginated formats (PDF), nil otherwise.
    public var page: Int?
    public var start: Int
    public var end: Int
    public var language: Language
    /// Where the text stood in the document's structure; matchers weigh headings and outcome lists more.
    public var role: BlockRole
    /// For text recognised by OCR from a page image, the engine's mean word confidence on that page
    /// (0–100); nil for text read from the document itself.
    public var ocrConfidence: Double?

    public init(
        text: String, heading: String = "", page: Int? = nil, start: Int, end: Int,
        language: Language = .english, role: BlockRole = .paragraph, ocrConfidence: Double? = nil
    ) {
        self.text = text
        self.heading = heading
        self.page = page
        self.start = start
        self.end = end
        self.language = language
        self.role = role
        self.ocrConfidence = ocrConfidence
    }
}

/// The structural role of a block of text.
public enum BlockRole: String, Hashable, Sendable, Codable {
    case heading
    case paragraph
    case listItem = "list-item"
    case tableCell = "table-cell"
    /// A page header or footer of a word-processing document, read apart from the body.
    case header
    case footer
    /// A footnote or endnote, read after the body.
    case footnote
    case endnote

    /// Headers, footers and notes stand outside the body's sections: their passages carry no heading path.
    public var isOutsideBody: Bool {
        switch self {
        case .header, .footer, .footnote, .endnote: true
        case .heading, .paragraph, .listItem, .tableCell: false
        }
    }
}

/// What extraction made of a document, named so that a document is never silently without text.
public enum ExtractionOutcome: String, Hashable, Sendable, Codable {
    /// Text was found.
    case text
    /// The document was read and holds no text (`ExtractedDocument.outcomeReason` says why).
    case empty
    /// Images without a text layer that could not be read (no OCR engine, or it found no words).
    case scanned
    /// Images without a text layer, read by OCR: the passages carry the engine's confidence.
    case ocr
    /// Encrypted, damaged, not a document, or over a limit.
    case unreadable
}

/// The main content of one document, ready for tagging.
public struct ExtractedDocument: Hashable, Sendable, Codable {
    public var title: String?
    public var language: Language
    public var format: DocumentFormat
    /// The main text: blocks separated by blank lines. Passage offsets point into it.
    public var text: String
    public var passages: [Passage]
    /// Links found in the document (absolute URLs), for follow rules.
    public var links: [URL]
    /// `.text`, `.ocr`, or `.empty` when no passage was found; never a silent zero passages.
    public var outcome: ExtractionOutcome
    /// Why the outcome is not `.text`, in words for a person.
    public var outcomeReason: String?

    public init(
        title: String?, language: Language, format: DocumentFormat, text: String, passages: [Passage],
        links: [URL] = []
    ) {
        self.title = title
        self.language = language
        self.format = format
        self.text = text
        self.passages = passages
        self.links = links
        outcome = passages.isEmpty ? .empty : .text
        outcomeReason = passages.isEmpty ? "no text found" : nil
    }
}

/// A competency found in a document, with the passages that justify it.
public struct Tag: Hashable, Sendable, Codable {
    public var competency: String
    public var domain: String
    /// Confidence in 0...1.
    public var score: Double
    public var evidence: [Evidence]

    public init(competency: String, domain: String, score: Double, evidence: [Evidence]) {
        self.competency = competency
        self.domain = domain
        self.score = score
        self.evidence = evidence
    }
}

/// A passage that supports a tag, with the spans that matched.
public struct Evidence: Hashable, Sendable, Codable {
    public var text: String
    /// Offsets of the passage in the document's extracted text.
    public var start: Int
    public var end: Int
    public var heading: String
    public var page: Int?
    /// The vocabulary terms found in the passage.
    public var terms: [String]
    /// Matched spans, as offsets inside `text`.
    public var spans: [Span]
    public var score: Double

    public init(
        text: String, start: Int, end: Int, heading: String = "", page: Int? = nil, terms: [String],
        spans: [Span], score: Double
    ) {
        self.text = text
        self.start = start
        self.end = end
        self.heading = heading
        self.page = page
        self.terms = terms
        self.spans = spans
        self.score = score
    }
}

public struct Span: Hashable, Sendable, Codable {
    public var start: Int
    public var end: Int
    public var term: String

    public init(start: Int, end: Int, term: String) {
        self.start = start
        self.end = end
        self.term = term
    }
}
