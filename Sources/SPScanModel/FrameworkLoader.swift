import Foundation

/// Loads and validates Framework.yaml.
public enum FrameworkLoader {
    static let topKeys = ["id", "title", "version", "uuid", "creator", "last_changed", "scope", "domains"]
    static let scopeKeys = ["description", "terms", "threshold", "competencies", "with_terms"]
    static let domainKeys = ["id", "code", "uuid", "name", "name_fr", "description", "competencies"]
    static let competencyKeys = ["id", "code", "uuid", "name", "name_fr", "description", "threshold", "terms", "exclude"]
    static let termKeys = ["term", "weight"]

    public static func load(from url: URL, displayPath: String? = nil) throws -> Framework {
        let path = displayPath ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "permission denied or not a file" : "no such file"
            throw ConfigurationError([
                Diagnostic(at: nil, "cannot read \(path): \(reason); create it or point --framework at it")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError([
                Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "the file is not UTF-8 text; save it as UTF-8")
            ])
        }
        let (framework, diagnostics) = parse(text, file: path)
        if let framework, !diagnostics.contains(where: { $0.severity == .error }) { return framework }
        throw ConfigurationError(diagnostics)
    }

    public static func parse(_ text: String, file: String) -> (Framework?, [Diagnostic]) {
        var reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else {
            if reader.diagnostics.isEmpty { reader.report(at: nil, "\(file) is empty; it needs `domains:`") }
            return (nil, reader.sortedDiagnostics)
        }
        guard let top = reader.mapping(root, context: "Framework.yaml", allowed: topKeys) else {
            return (nil, reader.sortedDiagnostics)
        }
        let id = reader.string(top, "id", context: "framework")
        let title = reader.string(top, "title", context: "framework")
        let version = reader.string(top, "version", context: "framework", required: false) ?? "draft"
        let uuid = readUUID(top, context: "framework", reader: &reader)
        let creator = reader.string(top, "creator", context: "framework", required: false)
        let lastChanged = reader.string(top, "last_changed", context: "framework", required: false)
        if let lastChanged, !CASEIdentifier.isDateTime(lastChanged) {
            reader.error(top["last_changed"], "framework: `last_changed` must be a date-time such as 2026-11-25T00:00:00Z")
        }
        let scope = top["scope"].flatMap { readScope($0, reader: &reader) }
        var domains: [Domain] = []
        var domainLines: [String: Int] = [:]
        var competencyLines: [String: Int] = [:]
        if let node = top["domains"] {
            for domainNode in reader.sequence(node, context: "domains") ?? [] {
                var duplicate = false
                if let idNode = YAMLReader.value(of: "id", in: domainNode), let domainID = idNode.scalar?.string {
                    if let line = domainLines[domainID] {
                        reader.error(idNode, "duplicate domain id '\(domainID)' (first used on line \(line)); ids must be unique")
                        duplicate = true
                    } else {
                        domainLines[domainID] = idNode.mark.line
                    }
                }
                guard let domain = readDomain(domainNode, competencyLines: &competencyLines, reader: &reader), !duplicate
                else { continue }
                domains.append(domain)
            }
            if domains.isEmpty, reader.diagnostics.isEmpty {
                reader.error(node, "`domains` is empty; add at least one domain with its competencies")
            }
        } else {
            reader.error(root, "framework: missing required `domains`")
        }
        guard let id, let title else { return (nil, reader.sortedDiagnostics) }
        let framework = Framework(
            id: id, title: title, version: version, domains: domains, uuid: uuid, creator: creator, lastChanged: lastChanged,
            scope: scope)
        return (framework, reader.sortedDiagnostics)
    }

    /// `scope:`: the field's own vocabulary, and how much of it (or how many competencies) puts a document in scope.
    static func readScope(_ node: YAMLNode, reader: inout YAMLReader) -> ScopeVocabulary? {
        let context = "scope"
        guard let fields = reader.mapping(node, context: context, allowed: scopeKeys) else { return nil }
        let description = reader.string(fields, "description", context: context, required: false) ?? ""
        let threshold = reader.number(fields, "threshold", context: context, range: 0.1...100) ?? ScopeVocabulary.defaultThreshold
        let competencies = reader.number(fields, "competencies", context: context, range: 1...1000).map { Int($0) }
        let withTerms = reader.number(fields, "with_terms", context: context, range: 0...100) ?? ScopeVocabulary.defaultWithTerms
        guard let termsNode = fields["terms"] else {
            reader.error(fields.owner, "scope: missing required `terms`; list the field's words under `terms: {en: [...], fr: [...]}`")
            return nil
        }
        let terms = readVocabulary(termsNode, context: "scope terms", reader: &reader)
        if terms.values.allSatisfy(\.isEmpty) {
            reader.error(termsNode, "scope: the vocabulary is empty; list terms under `en:` and/or `fr:`")
            return nil
        }
        return ScopeVocabulary(
            description: description, terms: terms, threshold: threshold,
            competencies: competencies ?? ScopeVocabulary.defaultCompetencies, withTerms: withTerms)
    }

    static func readDomain(_ node: YAMLNode, competencyLines: inout [String: Int], reader: inout YAMLReader) -> Domain? {
        let idHint = YAMLReader.value(of: "id", in: node)?.scalar?.string
        let context = idHint.map { "domain '\($0)'" } ?? "domain"
        guard let fields = reader.mapping(node, context: context, allowed: domainKeys) else { return nil }
        let errorsBefore = reader.diagnostics.count(where: { $0.severity == .error })
        let id = reader.string(fields, "id", context: context)
        if let id, id.wholeMatch(of: /[A-Z]{2,4}/) == nil {
            reader.error(fields["id"], "\(context): a domain id is two to four capital letters, e.g. IS, CE or PA")
        }
        let name = reader.string(fields, "name", context: context)
        let nameFrench = reader.string(fields, "name_fr", context: context, required: false)
        let description = reader.string(fields, "description", context: context, required: false) ?? ""
        let uuid = readUUID(fields, context: context, reader: &reader)
        let code = reader.string(fields, "code", context: context, required: false)
        var competencies: [Competency] = []
        if let list = fields["competencies"] {
            for item in reader.sequence(list, context: "\(context) competencies") ?? [] {
                var duplicate = false
                if let idNode = YAMLReader.value(of: "id", in: item), let competencyID = idNode.scalar?.string {
                    if let line = competencyLines[competencyID] {
                        reader.error(idNode, "duplicate competency id '\(competencyID)' (first used on line \(line)); ids must be unique")
                        duplicate = true
                    } else {
                        competencyLines[competencyID] = idNode.mark.line
                    }
                }
                guard let competency = readCompetency(item, domain: id ?? "", reader: &reader), !duplicate else { continue }
                competencies.append(competency)
            }
        } else {
            reader.error(fields.owner, "\(context): missing required `competencies`")
        }
        let errorsAfter = reader.diagnostics.count(where: { $0.severity == .error })
        guard errorsAfter == errorsBefore, let id, let name else { return nil }
        return Domain(
            id: id, name: name, nameFrench: nameFrench, description: description, competencies: competencies, uuid: uuid,
            code: code)
    }

    static func readCompetency(_ node: YAMLNode, domain: String, reader: inout YAMLReader) -> Competency? {
        let idHint = YAMLReader.value(of: "id", in: node)?.scalar?.string
        let context = idHint.map { "competency '\($0)'" } ?? "competency"
        guard let fields = reader.mapping(node, context: context, allowed: competencyKeys) else { return nil }
        let errorsBefore = reader.diagnostics.count(where: { $0.severity == .error })
        let id = reader.string(fields, "id", context: context)
        if let id, !domain.isEmpty, id.wholeMatch(of: /([A-Z]{2,4})-([1-9][0-9]*)/)?.output.1 != Substring(domain) {
            reader.error(
                fields["id"], "\(context): id must be '\(domain)-' and a number (e.g. \(domain)-1) because it sits in domain \(domain)")
        }
        let name = reader.string(fields, "name", context: context)
        let nameFrench = reader.string(fields, "name_fr", context: context, required: false)
        let description = reader.string(fields, "description", context: context)
        let threshold = reader.number(fields, "threshold", context: context, range: 0...1)
        let uuid = readUUID(fields, context: context, reader: &reader)
        let code = reader.string(fields, "code", context: context, required: false)
        var terms: [Language: [Term]] = [:]
        if let node = fields["terms"] {
            terms = readVocabulary(node, context: "\(context) terms", reader: &reader)
            if terms.values.allSatisfy(\.isEmpty), node.mapping != nil {
                reader.error(node, "\(context): the vocabulary is empty; list terms under `en:` and/or `fr:`")
            }
        } else {
            // A framework imported from CASE has names and descriptions but no vocabulary yet: it loads, so that it
            // can be exported and edited, and `validate` lists every competency still to be given terms.
            reader.warning(
                fields.owner,
                "\(context): no vocabulary yet, so it is never tagged; add terms under `terms: {en: [...], fr: [...]}`")
        }
        let exclusions = fields["exclude"].map { readVocabulary($0, context: "\(context) exclude", reader: &reader) } ?? [:]
        let errorsAfter = reader.diagnostics.count(where: { $0.severity == .error })
        guard errorsAfter == errorsBefore, let id, let name, let description else { return nil }
        return Competency(
            id: id, domain: domain, name: name, nameFrench: nameFrench, description: description,
            threshold: threshold, terms: terms, exclusions: exclusions, uuid: uuid, code: code
        )
    }

    /// An optional `uuid:`: CASE identifiers are lower-case UUIDs (8-4-4-4-12 hexadecimal digits).
    static func readUUID(_ fields: Fields, context: String, reader: inout YAMLReader) -> String? {
        guard let text = reader.string(fields, "uuid", context: context, required: false) else { return nil }
        guard CASEIdentifier.isUUID(text) else {
            reader.error(
                fields["uuid"],
                "\(context): `uuid` must be a lower-case UUID such as 3f2b8c1e-6d4a-5e7f-9a0b-1c2d3e4f5a6b; remove it to have one derived")
            return nil
        }
        return text
    }

    static func readVocabulary(_ node: YAMLNode, context: String, reader: inout YAMLReader) -> [Language: [Term]] {
        guard let fields = reader.mapping(node, context: context, allowed: Language.vocabularyCases.map(\.rawValue)) else {
            return [:]
        }
        var vocabulary: [Language: [Term]] = [:]
        for language in Language.vocabularyCases {
            guard let list = fields[language.rawValue] else { continue }
            var terms: [Term] = []
            var seen = Set<String>()
            for item in reader.sequence(list, context: "\(context) \(language.rawValue)") ?? [] {
                guard let term = readTerm(item, context: context, reader: &reader) else { continue }
                let key = term.text.lowercased()
                if seen.contains(key) {
                    reader.warning(item, "\(context): '\(term.text)' is listed twice")
                    continue
                }
                seen.insert(key)
                terms.append(term)
            }
            vocabulary[language] = terms
        }
        return vocabulary
    }

    static func readTerm(_ node: YAMLNode, context: String, reader: inout YAMLReader) -> Term? {
        if let scalar = node.scalar {
            let text = scalar.string.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                reader.error(node, "\(context): an empty term; remove it or write the word or phrase")
                return nil
            }
            return Term(text)
        }
        guard let fields = reader.mapping(node, context: context, allowed: termKeys) else { return nil }
        guard let text = reader.string(fields, "term", context: context) else { return nil }
        let weight = reader.number(fields, "weight", context: "\(context) '\(text)'", range: 0.05...10) ?? 1
        return Term(text, weight: weight)
    }
}
