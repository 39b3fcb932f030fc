import Foundation

/// Bounds on the work one document may cost, so that a hostile or broken file never stalls a scan.
public struct ExtractionLimits: Hashable, Sendable {
    /// Largest input accepted, in bytes.
    public var maxInputBytes: Int
    /// Most entries a DOCX or ODT container may hold (real documents have a few dozen).
    public var maxArchiveEntries: Int
    /// Most bytes all entries read from a container may expand to.
    public var maxUncompressedBytes: Int
    /// Highest inflated-to-compressed ratio accepted for a container entry above 8 MB; text XML compresses
    /// about 10:1, a bomb made of repeated bytes about 1000:1.
    public var maxCompressionRatio: Int
    /// Longest `pdftotext` may run on one document.
    public var pdfTimeout: Duration
    /// Address-space limit for `pdftotext`, in bytes (applied through `prlimit` when it is installed).
    public var pdfMemoryBytes: Int
    /// Upper bound of a passage, in words; a longer block is split at sentence ends.
    public var maxPassageWords: Int
    /// Most bytes of `pdftotext -bbox-layout` output read for one PDF. The layout is read as a stream and
    /// only its words are kept, so memory follows the text, not this figure: 2,000 pages of text write
    /// about 330 MB of layout.
    public var maxLayoutBytes: Int = 1_000_000_000
    /// Most elements of one HTML page (a long real page has tens of thousands); each costs a few hundred bytes
    /// while the page is read, so this bounds a page's memory to a few hundred megabytes.
    public var maxHTMLElements: Int = 600_000
    /// Most pages of one scanned PDF read by OCR (each takes a few seconds at 300 dpi).
    public var ocrPageLimit: Int = 40
    /// Longest OCR may take on one document, all pages together.
    public var ocrTimeout: Duration = .seconds(240)
    /// Tesseract's languages, as `-l` takes them.
    public var ocrLanguages: String = "eng+fra"
    /// A page whose mean word confidence is below this (0–100) is said to be of low confidence.
    public var ocrLowConfidence: Double = 70

    public init(
        maxInputBytes: Int = 64_000_000, maxArchiveEntries: Int = 2_000, maxUncompressedBytes: Int = 128_000_000,
        maxCompressionRatio: Int = 100, pdfTimeout: Duration = .seconds(60), pdfMemoryBytes: Int = 1_000_000_000, maxPassageWords: Int = 120
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxArchiveEntries = maxArchiveEntries
        self.maxUncompressedBytes = maxUncompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.pdfTimeout = pdfTimeout
        self.pdfMemoryBytes = pdfMemoryBytes
        self.maxPassageWords = maxPassageWords
    }
}
