import Foundation
import SPScanModel

/// Why a document could not be extracted; one case per failure a user can act on.
///
/// Messages say what is wrong with the document and what to do; they do not repeat the file name or URL,
/// which the caller (the CLI or the scan pipeline) puts in front, since `Extractor` works on bytes.
public enum ExtractError: Error, LocalizedError, Equatable, Sendable {
    /// The bytes are none of the formats spscan reads; `detected` names what they look like.
    case unsupportedFormat(detected: String)
    /// The document is larger than `ExtractionLimits.maxInputBytes`.
    case tooLarge(bytes: Int, limit: Int)
    /// The text is in a character set that cannot be decoded.
    case undecodableText(charset: String)
    /// An XML or HTML part could not be parsed at all.
    case malformedMarkup(part: String, line: Int, message: String)
    /// The PDF is damaged or is not a PDF; `detail` is poppler's first complaint.
    case corruptPDF(detail: String)
    /// The PDF needs a password to be opened.
    case encryptedPDF
    /// The PDF has pages but no text layer: it is a scan.
    case imageOnlyPDF(pages: Int)
    /// `pdftotext` ran longer than `ExtractionLimits.pdfTimeout`.
    case pdfTimedOut(seconds: Int)
    /// `pdftotext` is not installed.
    case pdfToolMissing
    /// `pdftotext` failed for a reason other than the above (e.g. killed by the memory limit).
    case pdfToolFailed(status: Int32, detail: String)
    /// The ZIP container (DOCX, ODT) cannot be read.
    case corruptArchive(detail: String)
    /// The container has more entries than `ExtractionLimits.maxArchiveEntries`.
    case tooManyArchiveEntries(count: Int, limit: Int)
    /// An entry inflates beyond the size or ratio limits: a zip bomb, or a document too large to read safely.
    /// `inflated` is what the entry declares or, if its header lies, what was inflated before stopping.
    case zipBomb(entry: String, inflated: Int, compressed: Int)
    /// The container is a ZIP file but lacks the part its format needs (`word/document.xml`).
    case missingArchivePart(String)
    /// The document was read and holds no text; `reason` says what it holds instead (blank pages…).
    case emptyDocument(reason: String)
    /// An HTML page holds more elements than `ExtractionLimits.maxHTMLElements`.
    case tooManyElements(limit: Int)
    /// `pdftotext`'s layout output grew past `ExtractionLimits.maxLayoutBytes` while it was read.
    case layoutTooLarge(limit: Int)

    /// The named outcome a scan and `extract --format json` report: `empty`, `scanned` (images without a
    /// text layer) or `unreadable` (encrypted, damaged, not a document, over a limit).
    public var outcome: ExtractionOutcome {
        switch self {
        case .emptyDocument: .empty
        case .imageOnlyPDF: .scanned
        default: .unreadable
        }
    }

    /// Whether the same bytes would fail the same way next time: a damaged, encrypted or scanned document, but
    /// not a time-out, a missing tool or a limit that may be raised.
    public var isFinalForTheseBytes: Bool {
        switch self {
        case .unsupportedFormat, .undecodableText, .malformedMarkup, .corruptPDF, .encryptedPDF, .imageOnlyPDF,
            .corruptArchive, .tooManyArchiveEntries, .zipBomb, .missingArchivePart, .emptyDocument:
            true
        case .tooLarge, .pdfTimedOut, .pdfToolMissing, .pdfToolFailed, .layoutTooLarge, .tooManyElements:
            false
        }
    }

    public var errorDescription: String? {
        switch self {
        case .unsupportedFormat(let detected):
            "unsupported format (\(detected)); spscan reads HTML, PDF, DOCX, ODT, Markdown and plain text, "
                + "so save the document in one of those or point the source at its HTML or PDF version"
        case .tooLarge(let bytes, let limit):
            "document is \(megabytes(bytes)), above the \(megabytes(limit)) limit; "
                + "raise the size limit or point the source at a smaller document"
        case .undecodableText(let charset):
            "text is in character set '\(charset)', which cannot be decoded; save it as UTF-8"
        case .malformedMarkup(let part, let line, let message):
            "\(part)\(line > 0 ? ":\(line)" : ""): cannot be parsed (\(message)); the file is damaged, "
                + "open and save it again in its editor"
        case .corruptPDF(let detail):
            "PDF is damaged or not a PDF (\(detail)); download it again, or open and re-save it as PDF"
        case .encryptedPDF:
            "PDF is encrypted with a password; ask the publisher for an unprotected copy or the HTML version"
        case .imageOnlyPDF(let pages):
            "PDF has \(pages) page\(pages == 1 ? "" : "s") of images and no text layer (a scan); "
                + "run OCR on it (e.g. ocrmypdf) or find a text version"
        case .pdfTimedOut(let seconds):
            "PDF took longer than \(seconds) s to read and was stopped; it may be malformed or very large, "
                + "raise the PDF time limit (`spscan extract --pdf-timeout`) if it is genuine"
        case .pdfToolMissing:
            "`pdftotext` is not installed; install Debian's poppler-utils (scripts/install-deps does it)"
        case .pdfToolFailed(let status, let detail):
            "`pdftotext` failed (status \(status)\(detail.isEmpty ? "" : ": \(detail)")); "
                + "the PDF may need more memory than the limit allows, or be damaged"
        case .corruptArchive(let detail):
            "document container is damaged (\(detail)); open and save it again in its editor"
        case .tooManyArchiveEntries(let count, let limit):
            "document container has \(count) entries, more than the \(limit) allowed; it is not a normal "
                + "office document, so it was refused"
        case .zipBomb(let entry, let inflated, let compressed):
            "document container entry '\(entry)' inflates to \(megabytes(inflated)) or more from \(megabytes(compressed)) "
                + "(a zip bomb, beyond the size or compression-ratio limit); it was refused"
        case .missingArchivePart(let part):
            "document container has no '\(part)'; it is a ZIP file but not a DOCX or ODT document"
        case .emptyDocument(let reason):
            "document holds no text: \(reason); check that it is the document you meant, or find a version with text"
        case .tooManyElements(let limit):
            "page has more than \(limit) HTML elements, far more than any web page, and was stopped while being read; "
                + "it is not a page a person reads, so point the source at another page"
        case .layoutTooLarge(let limit):
            "PDF's text layout is larger than \(megabytes(limit)) and was stopped while being read; "
                + "split the PDF, or raise the limit if it is genuine"
        }
    }
}

private func megabytes(_ bytes: Int) -> String {
    if bytes >= 1_000_000 { return "\(bytes / 1_000_000) MB" }
    return "\(bytes) bytes"
}
