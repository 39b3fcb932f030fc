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
