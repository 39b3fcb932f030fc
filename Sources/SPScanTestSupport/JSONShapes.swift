import Foundation

/// The JSON shapes documented in docs/json.md, and the check that an output has one of them.
///
/// Each shape in that page is an example after a `<!-- shape: NAME -->` line. A shape is the set of its key
/// paths (`documents[].evidence.spans[].start`); an object whose keys are data (counts by outcome, say) is
/// written with the one key `"*"`, which stands for any key. An output has the shape when it has every
/// top-level key documented with a value other than null, every path it has is documented (an empty array has
/// fewer paths than the example), and every key it names is snake_case.
public struct JSONShapes: Sendable {
    public private(set) var shapes: [String: Set<String>] = [:]
    public private(set) var topLevel: [String: Set<String>] = [:]

    /// Reads docs/json.md of this package.
    public static func documented() throws -> JSONShapes {
        try JSONShapes(markdown: String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("docs/json.md"), encoding: .utf8))
    }

    public init(markdown: String) throws {
        var name: String?
        var block: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!-- shape:"), trimmed.hasSuffix("-->") {
                name = trimmed.dropFirst("<!-- shape:".count).dropLast(3).trimmingCharacters(in: .whitespaces)
            } else if block == nil, name != nil, trimmed.hasPrefix("```json") {
                block = []
            } else if let lines = block, trimmed == "```", let shape = name {
                let value = try JSONSerialization.jsonObject(with: Data(lines.joined(separator: "\n").utf8), options: [.fragmentsAllowed])
                shapes[shape] = Self.paths(of: value)
                // A key whose example is null may be absent; every other top-level key must be there.
                topLevel[shape] = Set((value as? [String: Any])?.filter { !($0.value is NSNull) }.keys.map { $0 } ?? [])
                block = nil
                name = nil
            } else if block != nil {
                block?.append(line)
            }
        }
    }

    /// The problems of `json` against the shape `name`; empty when it has the shape.
    public func problems(_ json: String, shape name: String) -> [String] {
        guard let documented = shapes[name] else { return ["docs/json.md documents no shape '\(name)'"] }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            return ["not JSON: \(error)"]
        }
        var problems: [String] = []
        let keys = Set((value as? [String: Any])?.keys.map { $0 } ?? [])
        if let required = topLevel[name], !required.isSubset(of: keys) {
            problems.append("missing top-level keys \(required.subtracting(keys).sorted())")
        }
        for path in Self.paths(of: value).sorted() where !Self.matches(path, documented) {
            problems.append("\(path) is not documented")
        }
        for key in Self.keys(of: value, dataKeyed: Self.dataKeyedPaths(documented)).sorted() where !Self.isSnakeCase(key) {
            problems.append("key '\(key)' is not snake_case")
        }
        return problems
    }

    static func isSnakeCase(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Every key path of a value; array elements share the path `name[]`.
    static func paths(of value: Any, prefix: String = "") -> Set<String> {
        var result: Set<String> = []
        if let object = value as? [String: Any] {
            for (key, child) in object {
                let path = prefix.isEmpty ? key : prefix + "." + key
                result.insert(path)
                result.formUnion(paths(of: child, prefix: path))
            }
        } else if let array = value as? [Any] {
            for element in array { result.formUnion(paths(of: element, prefix: prefix + "[]")) }
        }
        return result
    }

    /// Whether `path` is documented, `*` standing for any one key.
    static func matches(_ path: String, _ documented: Set<String>) -> Bool {
        if documented.contains(path) { return true }
        let parts = path.split(separator: ".")
        return documented.contains { candidate in
            let pattern = candidate.split(separator: ".")
            guard pattern.count == parts.count else { return false }
            return zip(pattern, parts).allSatisfy { expected, actual in
                expected == actual || expected == "*" || (expected.hasPrefix("*") && actual.hasSuffix(expected.dropFirst()))
            }
        }
    }

    /// The paths under which keys are data (documented as `*`).
    static func dataKeyedPaths(_ documented: Set<String>) -> [String] {
        documented.filter { $0.hasSuffix(".*") || $0 == "*" }.map { String($0.dropLast($0 == "*" ? 1 : 2)) }
    }

    /// Every key an output names, except the data keys of objects documented with `*`.
    static func keys(of value: Any, dataKeyed: [String], prefix: String = "") -> Set<String> {
        var result: Set<String> = []
        if let object = value as? [String: Any] {
            let isData = dataKeyed.contains { matches(prefix, [$0]) }
            for (key, child) in object {
                let path = prefix.isEmpty ? key : prefix + "." + key
                if !isData { result.insert(key) }
                result.formUnion(keys(of: child, dataKeyed: dataKeyed, prefix: isData ? prefix + ".*" : path))
            }
        } else if let array = value as? [Any] {
            for element in array { result.formUnion(keys(of: element, dataKeyed: dataKeyed, prefix: prefix + "[]")) }
        }
        return result
    }
}
