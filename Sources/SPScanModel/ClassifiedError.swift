/// An error that says which of the two failures it is, so that the command line maps it to its exit code in
/// one place (`spscan`'s root command): bad input or configuration, where nothing was changed (exit 2), or
/// work that was attempted and failed (exit 1). Every module's error type conforms; a command never catches an
/// error only to re-label it.
public protocol ClassifiedError: Error {
    /// True when the user's input or configuration is at fault and nothing was changed.
    var isBadInput: Bool { get }
}

extension ConfigurationError: ClassifiedError {
    public var isBadInput: Bool { true }
}

extension FilterError: ClassifiedError {
    public var isBadInput: Bool { true }
}

extension TaggingQualityError: ClassifiedError {
    /// A damaged Eval/quality.json is the user's to rewrite (`make eval`) or delete; nothing was written.
    public var isBadInput: Bool { true }
}

extension CASEImportError: ClassifiedError {
    /// A CASE file that does not describe a framework spscan can read: nothing was written.
    public var isBadInput: Bool { true }
}

extension CompetencyLookupError: ClassifiedError {
    /// A competency no id, name or fragment matches: the message proposes the closest.
    public var isBadInput: Bool { true }
}
