import SPScanCoverage
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
