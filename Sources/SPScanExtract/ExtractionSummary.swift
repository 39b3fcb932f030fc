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
        }
    }

    /// The file or URL the document was read from.
    public var input: String
    public var title: String?
    public var language: Language
    /// The detected format: `html`, `pdf`, `docx`, `odt`, `text` or `markdown`.
    public var kind: DocumentFormat
    public var passages: [PassageSummary]

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(title, forKey: .title)
        try container.encode(language, forKey: .language)
        try container.encode(kind, forKey: .kind)
        try container.encode(passages, forKey: .passages)
    }

    public init(input: String, document: ExtractedDocument) {
        self.input = input
        title = document.title
        language = document.language
        kind = document.format
        passages = document.passages.map {
            PassageSummary(
                text: $0.text, heading: $0.heading, page: $0.page, start: $0.start, end: $0.end, language: $0.language,
                role: $0.role)
        }
    }

    /// One line of JSON, keys sorted so that output diffs cleanly between runs.
    public func jsonLine() throws -> String {
        try JSONStyle.line(self)
    }
}
