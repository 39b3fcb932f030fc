import Foundation

/// Why a file could not be read as a CASE package; the message names the first field at fault.
public struct CASEImportError: Error, LocalizedError, Equatable, Sendable {
    public var file: String
    /// Where in the JSON, e.g. `CFItems[3].fullStatement`; empty for the file as a whole.
    public var field: String
    public var problem: String

    public init(file: String, field: String, _ problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var errorDescription: String? {
        let place = field.isEmpty ? "" : " at `\(field)`"
        return "\(file) is not a CASE 1.0 or 1.1 package\(place): \(problem)"
    }
}

/// What an import made of a package, for the summary a user reads.
public struct CASEImport: Sendable {
    public var framework: Framework
    /// Items that group others below the domain level; their names go into their competencies' descriptions.
    public var foldedGroups: Int
    /// Items that are the French side of an `isTranslationOf`, read as `name_fr`.
    public var translations: Int
    /// Associations other than the tree and translations (alignments between items), which Framework.yaml
    /// has no place for.
    public var otherAssociations: Int
}

extension CASEImport {
    /// Reads a CASE 1.0 or 1.1 package (as OpenSALT and other CASE tools export it) into a framework without
    /// vocabulary. The `isChildOf` tree may be any depth: the items directly under the document that have
    /// children become domains, the leaves under each become its competencies (in sequence-number order,
    /// depth first), and the groups in between are named in those competencies' descriptions. Top-level items
    /// with no children are gathered into one domain named after the document. Ids come from
    /// `humanCodingScheme` where it already has spscan's shape (`IS`, `IS-1`); otherwise they are made from
    /// the name and position and the original code is kept as `code:`.
    public static func read(_ data: Data, file: String) throws -> CASEImport {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CASEImportError(file: file, field: "", "it is not JSON (\(Self.describe(error))); export the framework as CASE JSON")
        }
        var reader = CASEReader(file: file)
        let package = try reader.package(root)
        return try Importer(package: package, file: file).run()
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return error.localizedDescription
    }
}

/// Any JSON value, decoded without a schema so that the reader can say which field is wrong.
enum JSONValue: Decodable, Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "text"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        }
    }
}

/// Walks the decoded JSON and checks the fields the CASE schema requires, naming the first one at fault.
struct CASEReader {
    let file: String

    func fail(_ path: String, _ problem: String) -> CASEImportError {
        CASEImportError(file: file, field: path, problem)
    }

    func object(_ value: JSONValue?, _ path: String) throws -> [String: JSONValue] {
        guard let value else { throw fail(path, "missing; it is required") }
        guard case .object(let fields) = value else { throw fail(path, "must be an object, not \(value.kind)") }
        return fields
    }

    func string(_ fields: [String: JSONValue], _ key: String, _ path: String, required: Bool = true) throws -> String? {
        guard let value = fields[key], !(value.isNull && !required) else {
            if required { throw fail("\(path).\(key)", "missing; it is required") }
            return nil
        }
        guard case .string(let text) = value else { throw fail("\(path).\(key)", "must be text, not \(value.kind)") }
        if required, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw fail("\(path).\(key)", "is empty")
        }
        return text
    }

    func uuid(_ fields: [String: JSONValue], _ key: String, _ path: String) throws -> String {
        let text = try string(fields, key, path) ?? ""
        let lower = text.lowercased()
        guard CASEIdentifier.isUUID(lower) else { throw fail("\(path).\(key)", "'\(text)' is not a UUID") }
        return lower
    }

    func dateTime(_ fields: [String: JSONValue], _ path: String) throws -> String {
        let text = try string(fields, "lastChangeDateTime", path) ?? ""
        guard CASEIdentifier.isDateTime(text) else {
            throw fail("\(path).lastChangeDateTime", "'\(text)' is not an ISO 8601 date-time such as 2026-11-25T00:00:00Z")
        }
        return text
    }

    func list(_ value: JSONValue?, _ path: String) throws -> [JSONValue] {
        guard let value, !value.isNull else { return [] }
        guard case .array(let items) = value else { throw fail(path, "must be a list, not \(value.kind)") }
        return items
    }

    /// A sequence number as an integer; some tools write it as text.
    func sequence(_ fields: [String: JSONValue], _ path: String) throws -> Double? {
        switch fields["sequenceNumber"] {
        case nil, .null: return nil
        case .number(let value): return value
        case .string(let text):
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail("\(path).sequenceNumber", "'\(text)' is not a number")
            }
            return value
        case let other?: throw fail("\(path).sequenceNumber", "must be a number, not \(other.kind)")
        }
    }

    func node(_ fields: [String: JSONValue], _ key: String, _ path: String) throws -> String {
        let link = try object(fields[key], "\(path).\(key)")
        _ = try string(link, "uri", "\(path).\(key)")
        return (try string(link, "identifier", "\(path).\(key)") ?? "").lowercased()
    }

    mutating func package(_ root: JSONValue) throws -> RawPackage {
        guard case .object(let top) = root else {
            throw fail("", "the file holds \(root.kind); a CASE package is an object with CFDocument, CFItems and CFAssociations")
        }
        guard top["CFDocument"] != nil else {
            let keys = top.keys.sorted().prefix(5).map { "`\($0)`" }.joined(separator: ", ")
            throw fail(
                "CFDocument",
                "missing; a CASE package is an object with CFDocument, CFItems and CFAssociations"
                    + (keys.isEmpty ? "" : ", and this one has \(keys)"))
        }
        let documentFields = try object(top["CFDocument"], "CFDocument")
        let document = RawDocument(
            identifier: try uuid(documentFields, "identifier", "CFDocument"),
            title: try string(documentFields, "title", "CFDocument") ?? "",
            creator: try string(documentFields, "creator", "CFDocument") ?? "",
            uri: try string(documentFields, "uri", "CFDocument") ?? "",
            lastChange: try dateTime(documentFields, "CFDocument"),
            version: try string(documentFields, "version", "CFDocument", required: false))
        var items: [RawItem] = []
        for (index, value) in try list(top["CFItems"], "CFItems").enumerated() {
            let path = "CFItems[\(index)]"
            let fields = try object(value, path)
            _ = try string(fields, "uri", path)
            _ = try dateTime(fields, path)
            items.append(
                RawItem(
                    identifier: try uuid(fields, "identifier", path),
                    fullStatement: try string(fields, "fullStatement", path) ?? "",
                    code: try string(fields, "humanCodingScheme", path, required: false),
                    notes: try string(fields, "notes", path, required: false),
                    language: try string(fields, "language", path, required: false),
                    listEnumeration: try string(fields, "listEnumeration", path, required: false),
                    position: index))
        }
        var associations: [RawAssociation] = []
        for (index, value) in try list(top["CFAssociations"], "CFAssociations").enumerated() {
            let path = "CFAssociations[\(index)]"
            let fields = try object(value, path)
            _ = try uuid(fields, "identifier", path)
            _ = try string(fields, "uri", path)
            _ = try dateTime(fields, path)
            associations.append(
                RawAssociation(
                    type: try string(fields, "associationType", path) ?? "",
                    origin: try node(fields, "originNodeURI", path),
                    destination: try node(fields, "destinationNodeURI", path),
                    sequence: try sequence(fields, path)))
        }
        return RawPackage(document: document, items: items, associations: associations)
    }
}

extension JSONValue {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

struct RawDocument {
    var identifier, title, creator, uri, lastChange: String
    var version: String?
}

struct RawItem {
    var identifier, fullStatement: String
    var code, notes, language, listEnumeration: String?
    var position: Int
}

struct RawAssociation {
    var type, origin, destination: String
    var sequence: Double?
}

struct RawPackage {
    var document: RawDocument
    var items: [RawItem]
    var associations: [RawAssociation]
}

/// Turns the checked package into domains and competencies.
struct Importer {
    let package: RawPackage
    let file: String

    func run() throws -> CASEImport {
        let byID = Dictionary(package.items.map { ($0.identifier, $0) }, uniquingKeysWith: { first, _ in first })
        // French twins: the origin of an `isTranslationOf` in French names its destination in French.
        var french: [String: String] = [:]
        var twins = Set<String>()
        var other = 0
        for association in package.associations where association.type == "isTranslationOf" {
            guard let origin = byID[association.origin], byID[association.destination] != nil,
                origin.language?.lowercased().hasPrefix("fr") == true
            else {
                other += 1
                continue
            }
            twins.insert(origin.identifier)
            if french[association.destination] == nil { french[association.destination] = origin.fullStatement }
        }
        // The tree: each item's first `isChildOf` parent; children in sequence-number order.
        var parent: [String: String] = [:]
        var order: [String: (Double, Int)] = [:]
        for (index, association) in package.associations.enumerated() where association.type == "isChildOf" {
            guard byID[association.origin] != nil, parent[association.origin] == nil,
                association.origin != association.destination
            else { continue }
            parent[association.origin] = association.destination
            order[association.origin] = (association.sequence ?? .infinity, index)
        }
        other += package.associations.count(where: { $0.type != "isChildOf" && $0.type != "isTranslationOf" })
        var children: [String: [RawItem]] = [:]
        var roots: [RawItem] = []
        for item in package.items where !twins.contains(item.identifier) {
            if let up = parent[item.identifier], byID[up] != nil, !twins.contains(up) {
                children[up, default: []].append(item)
            } else {
                roots.append(item)
            }
        }
        func sorted(_ list: [RawItem]) -> [RawItem] {
            list.sorted { a, b in
                let left = order[a.identifier] ?? (.infinity, Int.max)
                let right = order[b.identifier] ?? (.infinity, Int.max)
                if left.0 != right.0 { return left.0 < right.0 }
                if let l = a.listEnumeration, let r = b.listEnumeration, l != r {
                    return l.compare(r, options: .numeric) == .orderedAscending
                }
                if left.1 != right.1 { return left.1 < right.1 }
                return a.position < b.position
            }
        }
        var visited = Set<String>()
        var folded = 0
        /// The leaves under an item, depth first, each with the groups above it (below the domain).
        func leaves(under item: RawItem, groups: [RawItem]) -> [(RawItem, [RawItem])] {
            var result: [(RawItem, [RawItem])] = []
            for child in sorted(children[item.identifier] ?? []) where visited.insert(child.identifier).inserted {
                let below = children[child.identifier] ?? []
                if below.isEmpty {
                    result.append((child, groups))
                } else {
                    folded += 1
                    result += leaves(under: child, groups: groups + [child])
                }
            }
            return result
        }
        // Items caught in a cycle of `isChildOf` are reached from nowhere; they are read as top-level items.
        var tops = sorted(roots)
        var reached = Set(tops.map(\.identifier))
        func reach(_ id: String) {
            for child in children[id] ?? [] where reached.insert(child.identifier).inserted { reach(child.identifier) }
        }
        tops.forEach { reach($0.identifier) }
        for item in package.items where !twins.contains(item.identifier) && !reached.contains(item.identifier) {
            tops.append(item)
            reached.insert(item.identifier)
            reach(item.identifier)
        }

        var ids = IDMaker()
        var domains: [Domain] = []
        var loose: [RawItem] = []
        for top in tops {
            visited.insert(top.identifier)
            let found = leaves(under: top, groups: [])
            if found.isEmpty {
                loose.append(top)
                continue
            }
            let domainID = ids.domain(code: top.code, name: top.fullStatement)
            var competencies: [Competency] = []
            var numbers = IDMaker.Numbers(domain: domainID, codes: found.compactMap(\.0.code))
            for (leaf, groups) in found {
                competencies.append(competency(leaf, groups: groups, domain: domainID, id: numbers.next(code: leaf.code), french: french))
            }
            domains.append(
                Domain(
                    id: domainID, name: Self.line(top.fullStatement), nameFrench: french[top.identifier].map(Self.line),
                    description: top.notes.map(Self.trimmed) ?? "", competencies: competencies, uuid: top.identifier,
                    code: top.code == domainID ? nil : top.code))
        }
        if !loose.isEmpty {
            let name = domains.isEmpty ? package.document.title : "Other competencies"
            let domainID = ids.domain(code: nil, name: name)
            var numbers = IDMaker.Numbers(domain: domainID, codes: loose.compactMap(\.code))
            let competencies = loose.map { competency($0, groups: [], domain: domainID, id: numbers.next(code: $0.code), french: french) }
            domains.append(
                Domain(
                    id: domainID, name: Self.line(name), description: "Top-level items of the CASE package.",
                    competencies: competencies, uuid: CASEIdentifier.derived("loose items", under: package.document.identifier)))
        }
        guard !domains.isEmpty else {
            throw CASEImportError(file: file, field: "CFItems", "the package has no items; there is no competency to import")
        }
        let document = package.document
        let framework = Framework(
            id: Self.slug(document.title), title: Self.line(document.title), version: document.version.map(Self.line) ?? "draft",
            domains: domains, uuid: document.identifier, creator: Self.line(document.creator), lastChanged: document.lastChange)
        return CASEImport(framework: framework, foldedGroups: folded, translations: twins.count, otherAssociations: other)
    }

    func competency(_ item: RawItem, groups: [RawItem], domain: String, id: String, french: [String: String]) -> Competency {
        var description = item.notes.map(Self.trimmed) ?? ""
        if description.isEmpty { description = Self.trimmed(item.fullStatement) }
        if !groups.isEmpty {
            let path = groups.map { group in [group.code, Self.line(group.fullStatement)].compactMap { $0 }.joined(separator: " ") }
            description += " (under \(path.joined(separator: " › ")))"
        }
        return Competency(
            id: id, domain: domain, name: Self.line(item.fullStatement), nameFrench: french[item.identifier].map(Self.line),
            description: description, terms: [:], uuid: item.identifier, code: item.code == id ? nil : item.code)
    }

    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// A statement on one line: names are shown in tables and menus.
    static func line(_ text: String) -> String {
        trimmed(text).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A kebab-case framework id from the document title.
    static func slug(_ title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let words = folded.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        let slug = words.prefix(8).joined(separator: "-")
        return slug.isEmpty ? "imported-framework" : slug
    }
}

/// Makes spscan ids (`IS`, `IS-1`) for imported items, keeping the authors' codes where they fit.
struct IDMaker {
    var used = Set<String>()

    mutating func domain(code: String?, name: String) -> String {
        if let code, code.wholeMatch(of: /[A-Z]{2,4}/) != nil, used.insert(code).inserted { return code }
        let words = name.folding(options: .diacriticInsensitive, locale: nil).uppercased()
            .split { !($0.isASCII && $0.isLetter) }
        let stop: Set<String> = ["AND", "OF", "THE", "FOR", "IN", "TO", "A", "AN", "ET", "DE", "DES", "LA", "LE", "LES", "DU"]
        let meaningful = words.filter { !stop.contains(String($0)) }
        var base = String(meaningful.compactMap(\.first).prefix(4))
        if base.count < 2, let first = (meaningful.first ?? words.first) { base = String(first.prefix(2)) }
        if base.count < 2 { base = "DM" }
        if used.insert(base).inserted { return base }
        let stem = String(base.prefix(3))
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" where used.insert(stem + String(letter)).inserted { return stem + String(letter) }
        var n = 0
        while true {
            n += 1
            let letters = String(UnicodeScalar(UInt8(65 + n / 26 % 26))) + String(UnicodeScalar(UInt8(65 + n % 26)))
            if used.insert("D" + letters).inserted { return "D" + letters }
        }
    }

    /// Competency numbers within one domain: a code already shaped `IS-3` keeps its number, the others take
    /// the next free one.
    struct Numbers {
        let domain: String
        var taken = Set<String>()
        var given = Set<String>()
        var counter = 0

        init(domain: String, codes: [String]) {
            self.domain = domain
            taken = Set(codes.filter { Self.fits($0, domain) })
        }

        static func fits(_ code: String, _ domain: String) -> Bool {
            code.wholeMatch(of: /([A-Z]{2,4})-([1-9][0-9]*)/)?.output.1 == Substring(domain)
        }

        mutating func next(code: String?) -> String {
            if let code, Self.fits(code, domain), given.insert(code).inserted { return code }
            repeat { counter += 1 } while taken.contains("\(domain)-\(counter)") || given.contains("\(domain)-\(counter)")
            given.insert("\(domain)-\(counter)")
            return "\(domain)-\(counter)"
        }
    }
}
