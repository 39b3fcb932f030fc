import Foundation
import SPScanExtract

/// The absolute link targets of a fetched page, for follow rules, read by the same extractor the scan uses
/// (libxml2 for HTML) so that Fetch needs no HTML knowledge of its own.
public enum LinkScanner {
    public static let links: @Sendable (Data, URL) -> [URL] = { data, base in
        (try? Extractor().extract(data, baseURL: base).links) ?? []
    }
}
