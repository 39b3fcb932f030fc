import Foundation
import SPScanExtract
import SPScanFetch
import SPScanModel
import Synchronization

/// The absolute link targets of a fetched page, for follow rules, read by the same extractor the scan uses
/// (libxml2 for HTML) so that Fetch needs no HTML knowledge of its own.
///
/// Reading a page's links is a full extraction, so the extracted document is kept in `pages` for the extract
/// stage: a page whose links are followed is parsed once, for its links and its text.
public struct LinkScanner: Sendable {
    public let pages: ExtractedPages

    public init(pages: ExtractedPages = ExtractedPages()) {
        self.pages = pages
    }

    /// The closure Fetch calls for each HTML page of a source with follow rules.
    public var links: @Sendable (Data, URL, String?) -> [URL] {
        { [pages] data, base, contentType in
            guard let document = try? Extractor().extract(data, contentType: contentType, filename: base.lastPathComponent, baseURL: base)
            else { return [] }
            pages.keep(document, for: ExtractedPages.Key(sha256: SHA256.hex(data), baseURL: base.absoluteString, contentType: contentType))
            return document.links
        }
    }
}

/// Documents extracted while their links were read, by snapshot hash and the address and content type they
/// were read with (the extract stage reuses one only when all three are the same, so its answer cannot differ).
///
/// Bounded by the text it holds: past `maxTextBytes` a page is not kept and is extracted again later, so that
/// a crawl of many large pages costs time, not memory.
public final class ExtractedPages: Sendable {
    public struct Key: Hashable, Sendable {
        public var sha256: String
        public var baseURL: String
        public var contentType: String?

        public init(sha256: String, baseURL: String, contentType: String?) {
            self.sha256 = sha256
            self.baseURL = baseURL
            self.contentType = contentType
        }
    }

    private struct State {
        var documents: [Key: ExtractedDocument] = [:]
        var textBytes = 0
        var reused = 0
    }

    private let state = Mutex(State())
    public let maxTextBytes: Int

    public init(maxTextBytes: Int = 128 * 1024 * 1024) {
        self.maxTextBytes = maxTextBytes
    }

    public func keep(_ document: ExtractedDocument, for key: Key) {
        let size = document.text.utf8.count + document.passages.reduce(0) { $0 + $1.text.utf8.count }
        state.withLock { state in
            guard state.documents[key] == nil, state.textBytes + size <= maxTextBytes else { return }
            state.documents[key] = document
            state.textBytes += size
        }
    }

    /// The document kept for the key, removed from the cache: each is used once, by the extract stage.
    public func take(_ key: Key) -> ExtractedDocument? {
        state.withLock { state in
            guard let document = state.documents.removeValue(forKey: key) else { return nil }
            state.textBytes -= document.text.utf8.count + document.passages.reduce(0) { $0 + $1.text.utf8.count }
            state.reused += 1
            return document
        }
    }

    /// How many pages the extract stage took from here instead of parsing them again.
    public var reusedCount: Int { state.withLock { $0.reused } }

    /// Drops what is left (pages whose snapshot was already indexed): the extract stage has run.
    public func clear() {
        state.withLock { state in
            state.documents.removeAll()
            state.textBytes = 0
        }
    }
}
