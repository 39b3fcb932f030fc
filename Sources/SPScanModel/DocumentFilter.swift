import Foundation

/// The facets a user filters documents by, each spelt as the command line's option and the API's parameter
/// (`--target-group`, `target-group=`). A new facet is one case here, one set in `DocumentFilter`, and its
/// column in the catalog.
public enum Facet: String, CaseIterable, Sendable, Hashable {
    case country
    case region
    case targetGroup = "target-group"
    case institution
    case institutionType = "institution-type"
    case kind

    /// `--target-group`: how the error messages name the option.
    public var option: String { "--" + rawValue }
}

/// Which documents a query, a search, a matrix or a report covers: the one filter of the command line and the
/// web. Every facet given must hold; within a facet, any of its values may match (`--country CA --country IE`
/// is Canada or Ireland). An empty facet does not filter.
///
/// Free-text facets (institution, region) match by name or id with case, accents and punctuation ignored:
/// `--institution "Bromley by Bow Centre"`, `--institution bromley-by-bow-centre` and `bromley by bow centre`
/// are the same institution. `DocumentFilter.parse` resolves them to the catalog's own spelling, so that the
/// catalog can match them exactly.
public struct DocumentFilter: Hashable, Sendable {
    public var countries: Set<Country>
    public var regions: Set<String>
    public var targetGroups: Set<TargetGroup>
    public var institutions: Set<String>
    public var institutionTypes: Set<InstitutionType>
    public var kinds: Set<DocumentKind>

    public init(
        countries: Set<Country> = [], regions: Set<String> = [], targetGroups: Set<TargetGroup> = [],
        institutions: Set<String> = [], institutionTypes: Set<InstitutionType> = [], kinds: Set<DocumentKind> = []
    ) {
        self.countries = countries
        self.regions = regions
        self.targetGroups = targetGroups
        self.institutions = institutions
        self.institutionTypes = institutionTypes
        self.kinds = kinds
    }

    /// Every document.
    public static let all = DocumentFilter()

    public var isEmpty: Bool { self == .all }

    public func admits(_ document: TaggedDocument) -> Bool {
        if !countries.isEmpty && !countries.contains(document.country) { return false }
        if !regions.isEmpty {
            guard let region = document.region, Self.contains(regions, region) else { return false }
        }
        if !targetGroups.isEmpty && targetGroups.isDisjoint(with: document.targetGroups) { return false }
        if !institutions.isEmpty && !Self.contains(institutions, document.institution) { return false }
        if !institutionTypes.isEmpty && !institutionTypes.contains(document.institutionType) { return false }
        if !kinds.isEmpty && !kinds.contains(document.kind) { return false }
        return true
    }

    public func apply(_ documents: [TaggedDocument]) -> [TaggedDocument] {
        isEmpty ? documents : documents.filter(admits)
    }

    private static func contains(_ values: Set<String>, _ value: String) -> Bool {
        values.contains(value) || values.contains { FilterValue.fold($0) == FilterValue.fold(value) }
    }

    /// The values of each facet, sorted, as the options and parameters spell them: for links and cache keys.
    public var values: [(facet: Facet, values: [String])] {
        [
            (.country, countries.map(\.rawValue).sorted()), (.region, regions.sorted()),
            (.targetGroup, targetGroups.map(\.rawValue).sorted()), (.institution, institutions.sorted()),
            (.institutionType, institutionTypes.map(\.rawValue).sorted()), (.kind, kinds.map(\.rawValue).sorted()),
        ]
    }

    /// A stable text for the filter: the same filter written in another order gives the same key.
    public var key: String {
        values.map { "\($0.facet.rawValue)=\($0.values.joined(separator: ","))" }.joined(separator: "&")
    }

    /// Parses the values a user gave per facet (`--country CA --country IE`, `?country=CA&country=IE`).
    ///
    /// Closed facets take their spellings from Sources.yaml (any case; `UK` for `GB`); institutions and regions
    /// must be ones the catalog holds (`known`), so that a misspelling is an error naming the closest values,
    /// never an empty answer that looks like a gap.
    public static func parse(_ given: [Facet: [String]], known: FilterVocabulary) throws(FilterError) -> DocumentFilter {
        var filter = DocumentFilter()
        for facet in Facet.allCases {
            for text in given[facet] ?? [] {
                let value = text.trimmingCharacters(in: .whitespaces)
                guard !value.isEmpty else { continue }
                switch facet {
                case .country:
                    guard let country = Country(spelling: value) else {
                        throw .unknownValue(
                            facet: facet, value: value, suggestions: Country.allCases.map(\.rawValue), total: Country.allCases.count)
                    }
                    filter.countries.insert(country)
                case .targetGroup: filter.targetGroups.insert(try choice(value, facet))
                case .institutionType: filter.institutionTypes.insert(try choice(value, facet))
                case .kind: filter.kinds.insert(try choice(value, facet))
                case .region: filter.regions.insert(try FilterValue.resolve(value, facet: facet, among: known.regions))
                case .institution:
                    if let name = known.institutionSpellings[FilterValue.fold(value)], !known.institutions.contains(value) {
                        filter.institutions.insert(name)
                    } else {
                        filter.institutions.insert(try FilterValue.resolve(value, facet: facet, among: known.institutions))
                    }
                }
            }
        }
        return filter
    }

    private static func choice<Value: CaseIterable & RawRepresentable>(_ text: String, _ facet: Facet) throws(FilterError) -> Value
    where Value.RawValue == String {
        if let value = Value(rawValue: text.lowercased())
            ?? Value.allCases.first(where: { FilterValue.fold($0.rawValue) == FilterValue.fold(text) })
        {
            return value
        }
        let spellings = Value.allCases.map(\.rawValue)
        throw .unknownValue(
            facet: facet, value: text, suggestions: FilterValue.suggestions(for: text, among: spellings), total: spellings.count)
    }
}

/// The free-text values a filter may name: the institutions and regions the catalog (or a document list) holds.
public struct FilterVocabulary: Sendable, Hashable {
    public var institutions: [String]
    public var regions: [String]
    /// Other spellings of the institutions, folded by `FilterValue.fold`, each to the name the catalog holds:
    /// the ids and aliases of Sources.yaml's `institutions:` entries, so that `--institution hse` finds "Health
    /// Service Executive" and counts one body once.
    public var institutionSpellings: [String: String] = [:]

    public init(institutions: [String], regions: [String], institutionSpellings: [String: String] = [:]) {
        self.institutions = institutions
        self.regions = regions
        self.institutionSpellings = institutionSpellings
    }

    /// The same values, with the ids and aliases of the registry's `institutions:` entries that the
    /// vocabulary holds by name.
    public func naming(_ entries: [Institution]) -> FilterVocabulary {
        var named = self
        named.institutionSpellings.merge(Self.spellings(of: entries, present: institutions)) { current, _ in current }
        return named
    }

    /// Folded id and aliases of each entry whose name is among `present`, to that name.
    public static func spellings(of entries: [Institution], present: [String]) -> [String: String] {
        let names = Set(present)
        var spellings: [String: String] = [:]
        for entry in entries where names.contains(entry.name) {
            for spelling in [entry.id] + entry.aliases {
                let folded = FilterValue.fold(spelling)
                if !folded.isEmpty, spellings[folded] == nil { spellings[folded] = entry.name }
            }
        }
        return spellings
    }

    /// The values present in `documents`.
    public init(documents: [TaggedDocument]) {
        institutions = Set(documents.map(\.institution)).sorted()
        regions = Set(documents.compactMap(\.region)).sorted()
    }
}

/// A filter value the user wrote that names nothing: the message gives the option, the value and the allowed
/// values (all of them when there are a few, the closest ones when there are many).
public enum FilterError: Error, LocalizedError, Equatable, Sendable {
    /// `suggestions` are every allowed value when they are `total`, the closest ones otherwise.
    case unknownValue(facet: Facet, value: String, suggestions: [String], total: Int)

    /// The message, naming the option as the command line spells it (`--country`).
    public var errorDescription: String? { message(naming: facetOption) }

    /// The message naming the option or parameter as the caller spells it (`country` for a web parameter).
    public func message(naming name: String) -> String {
        switch self {
        case .unknownValue(let facet, let value, let suggestions, let total):
            let quote = facet == .institution || facet == .region
            let shown = suggestions.map { quote ? "'\($0)'" : $0 }
            if total == 0 { return "\(name): unknown value '\(value)'; the catalog has no \(facet.rawValue) yet" }
            if suggestions.count == total {
                return "\(name): unknown value '\(value)'; use \(Self.list(shown))" + (facet == .country ? " (UK for GB)" : "")
            }
            return "\(name): unknown value '\(value)'; the closest of \(total) are \(shown.joined(separator: ", "))"
        }
    }

    /// The parameter's name in a web address (`target-group`).
    public var parameterName: String {
        switch self {
        case .unknownValue(let facet, _, _, _): facet.rawValue
        }
    }

    /// The option's command-line spelling.
    public var facetOption: String {
        switch self {
        case .unknownValue(let facet, _, _, _): facet.option
        }
    }

    static func list(_ values: [String]) -> String {
        guard values.count > 1, let last = values.last else { return values.joined() }
        return values.dropLast().joined(separator: ", ") + " or " + last
    }
}

/// How a user's spelling of a free-text value is compared with the catalog's.
public enum FilterValue {
    /// Case, accents and punctuation ignored: `Université Laval`, `universite-laval` and `UNIVERSITE LAVAL` fold
    /// to the same text, which is also an institution's id.
    public static func fold(_ text: String) -> String {
        let plain = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var out = ""
        var pendingDash = false
        for scalar in plain.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash && !out.isEmpty { out += "-" }
                out.unicodeScalars.append(scalar)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// The catalog's spelling of `text`, or an error naming the closest ones.
    public static func resolve(_ text: String, facet: Facet, among values: [String]) throws(FilterError) -> String {
        let folded = fold(text)
        if let exact = values.first(where: { $0 == text }) ?? values.first(where: { fold($0) == folded }) { return exact }
        throw .unknownValue(facet: facet, value: text, suggestions: suggestions(for: text, among: values), total: values.count)
    }

    /// What to suggest instead of `text`: every value when there are at most ten, else the five closest.
    public static func suggestions(for text: String, among values: [String]) -> [String] {
        values.count <= 10 ? values : closest(to: text, among: values)
    }

    /// Up to `limit` values nearest to `text`: those that contain it (or that it contains) first, then by edit
    /// distance, so that `HSE` suggests `HSE Mid West` and `Quebec` suggests `QC`.
    public static func closest(to text: String, among values: [String], limit: Int = 5) -> [String] {
        let folded = fold(text)
        let scored = values.map { value -> (value: String, score: Int) in
            let candidate = fold(value)
            let contains = !folded.isEmpty && (candidate.contains(folded) || folded.contains(candidate))
            return (value, contains ? 0 : 1 + distance(folded, candidate))
        }
        return scored.sorted { $0.score != $1.score ? $0.score < $1.score : $0.value < $1.value }.prefix(limit).map(\.value)
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let left = Array(a)
        let right = Array(b)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var previous = Array(0...right.count)
        for (i, x) in left.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: right.count)
            for (j, y) in right.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[right.count]
    }
}

extension DocumentFilter: Codable {
    /// JSON: every facet as a sorted list of values (`{"countries": ["CA"], "regions": [], ...}`).
    enum CodingKeys: String, CodingKey {
        case countries, regions, targetGroups, institutions, institutionTypes, kinds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func list<T: Decodable>(_ key: CodingKeys) throws -> [T] { try container.decodeIfPresent([T].self, forKey: key) ?? [] }
        self.init(
            countries: Set(try list(.countries)), regions: Set(try list(.regions)), targetGroups: Set(try list(.targetGroups)),
            institutions: Set(try list(.institutions)), institutionTypes: Set(try list(.institutionTypes)),
            kinds: Set(try list(.kinds)))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(countries.sorted(), forKey: .countries)
        try container.encode(regions.sorted(), forKey: .regions)
        try container.encode(targetGroups.map(\.rawValue).sorted(), forKey: .targetGroups)
        try container.encode(institutions.sorted(), forKey: .institutions)
        try container.encode(institutionTypes.map(\.rawValue).sorted(), forKey: .institutionTypes)
        try container.encode(kinds.map(\.rawValue).sorted(), forKey: .kinds)
    }
}
