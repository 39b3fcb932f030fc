import Foundation

/// Loads and validates Sources.yaml.
public enum RegistryLoader {
    static let topKeys = ["defaults", "institutions", "sources"]
    static let institutionKeys = ["id", "name", "type", "country", "website", "aliases"]
    static let crawlKeys = [
        "user_agent", "connect_timeout", "timeout", "low_speed_limit", "low_speed_time", "max_body_size",
        "max_decoded_size", "max_redirects", "politeness_delay", "concurrency", "per_host_concurrency", "retries",
        "max_retry_after", "allow_private", "respect_robots",
    ]
    static let sourceKeys = [
        "id", "url", "title", "country", "region", "institution", "institution_note", "institution_type", "kind",
        "target_groups",
        "populations", "language", "format", "notes", "year", "follow", "schedule", "crawl", "allow_private",
    ]
    static let notifyKeys = ["url", "secret_env", "allow_private", "retries"]
    static let followKeys = ["depth", "include", "exclude", "same_site", "types", "max_documents"]

    /// Reads and validates a registry file; throws `ConfigurationError` with every problem found.
    public static func load(from url: URL, displayPath: String? = nil) throws -> Registry {
        let path = displayPath ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "permission denied or not a file" : "no such file"
            throw ConfigurationError([
                Diagnostic(at: nil, "cannot read \(path): \(reason); create it or point --sources at it")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError([
                Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "the file is not UTF-8 text; save it as UTF-8")
            ])
        }
        let (registry, diagnostics) = parse(text, file: path)
        if let registry, !diagnostics.contains(where: { $0.severity == .error }) { return registry }
        throw ConfigurationError(diagnostics)
    }

    /// Parses registry text, returning the registry (when usable) and every diagnostic found.
    public static func parse(_ text: String, file: String) -> (Registry?, [Diagnostic]) {
        var reader = YAMLReader(file: file)
        guard let root = reader.compose(text) else {
            if reader.diagnostics.isEmpty { reader.report(at: nil, "\(file) is empty; it needs a `sources:` list") }
            return (nil, reader.sortedDiagnostics)
        }
        guard let top = reader.mapping(root, context: "Sources.yaml", allowed: topKeys) else {
            return (nil, reader.sortedDiagnostics)
        }
        var defaults = CrawlSettings()
        var notify: [Webhook] = []
        if let node = top["defaults"] {
            defaults = readCrawl(node, base: defaults, context: "defaults", reader: &reader, extraKeys: ["notify"])
            if let list = YAMLReader.value(of: "notify", in: node) { notify = readNotify(list, reader: &reader) }
        }
        let institutions = top["institutions"].map { readInstitutions($0, reader: &reader) } ?? []
        guard let sourcesNode = top["sources"] else {
            reader.error(root, "Sources.yaml: missing `sources:`; add a list of sources (see README.md, \"Adding a source\")")
            return (nil, reader.sortedDiagnostics)
        }
        var sources: [Source] = []
        var seenIDs: [String: Int] = [:]
        var seenURLs: [String: String] = [:]
        for node in reader.sequence(sourcesNode, context: "sources") ?? [] {
            // Duplicates are checked on the raw id, so that a source with other mistakes still counts, and the
            // duplicate itself is still checked so that all its mistakes are reported in one pass.
            var duplicate = false
            if let idNode = YAMLReader.value(of: "id", in: node), let id = idNode.scalar?.string {
                if let firstLine = seenIDs[id] {
                    reader.error(idNode, "duplicate source id '\(id)' (first used on line \(firstLine)); ids must be unique")
                    duplicate = true
                } else {
                    seenIDs[id] = idNode.mark.line
                }
            }
            guard let source = readSource(node, defaults: defaults, institutions: institutions, reader: &reader), !duplicate
            else { continue }
            if let other = seenURLs[source.url.absoluteString] {
                reader.warning(node, "source '\(source.id)' has the same URL as '\(other)'; one of them is probably redundant")
            }
            seenURLs[source.url.absoluteString] = source.id
            sources.append(source)
        }
        return (
            Registry(defaults: defaults, sources: sources, institutions: institutions, notify: notify), reader.sortedDiagnostics
        )
    }

    /// The `institutions:` list: each body once, with a stable id that sources name it by.
    static func readInstitutions(_ node: YAMLNode, reader: inout YAMLReader) -> [Institution] {
        var institutions: [Institution] = []
        var seenIDs: [String: Int] = [:]
        var seenNames: [String: String] = [:]
        for item in reader.sequence(node, context: "institutions") ?? [] {
            let idHint = YAMLReader.value(of: "id", in: item)?.scalar?.string
            let context = idHint.map { "institution '\($0)'" } ?? "institution"
            guard let fields = reader.mapping(item, context: context, allowed: institutionKeys) else { continue }
            let errorsBefore = reader.diagnostics.count(where: { $0.severity == .error })
            let id = reader.string(fields, "id", context: context)
            if let id, !isKebabCase(id) {
                reader.error(
                    fields["id"], "\(context): id must be kebab-case (lower-case letters, digits and single hyphens), e.g. 'nhs-england'")
            }
            if let id, let line = seenIDs[id] {
                reader.error(fields["id"], "duplicate institution id '\(id)' (first used on line \(line)); ids must be unique")
            } else if let id {
                seenIDs[id] = fields["id"]?.mark.line ?? 0
            }
            let name = reader.string(fields, "name", context: context)
            let type = fields["type"].flatMap { reader.choice($0, InstitutionType.self, context: context, what: "institution type") }
            let country = fields["country"].flatMap {
                reader.choice($0, Country.self, context: context, what: "country", parse: Country.init(spelling:))
            }
            var website: URL?
            if fields["website"] != nil { website = readURL(fields, key: "website", context: context, reader: &reader) }
            let aliases = readPatterns(fields["aliases"], context: "\(context) aliases", reader: &reader)
            for (spelling, node) in [(name, fields["name"])] + aliases.map({ ($0, fields["aliases"]) }) {
                guard let spelling, let id else { continue }
                let key = Institution.key(spelling)
                if let other = seenNames[key], other != id {
                    reader.error(node, "\(context): '\(spelling)' also names institution '\(other)'; a spelling must name one body")
                } else {
                    seenNames[key] = id
                }
            }
            let errorsAfter = reader.diagnostics.count(where: { $0.severity == .error })
            guard errorsAfter == errorsBefore, let id, let name else { continue }
            institutions.append(Institution(id: id, name: name, type: type, country: country, website: website, aliases: aliases))
        }
        return institutions
    }

    static func readSource(
        _ node: YAMLNode, defaults: CrawlSettings, institutions: [Institution] = [], reader: inout YAMLReader
    ) -> Source? {
        let idHint = YAMLReader.value(of: "id", in: node)?.scalar?.string
        let context = idHint.map { "source '\($0)'" } ?? "source"
        guard let fields = reader.mapping(node, context: context, allowed: sourceKeys) else { return nil }
        let errorsBefore = reader.diagnostics.count(where: { $0.severity == .error })

        let id = reader.string(fields, "id", context: context)
        if let id, !isKebabCase(id) {
            reader.error(
                fields["id"], "\(context): id must be kebab-case (lower-case letters, digits and single hyphens), e.g. 'ca-cisp-framework'")
        }
        let url = readURL(fields, context: context, reader: &reader)
        let title = reader.string(fields, "title", context: context)
        var institution = reader.string(fields, "institution", context: context)
        var institutionID: String?
        var entry: Institution?
        if let text = institution, !institutions.isEmpty {
            let registry = Registry(sources: [], institutions: institutions)
            if let byID = institutions.first(where: { $0.id == text }) {
                entry = byID
            } else if let byName = registry.institution(named: text) {
                entry = byName
                reader.warning(
                    fields["institution"], "\(context): institution '\(text)' is '\(byName.id)' in `institutions:`; write its id")
            } else {
                let hint = registry.closestInstitution(to: text).map { "did you mean `\($0.id)` (\($0.name))? " } ?? ""
                reader.warning(
                    fields["institution"],
                    "\(context): institution '\(text)' matches no entry of `institutions:`; \(hint)name an entry by its id or add one")
            }
            if let entry {
                institution = entry.name
                institutionID = entry.id
            }
        }
        let institutionNote = reader.string(fields, "institution_note", context: context, required: false)
        let country = requiredChoice(
            fields, "country", Country.self, context: context, reader: &reader,
            parse: Country.init(spelling:), allowed: "CA, GB (or UK), IE or SG")
        let institutionType: InstitutionType?
        if fields["institution_type"] == nil, let type = entry?.type {
            institutionType = type
        } else {
            institutionType = requiredChoice(fields, "institution_type", InstitutionType.self, context: context, reader: &reader)
        }
        let kind = requiredChoice(fields, "kind", DocumentKind.self, context: context, reader: &reader)
        var targetGroups: [TargetGroup] = []
        if let node = fields["target_groups"] {
            targetGroups = readList(node, TargetGroup.self, context: context, what: "target group", reader: &reader)
            // A list whose every value was unknown has had its error already; "empty" would be a second one.
            if targetGroups.isEmpty, let items = node.sequence, items.isEmpty {
                reader.error(node, "\(context): `target_groups` is empty; name at least one of \(TargetGroup.allowedList)")
            }
        } else {
            reader.error(fields.owner, "\(context): missing required `target_groups`; name at least one of \(TargetGroup.allowedList)")
        }
        let populations =
            fields["populations"].map {
                readList($0, Population.self, context: context, what: "population", reader: &reader)
            } ?? []
        let language =
            fields["language"].flatMap {
                reader.choice($0, Language.self, context: context, what: "language")
            } ?? .english
        let format = fields["format"].flatMap { reader.choice($0, DocumentFormat.self, context: context, what: "format") }
        let region = reader.string(fields, "region", context: context, required: false)
        let notes = reader.string(fields, "notes", context: context, required: false)
        let year = reader.integer(fields, "year", context: context, range: 1980...2100)
        var schedule: Schedule?
        if let node = fields["schedule"] {
            schedule = node.scalar.flatMap { Schedule(spelling: $0.string) }
            if schedule == nil {
                reader.error(node, "\(context): unknown schedule; use daily, weekly, monthly or a duration such as 12h or 3d")
            }
        }
        var settings = defaults
        if let node = fields["crawl"] {
            settings = readCrawl(node, base: defaults, context: "\(context) crawl", reader: &reader)
        }
        if let allow = reader.bool(fields, "allow_private", context: context) { settings.allowPrivate = allow }
        let follow = fields["follow"].flatMap { readFollow($0, context: context, reader: &reader) }

        let errorsAfter = reader.diagnostics.count(where: { $0.severity == .error })
        guard errorsAfter == errorsBefore, let id, let url, let title, let institution, let country,
            let institutionType, let kind
        else { return nil }
        return Source(
            id: id, url: url, title: title, country: country, region: region, institution: institution,
            institutionType: institutionType, kind: kind, targetGroups: targetGroups, populations: populations,
            language: language, format: format, notes: notes, year: year, follow: follow, schedule: schedule, settings: settings,
            institutionID: institutionID, institutionNote: institutionNote
        )
    }

    /// Lower-case letters and digits in runs joined by single hyphens (`[a-z0-9]+(-[a-z0-9]+)*`), checked by hand:
    /// a regex literal here is compiled again on every call, which cost a fifth of loading 10,000 sources.
    static func isKebabCase(_ id: String) -> Bool {
        var previousWasHyphen = true  // no hyphen first
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasHyphen = false
            case UInt8(ascii: "-") where !previousWasHyphen:
                previousWasHyphen = true
            default:
                return false
            }
        }
        return !previousWasHyphen
    }

    static func readURL(
        _ fields: Fields, key: String = "url", context: String, reader: inout YAMLReader, purpose: String = "fetched"
    ) -> URL? {
        guard let text = reader.string(fields, key, context: context) else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            reader.error(fields[key], "\(context): '\(text)' is not a valid URL; write it in full, e.g. https://example.org/page")
            return nil
        }
        guard scheme == "http" || scheme == "https" else {
            reader.error(fields[key], "\(context): URL scheme '\(scheme)' is not \(purpose); use an http or https URL")
            return nil
        }
        guard let host = components.host, !host.isEmpty, let url = components.url else {
            reader.error(fields[key], "\(context): '\(text)' has no host; write it in full, e.g. https://example.org/page")
            return nil
        }
        return url
    }

    static func requiredChoice<T: CaseIterable & RawRepresentable>(
        _ fields: Fields, _ key: String, _ type: T.Type, context: String, reader: inout YAMLReader,
        parse: (String) -> T? = { T(rawValue: $0) }, allowed: String? = nil
    ) -> T? where T.RawValue == String {
        let what = String(key.map { $0 == "_" ? " " : $0 })
        guard let node = fields[key] else {
            reader.error(fields.owner, "\(context): missing required `\(key)`; use \(allowed ?? T.allowedList)")
            return nil
        }
        return reader.choice(node, type, context: context, what: what, parse: parse)
    }

    static func readList<T: CaseIterable & RawRepresentable>(
        _ node: YAMLNode, _ type: T.Type, context: String, what: String, reader: inout YAMLReader
    ) -> [T] where T.RawValue == String {
        var values: [T] = []
        for item in reader.sequence(node, context: "\(context): \(what)s") ?? [] {
            guard let value = reader.choice(item, type, context: context, what: what) else { continue }
            if values.contains(where: { $0.rawValue == value.rawValue }) {
                reader.warning(item, "\(context): \(what) '\(value.rawValue)' is listed twice")
            } else {
                values.append(value)
            }
        }
        return values
    }

    static func readCrawl(
        _ node: YAMLNode, base: CrawlSettings, context: String, reader: inout YAMLReader, extraKeys: [String] = []
    ) -> CrawlSettings {
        guard let fields = reader.mapping(node, context: context, allowed: crawlKeys + extraKeys) else { return base }
        var settings = base
        if let value = reader.string(fields, "user_agent", context: context, required: false) { settings.userAgent = value }
        if let value = reader.duration(fields, "connect_timeout", context: context) { settings.connectTimeout = value }
        if let value = reader.duration(fields, "timeout", context: context) { settings.timeout = value }
        if let value = reader.integer(fields, "low_speed_limit", context: context, range: 0...Int.max) { settings.lowSpeedLimit = value }
        if let value = reader.duration(fields, "low_speed_time", context: context) { settings.lowSpeedTime = value }
        if let value = reader.byteSize(fields, "max_body_size", context: context) { settings.maxBodyBytes = value }
        if let value = reader.byteSize(fields, "max_decoded_size", context: context) { settings.maxDecodedBytes = value }
        if let value = reader.integer(fields, "max_redirects", context: context, range: 0...50) { settings.maxRedirects = value }
        if let value = reader.duration(fields, "politeness_delay", context: context) { settings.politenessDelay = value }
        if let value = reader.integer(fields, "concurrency", context: context, range: 1...256) { settings.concurrency = value }
        if let value = reader.integer(fields, "per_host_concurrency", context: context, range: 1...64) {
            settings.perHostConcurrency = value
        }
        if let value = reader.integer(fields, "retries", context: context, range: 0...10) { settings.retries = value }
        if let value = reader.duration(fields, "max_retry_after", context: context) { settings.maxRetryAfter = value }
        if let value = reader.bool(fields, "allow_private", context: context) { settings.allowPrivate = value }
        if let value = reader.bool(fields, "respect_robots", context: context) { settings.respectRobots = value }
        return settings
    }

    /// `defaults: notify:`: each item a URL, or a mapping with `url` and optionally `secret_env`,
    /// `allow_private` and `retries`.
    static func readNotify(_ node: YAMLNode, reader: inout YAMLReader) -> [Webhook] {
        var hooks: [Webhook] = []
        var seen: [String: Int] = [:]
        for (index, item) in (reader.sequence(node, context: "defaults notify") ?? []).enumerated() {
            let context = "defaults notify item \(index + 1)"
            let fields: Fields
            if let scalar = item.scalar {
                var single = Fields(owner: item)
                single.entries.append(Fields.Entry(key: "url", keyNode: item, value: .scalar(scalar)))
                fields = single
            } else if let mapping = reader.mapping(item, context: context, allowed: notifyKeys) {
                fields = mapping
            } else {
                continue
            }
            let errorsBefore = reader.diagnostics.count(where: { $0.severity == .error })
            let url = readURL(fields, context: context, reader: &reader, purpose: "notified")
            let secretEnv = reader.string(fields, "secret_env", context: context, required: false)
            if let secretEnv, !isEnvironmentName(secretEnv) {
                reader.error(
                    fields["secret_env"],
                    "\(context): `secret_env` names an environment variable (letters, digits and _, not starting with a digit), "
                        + "e.g. SPSCAN_WEBHOOK_SECRET; put the secret itself in that variable, not in Sources.yaml")
            }
            let allowPrivate = reader.bool(fields, "allow_private", context: context) ?? false
            let retries = reader.integer(fields, "retries", context: context, range: 0...5) ?? 3
            if let url, let line = seen[url.absoluteString] {
                reader.warning(fields["url"], "\(context): \(url.absoluteString) is listed twice (first on line \(line)); it is told once")
                continue
            }
            guard reader.diagnostics.count(where: { $0.severity == .error }) == errorsBefore, let url else { continue }
            seen[url.absoluteString] = fields["url"]?.mark.line ?? 0
            hooks.append(Webhook(url: url, secretEnv: secretEnv, allowPrivate: allowPrivate, retries: retries))
        }
        return hooks
    }

    static func isEnvironmentName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }

    static func readFollow(_ node: YAMLNode, context: String, reader: inout YAMLReader) -> FollowRules? {
        let context = "\(context) follow"
        guard let fields = reader.mapping(node, context: context, allowed: followKeys) else { return nil }
        var rules = FollowRules()
        if let value = reader.integer(fields, "depth", context: context, range: 1...3) { rules.depth = value }
        if let value = reader.bool(fields, "same_site", context: context) { rules.sameSite = value }
        if let value = reader.integer(fields, "max_documents", context: context, range: 1...500) { rules.maxDocuments = value }
        rules.include = readPatterns(fields["include"], context: "\(context) include", reader: &reader)
        rules.exclude = readPatterns(fields["exclude"], context: "\(context) exclude", reader: &reader)
        if let node = fields["types"] {
            let types = readList(node, DocumentFormat.self, context: context, what: "type", reader: &reader)
            if !types.isEmpty { rules.types = types }
        }
        return rules
    }

    static func readPatterns(_ node: YAMLNode?, context: String, reader: inout YAMLReader) -> [String] {
        guard let node else { return [] }
        return (reader.sequence(node, context: context) ?? []).compactMap { item in
            guard let text = item.scalar?.string, !text.isEmpty else {
                reader.error(item, "\(context): each pattern must be text such as '*.pdf' or '*/resources/*'")
                return nil
            }
            return text
        }
    }
}
