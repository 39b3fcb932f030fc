import Foundation
import SPScanModel

/// How much memory a framework's vocabulary costs once compiled, checked before it is built.
///
/// A framework someone imports (CASE) can be large. The compiled matcher costs about `bytesPerEntry` per
/// vocabulary entry (the sparse automaton, the stems and the compiled patterns of every spelling variant),
/// measured with `make bench-match BENCH_MATCH_FLAGS="--vocabulary 200000"`; the figure here rounds the
/// measurement up. `validate` warns above `warningBytes`, and the matcher refuses to build above
/// `limitBytes`, the memory ceiling of one spscan command, with a message that says what to do.
public enum VocabularyBudget {
    /// Compiled bytes per vocabulary entry (terms and exclusions), rounded up from the measurement.
    public static let bytesPerEntry = 1_200
    /// Above this, `validate` warns: tagging still works but every command that tags pays this much memory.
    public static let warningBytes = 256 << 20
    /// Above this, the matcher is not built: the command would exceed the 1 GB ceiling of one command.
    public static let limitBytes = 1 << 30

    /// Vocabulary entries of every competency and language, exclusions included.
    public static func entryCount(_ framework: Framework) -> Int {
        framework.competencies.reduce(0) { total, competency in
            total + competency.terms.values.reduce(0) { $0 + $1.count } + competency.exclusions.values.reduce(0) { $0 + $1.count }
        }
    }

    public static func estimatedBytes(_ framework: Framework) -> Int {
        entryCount(framework) * bytesPerEntry
    }

    /// The largest vocabulary that can be built.
    public static var maximumEntries: Int { limitBytes / bytesPerEntry }

    /// A warning or an error for a vocabulary too large, for `validate`; nothing for an ordinary one.
    public static func diagnostics(for framework: Framework, file: String) -> [Diagnostic] {
        let entries = entryCount(framework)
        let bytes = entries * bytesPerEntry
        let location = SourceLocation(file: file, line: 1, column: 1)
        if bytes > limitBytes {
            return [
                Diagnostic(
                    .error, at: location,
                    "the vocabulary has \(entries) terms, which would need about \(bytes >> 20) MB to match; the most spscan "
                        + "builds is \(maximumEntries) terms (\(limitBytes >> 20) MB); remove terms or split the framework")
            ]
        }
        if bytes > warningBytes {
            return [
                Diagnostic(
                    .warning, at: location,
                    "the vocabulary has \(entries) terms, which needs about \(bytes >> 20) MB in every command that tags; "
                        + "above \(warningBytes / bytesPerEntry) terms consider trimming it")
            ]
        }
        return []
    }
}
