import Foundation
import SPScanExtract
import SPScanModel

/// A document that could not be read for tagging.
public enum DocumentLoadError: Error, LocalizedError, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case unextractable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason); check the path, or pass `-` to read standard input"
        case .unextractable(let path, let reason):
            "cannot extract \(path): \(reason)"
        }
    }
}

/// Turns a file (or standard input) into an `ExtractedDocument` for `spscan tag`, through the same extractor a
/// scan uses, so that a document tags the same way from the command line as in the corpus.
public enum DocumentLoader {
    /// Reads `path` (`-` for standard input) in any format the extractor reads. A given language overrides
    /// the detected one for the document and every passage.
    public static func load(path: String, language: Language? = nil) throws(DocumentLoadError) -> ExtractedDocument {
        let data: Data
        let display = path == "-" ? "standard input" : path
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
                throw .unreadable(path: path, reason: reason)
            }
        }
        var document: ExtractedDocument
        do {
            document = try Extractor().extract(data, filename: path == "-" ? nil : path)
        } catch {
            throw .unextractable(path: display, reason: (error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
        if let language {
            document.language = language
            for index in document.passages.indices { document.passages[index].language = language }
        }
        return document
    }
}
