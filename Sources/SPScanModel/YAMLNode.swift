import CYaml

/// A position in a YAML file, from 1, as libyaml counts it (columns in Unicode scalars).
struct YAMLMark: Hashable, Sendable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: yaml_mark_t) {
        self.init(line: mark.line + 1, column: mark.column + 1)
    }
}

/// One node of a YAML document as the loaders read it: text, a list or a mapping, each with its position.
///
/// Why not Yams' `Node`: composing a 10,000-source registry through it allocated an event object, a tag object
/// and a mark per node and hashed every mapping's keys against seven regular expressions to find duplicates;
/// that was most of a 1.4 s load. The loaders only need text and positions (they parse numbers, booleans and
/// durations themselves and report duplicate keys with their own message), so this tree holds nothing else
/// and is built in one pass over libyaml's events (`YAMLNode.compose`).
enum YAMLNode: Sendable {
    case scalar(Scalar)
    case mapping([Pair], YAMLMark)
    case sequence([YAMLNode], YAMLMark)

    struct Scalar: Sendable {
        var string: String
        var mark: YAMLMark
    }

    struct Pair: Sendable {
        var key: YAMLNode
        var value: YAMLNode
    }

    var scalar: Scalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    var mapping: [Pair]? {
        if case .mapping(let pairs, _) = self { return pairs }
        return nil
    }

    var sequence: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(_, let mark), .sequence(_, let mark): mark
        }
    }
}

/// Why a text is not YAML, with libyaml's own words and position.
struct YAMLSyntaxError: Error, Equatable {
    var problem: String
    /// Where the problem was found; nil when libyaml gives no line (an encoding or memory error).
    var mark: YAMLMark?
}

extension YAMLNode {
    /// Composes a single-document YAML text into a tree, or nil for an empty document.
    ///
    /// One pass over libyaml's events with an explicit stack (no recursion, so deep nesting cannot overflow the
    /// call stack). Aliases stand for the node their anchor names; tags are ignored (every scalar is text).
    static func compose(_ text: String) throws(YAMLSyntaxError) -> YAMLNode? {
        var text = text
        text.makeContiguousUTF8()
        let result = text.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(YAMLSyntaxError) in try compose(bytes: bytes) }
        }
        switch result {
        case .success(let node): return node
        case .failure(let error): throw error
        case nil: throw YAMLSyntaxError(problem: "the text could not be read as UTF-8", mark: nil)
        }
    }

    /// A mapping or list being filled while its events arrive.
    private struct Frame {
        var isMapping: Bool
        var mark: YAMLMark
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [Pair] = []
        var pendingKey: YAMLNode?
    }

    private static func compose(bytes: UnsafeBufferPointer<UInt8>) throws(YAMLSyntaxError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLSyntaxError(problem: "out of memory while reading YAML", mark: nil)
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)

        var stack: [Frame] = []
        var anchors: [String: YAMLNode] = [:]
        var root: YAMLNode?
        var documents = 0
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw syntaxError(parser) }
            defer { yaml_event_delete(&event) }
            let mark = YAMLMark(event.start_mark)
            var finished: YAMLNode?
            var anchor: String?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw YAMLSyntaxError(problem: "expected a single document in the stream, but found another document", mark: mark)
                }
                continue
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let value = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) }
                finished = .scalar(Scalar(string: value ?? "", mark: mark))
                anchor = string(scalar.anchor)
            case YAML_ALIAS_EVENT:
                guard let name = string(event.data.alias.anchor), let node = anchors[name] else {
                    throw YAMLSyntaxError(problem: "found undefined alias", mark: mark)
                }
                finished = node
            case YAML_SEQUENCE_START_EVENT:
                stack.append(Frame(isMapping: false, mark: mark, anchor: string(event.data.sequence_start.anchor)))
                continue
            case YAML_MAPPING_START_EVENT:
                stack.append(Frame(isMapping: true, mark: mark, anchor: string(event.data.mapping_start.anchor)))
                continue
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                finished = frame.isMapping ? .mapping(frame.pairs, frame.mark) : .sequence(frame.items, frame.mark)
                anchor = frame.anchor
            default:  // stream start, document end, no event
                continue
            }
            guard let node = finished else { continue }
            if let anchor { anchors[anchor] = node }
            guard !stack.isEmpty else {
                root = node
                continue
            }
            let top = stack.count - 1
            if !stack[top].isMapping {
                stack[top].items.append(node)
            } else if let key = stack[top].pendingKey {
                stack[top].pairs.append(Pair(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func syntaxError(_ parser: yaml_parser_t) -> YAMLSyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "the text is not valid YAML"
        switch parser.error {
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
            return YAMLSyntaxError(problem: problem, mark: YAMLMark(parser.problem_mark))
        case YAML_MEMORY_ERROR:
            return YAMLSyntaxError(problem: "out of memory while reading YAML", mark: nil)
        default:
            return YAMLSyntaxError(problem: "\(problem) (byte \(parser.problem_offset))", mark: nil)
        }
    }
}
