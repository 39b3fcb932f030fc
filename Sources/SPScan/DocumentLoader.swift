import Foundation
import SPScanExtract
import SPScanModel

#if canImport(Glibc)
    import Glibc
#endif

/// A document that could not be read for tagging.
public enum DocumentLoadError: Error, LocalizedError, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case unextractable(path: String, reason: String)
    /// A file larger than the limit for one document, refused by its size before anything was read.
    case tooLarge(path: String, size: Int, limit: Int)
    /// A stream (standard input, a FIFO) that went past the limit: reading stopped there.
    case streamTooLarge(path: String, limit: Int)
    /// A path that is no document file: a device such as /dev/zero, a socket, a folder.
    case notAFile(path: String, kind: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason); check the path, or pass `-` to read standard input"
        case .unextractable(let path, let reason):
            "cannot extract \(path): \(reason)"
        case .tooLarge(let path, let size, let limit):
            "\(path) is \(Self.megabytes(size)), over the \(Self.megabytes(limit)) limit for one document; nothing was read (split the document, or extract the part you need)"
        case .streamTooLarge(let path, let limit):
            "\(path): stopped reading after \(Self.megabytes(limit)), the limit for one document (an endless stream such as /dev/zero?); give a smaller document"
        case .notAFile(let path, let kind):
            "\(path) is \(kind), not a document file; give a file, or `-` to read standard input"
        }
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? "\(bytes / 1_000_000) MB" : "\(bytes) bytes"
    }
}

/// Reads a document's bytes from a file or standard input, never more than the limit for one document.
///
/// The limit holds while reading: a regular file is refused by its size before any byte is read, and a stream
/// (standard input, a FIFO) is counted as it arrives and stopped one chunk past the limit, so endless input
/// costs the limit's worth of memory, not all the machine has. Devices, sockets and folders are named as such.
public enum DocumentInput {
    /// What is read at a time from a stream.
    static let chunk = 1 << 16

    /// Reads `path` (`-` for standard input), at most `limit` bytes.
    public static func read(path: String, limit: Int = ExtractionLimits().maxInputBytes) throws(DocumentLoadError) -> Data {
        if path == "-" { return try stream(STDIN_FILENO, display: "standard input", limit: limit) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(path: path, reason: errno == ENOENT || errno == ENOTDIR ? "no such file" : String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            if Int(info.st_size) > limit { throw .tooLarge(path: path, size: Int(info.st_size), limit: limit) }
        case S_IFIFO: break
        case S_IFDIR: throw .notAFile(path: path, kind: "a folder")
        case S_IFCHR: throw .notAFile(path: path, kind: "a character device")
        case S_IFBLK: throw .notAFile(path: path, kind: "a block device")
        case S_IFSOCK: throw .notAFile(path: path, kind: "a socket")
        default: throw .notAFile(path: path, kind: "not a regular file")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadable(path: path, reason: errno == EACCES ? "permission denied" : String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        return try stream(descriptor, display: path, limit: limit)
    }

    /// Reads `descriptor` to its end, stopping with `streamTooLarge` as soon as more than `limit` bytes came.
    static func stream(_ descriptor: Int32, display: String, limit: Int) throws(DocumentLoadError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, chunk) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: display, reason: String(cString: strerror(errno)))
            }
            if data.count + count > limit { throw .streamTooLarge(path: display, limit: limit) }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}

/// Turns a file (or standard input) into an `ExtractedDocument` for `spscan tag`, through the same extractor a
/// scan uses, so that a document tags the same way from the command line as in the corpus.
public enum DocumentLoader {
    /// Reads `path` (`-` for standard input) in any format the extractor reads. A given language overrides
    /// the detected one for the document and every passage.
    public static func load(path: String, language: Language? = nil) throws(DocumentLoadError) -> ExtractedDocument {
        let display = path == "-" ? "standard input" : path
        let data = try DocumentInput.read(path: path)
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
