import Foundation
import SPScanModel

/// The JSON shape of `spscan extract --format json`: one object per document, stable for scripts.
public struct ExtractionSummary: Codable, Hashable, Sendable {
    public struct PassageSummary: Codable, Hashable, Sendable {
        public var text: String
        public var heading: String
        public var page: Int?
        public var start: Int
        public var end: Int
        public var language: Language
        public var role: BlockRole
        /// The OCR engine's mean confidence on the passage's page; null for text read from the document.
        public var ocrConfidence: Double?

        enum CodingKeys: String, CodingKey {
            case text, heading, page, start, end, language, role
            case ocrConfidence = "ocr_confidence"
        }

        /// Writes `page` as `null` for unpaginated formats, so that every passage has the same keys.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(heading, forKey: .heading)
            try container.encode(page, forKey: .page)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)
            try container.encode(language, forKey: .language)
            try container.encode(role, forKey: .role)
            try container.encode(ocrConfidence, forKey: .ocrConfidence)
        }
    }

    /// The file or URL the document was read from.
    public var input: String
    public var title: String?
    public var language: Language
    /// The detected format: `html`, `pdf`, `docx`, `odt`, `text` or `markdown`.
    public var kind: DocumentFormat?
    /// `text`, `ocr`, `empty`, `scanned` or `unreadable`: a document without passages always says which and why.
    public var outcome: ExtractionOutcome
    /// Why the outcome is not `text`; null when it is.
    public var reason: String?
    public var passages: [PassageSummary]

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(title, forKey: .title)
        try container.encode(language, forKey: .language)
        try container.encode(kind, forKey: .kind)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reason, forKey: .reason)
        try container.encode(passages, forKey: .passages)
    }

    public init(input: String, document: ExtractedDocument) {
        self.input = input
        title = document.title
        language = document.language
        kind = document.format
        outcome = document.outcome
        reason = document.outcomeReason
        passages = document.passages.map {
            PassageSummary(
                text: $0.text, heading: $0.heading, page: $0.page, start: $0.start, end: $0.end, language: $0.language,
                role: $0.role, ocrConfidence: $0.ocrConfidence)
        }
    }

    /// The summary of a document that could not be read: its outcome and the reason, no passages.
    public init(input: String, error: ExtractError) {
        self.input = input
        title = nil
        language = .undetermined
        kind = nil
        outcome = error.outcome
        reason = error.errorDescription
        passages = []
    }

    /// One line of JSON, keys sorted so that output diffs cleanly between runs.
    public func jsonLine() throws -> String {
        try JSONStyle.line(self)
    }
}
