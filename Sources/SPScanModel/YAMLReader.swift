import Foundation

/// Walks a YAML node tree and collects diagnostics with file, line and column, instead of stopping at the
/// first problem. Loaders read through it so that every message has the same shape.
struct YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    /// Composes the text into a node tree; a syntax error becomes one diagnostic with libyaml's position.
    mutating func compose(_ text: String) -> YAMLNode? {
        do {
            return try YAMLNode.compose(text)
        } catch {
            if let mark = error.mark {
                report(
                    at: SourceLocation(file: file, line: mark.line, column: mark.column),
                    "YAML syntax: \(error.problem); check indentation, quotes and the `key: value` shape near here")
            } else {
                report(at: nil, "\(file): cannot read YAML: \(error.problem)")
            }
            return nil
        }
    }

    /// Diagnostics in file order, so that a user can work down the file.
    var sortedDiagnostics: [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let left = lhs.element.location
            let right = rhs.element.location
            if left?.line != right?.line { return (left?.line ?? 0) < (right?.line ?? 0) }
            if left?.column != right?.column { return (left?.column ?? 0) < (right?.column ?? 0) }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// The value under `key` in a mapping node, read before validation (for ids and error context).
    static func value(of key: String, in node: YAMLNode) -> YAMLNode? {
        node.mapping?.first { $0.key.scalar?.string == key }?.value
    }

    func location(_ node: YAMLNode?) -> SourceLocation? {
        guard let mark = node?.mark else { return nil }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    mutating func report(_ severity: Diagnostic.Severity = .error, at location: SourceLocation?, _ message: String) {
        diagnostics.append(Diagnostic(severity, at: location ?? SourceLocation(file: file, line: 1, column: 1), message))
    }

    mutating func error(_ node: YAMLNode?, _ message: String) {
        report(at: location(node), message)
    }

    mutating func warning(_ node: YAMLNode?, _ message: String) {
        report(.warning, at: location(node), message)
    }

    /// The entries of a mapping, keyed by their string keys; unknown keys are reported with the closest
    /// allowed key as a suggestion, and duplicate keys are reported too.
    mutating func mapping(_ node: YAMLNode?, context: String, allowed: [String]) -> Fields? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            error(node, "\(context) must be a mapping of `key: value` lines, not \(describe(node))")
            return nil
        }
        var fields = Fields(owner: node)
        for pair in mapping {
            let (keyNode, value) = (pair.key, pair.value)
            guard let key = keyNode.scalar?.string else {
                error(keyNode, "\(context): keys must be plain words")
                continue
            }
            if fields[key] != nil {
                error(keyNode, "\(context): `\(key)` is given twice; keep one")
                continue
            }
            if !allowed.contains(key) {
                let hint = Self.closest(to: key, in: allowed).map { "did you mean `\($0)`? " } ?? ""
                error(keyNode, "\(context): unknown key `\(key)`; \(hint)allowed keys are \(allowed.joined(separator: ", "))")
                continue
            }
            fields.entries.append(Fields.Entry(key: key, keyNode: keyNode, value: value))
        }
        return fields
    }

    mutating func sequence(_ node: YAMLNode?, context: String) -> [YAMLNode]? {
        guard let node else { return nil }
        if let sequence = node.sequence { return sequence }
        error(node, "\(context) must be a list (`- item` lines or `[a, b]`), not \(describe(node))")
        return nil
    }

    /// A required non-empty string.
    mutating func string(_ fields: Fields, _ key: String, context: String, required: Bool = true) -> String? {
        guard let node = fields[key] else {
            if required { error(fields.owner, "\(context): missing required `\(key)`") }
            return nil
        }
        guard let scalar = node.scalar else {
            error(node, "\(context): `\(key)` must be text, not \(describe(node))")
            return nil
        }
        let value = Self.trimmed(scalar.string)
        if value.isEmpty {
            if required { error(node, "\(context): `\(key)` is empty; give it a value") }
            return nil
        }
        return value
    }

    mutating func number(_ fields: Fields, _ key: String, context: String, range: ClosedRange<Double>) -> Double? {
        guard let node = fields[key] else { return nil }
        guard let text = node.scalar?.string, let value = Double(text) else {
            error(node, "\(context): `\(key)` must be a number")
            return nil
        }
        guard range.contains(value) else {
            error(
                node,
                "\(context): `\(key)` is \(text); use a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
            return nil
        }
        return value
    }

    mutating func integer(_ fields: Fields, _ key: String, context: String, range: ClosedRange<Int>) -> Int? {
        guard let node = fields[key] else { return nil }
        guard let text = node.scalar?.string, let value = Int(text) else {
            error(node, "\(context): `\(key)` must be a whole number")
            return nil
        }
        guard range.contains(value) else {
            error(node, "\(context): `\(key)` is \(value); use a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func bool(_ fields: Fields, _ key: String, context: String) -> Bool? {
        guard let node = fields[key] else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, "\(context): `\(key)` must be true or false")
            return nil
        }
    }

    /// A duration in seconds: a number or `500ms`, `30s`, `5m`, `12h`, `7d`.
    mutating func duration(_ fields: Fields, _ key: String, context: String) -> Double? {
        guard let node = fields[key] else { return nil }
        guard let text = node.scalar?.string, let value = Duration.seconds(from: text) else {
            error(node, "\(context): `\(key)` must be a duration such as 30, 30s, 500ms, 5m or 12h")
            return nil
        }
        return value
    }

    /// A size in bytes: a whole number or `500 KiB`, `25 MiB`, `1 GB`.
    mutating func byteSize(_ fields: Fields, _ key: String, context: String) -> Int? {
        guard let node = fields[key] else { return nil }
        guard let text = node.scalar?.string, let value = ByteSize.bytes(from: text), value > 0 else {
            error(node, "\(context): `\(key)` must be a size such as 1048576, 500 KiB or 25 MiB")
            return nil
        }
        return value
    }

    /// An enumerated value, with the allowed spellings in the message when it is wrong.
    mutating func choice<T: CaseIterable & RawRepresentable>(
        _ node: YAMLNode?, _ type: T.Type, context: String, what: String, parse: (String) -> T? = { T(rawValue: $0) }
    ) -> T? where T.RawValue == String {
        guard let node else { return nil }
        guard let text = node.scalar?.string else {
            error(node, "\(context): \(what) must be one word, not \(describe(node))")
            return nil
        }
        if let value = parse(text) { return value }
        let hint = Self.closest(to: text, in: T.allCases.map(\.rawValue)).map { "did you mean `\($0)`? " } ?? ""
        error(node, "\(context): unknown \(what) '\(text)'; \(hint)use \(T.allowedList)")
        return nil
    }

    func describe(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let scalar): "the text '\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// The text without surrounding white space; most scalars have none, and checking the two ends first
    /// spares Foundation's trimming (a bridged copy) for them.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        let plain = UInt8(ascii: "!")...UInt8(ascii: "~")  // visible ASCII: no white space at this end
        if plain.contains(first), plain.contains(last) { return text }
        let space = CharacterSet.whitespacesAndNewlines
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return text }
        guard space.contains(first) || space.contains(last) else { return text }
        return text.trimmingCharacters(in: space)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The allowed word nearest to a misspelling, when it is near enough to be a plausible typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// The known keys of one mapping, with their key nodes for positions.
///
/// A list searched in order rather than a dictionary: a mapping has a dozen keys at most, and building two
/// dictionaries per source was a sixth of loading a large registry.
struct Fields {
    struct Entry {
        var key: String
        /// The key's own node, for the position of a message about the key rather than its value.
        var keyNode: YAMLNode
        var value: YAMLNode
    }

    let owner: YAMLNode
    var entries: [Entry] = []

    init(owner: YAMLNode) {
        self.owner = owner
    }

    subscript(key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }
}
