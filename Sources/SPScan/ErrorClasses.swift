import SPScanCatalog
import SPScanCoverage
import SPScanFetch
import SPScanMatch
import SPScanModel

// Which of the two failures each error of the pipeline's modules is (ClassifiedError), declared once here so that
// the command line's root maps every one to its exit code without a command re-labelling it.

extension ScanError: ClassifiedError {}

extension CoverageError: ClassifiedError {}

extension PruneError: ClassifiedError {
    /// A bad --keep-versions, or a prune log a person must repair: nothing was removed.
    public var isBadInput: Bool { true }
}

extension HistoryError: ClassifiedError {
    /// An unknown document, version or scan is the user's to fix; a snapshot missing from Corpus/ is work that
    /// could not be done.
    public var isBadInput: Bool {
        if case .snapshotMissing = self { return false }
        return true
    }
}

extension ProjectStarterError: ClassifiedError {
    /// A folder that already holds a project, or one that cannot be written: nothing was written.
    public var isBadInput: Bool { true }
}

extension MatchError: ClassifiedError {
    /// A vocabulary that cannot be compiled (or a stemmer missing from this machine): fix Framework.yaml or the
    /// installation; nothing was tagged.
    public var isBadInput: Bool { true }
}

extension DocumentLoadError: ClassifiedError {
    /// A file that cannot be read or extracted is the user's input to fix; nothing was tagged.
    public var isBadInput: Bool { true }
}

extension RegistrySpreadsheetError: ClassifiedError {
    /// A workbook that cannot be read: nothing was written to Sources.yaml.
    public var isBadInput: Bool { true }
}

extension PDFError: ClassifiedError {
    /// Chromium missing or refusing the page: install it, or print the HTML from a browser; no PDF was written.
    public var isBadInput: Bool { true }
}

extension CatalogError: ClassifiedError {
    /// A catalog that is missing, not a catalog, or from a newer spscan, and a request it cannot answer, are the
    /// user's to fix; a database operation that failed on a sound catalog is work that failed.
    public var isBadInput: Bool {
        if case .database = self { return false }
        return true
    }
}

extension FetchError: ClassifiedError {
    /// A local file named on the command line that cannot be read is bad input; a fetch that failed is work that
    /// failed.
    public var isBadInput: Bool {
        if case .unreadableFile = self { return true }
        return false
    }
}
