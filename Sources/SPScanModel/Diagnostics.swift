import Foundation

/// A position in a user's file, for messages such as `Sources.yaml:12:5: error: ...`.
public struct SourceLocation: Hashable, Sendable, Codable {
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars as libyaml does.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// One problem found in a user's file, with where it is and how to fix it.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Codable {
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation?, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`, the shape compilers use, so editors can jump to it.
    public var description: String {
        guard let location else { return "\(severity.rawValue): \(message)" }
        return "\(location.file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

/// Every problem found in one or more files, thrown together so that a user fixes them in one pass.
public struct ConfigurationError: Error, LocalizedError, Equatable, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    public var errorDescription: String? {
        let count = errors.count
        let lines = diagnostics.map(\.description).joined(separator: "\n")
        return "\(lines)\n\(count) error\(count == 1 ? "" : "s") found; fix them and run `spscan validate` again."
    }
}
