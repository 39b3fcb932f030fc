import Foundation

/// Everything that can go wrong in the catalog, each with the thing it concerns and what to do about it.
public enum CatalogError: Error, LocalizedError, Equatable, Sendable {
    /// No catalog file at the path: nothing has been scanned or indexed there yet.
    case notBuilt(path: String)
    /// The file exists but SQLite cannot open it as a catalog (damaged, or another kind of file).
    case unreadable(path: String, reason: String)
    /// The file is not spscan's catalog (another program's SQLite database, or not SQLite at all): it is left
    /// untouched.
    case notACatalog(path: String, reason: String)
    /// An empty file where a catalog was expected: only `spscan index` turns one into a catalog.
    case emptyFile(path: String)
    /// The catalog was written by a newer spscan whose migrations this one does not know.
    case newerSchema(path: String)
    /// A scan id that the catalog has no record of.
    case unknownScan(Int64)
    /// Search text with no word in it to search for.
    case emptySearch(String)
    /// A SQLite failure while doing a named piece of work.
    case database(operation: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .notBuilt(let path):
            "there is no catalog at \(path) yet; run `spscan scan` or `spscan index` first (or point --catalog at it)"
        case .unreadable(let path, let reason):
            "cannot open the catalog at \(path): \(reason); delete it and run `spscan index` to rebuild it from Corpus/"
        case .notACatalog(let path, let reason):
            "\(path) is not an spscan catalog (\(reason)); it was left untouched; point --catalog at the catalog (default .spscan/catalog.sqlite), or at a new file"
        case .emptyFile(let path):
            "\(path) is an empty file, not a catalog; run `spscan index --catalog \(path)` to build a catalog there, or point --catalog elsewhere"
        case .newerSchema(let path):
            "the catalog at \(path) was written by a newer spscan; upgrade spscan, or delete it and run `spscan index`"
        case .unknownScan(let id):
            "scan \(id) is not in the catalog; `spscan changes` lists the recorded scans"
        case .emptySearch(let text):
            "the search text '\(text)' has no words to search for; give one or more words, or a \"quoted phrase\""
        case .database(let operation, let reason):
            "catalog: \(operation) failed: \(reason); if this repeats, delete the catalog and run `spscan index`"
        }
    }
}
