import Foundation
import SPScanModel

/// Which documents a matrix or report is built from: every criterion given must hold, and within one criterion
/// any of the values given may match (`--country CA --country IE` is Canada or Ireland).
public struct CoverageFilter: Sendable, Hashable {
    public var countries: Set<Country>
    /// Compared ignoring case: `ON`, `on`.
    public var regions: [String]
    public var targetGroups: Set<TargetGroup>
    /// Parts of institution names, compared ignoring case and accents: `bromley` finds "Bromley by Bow Centre".
    public var institutions: [String]
    public var institutionTypes: Set<InstitutionType>
    public var kinds: Set<DocumentKind>

    public init(
        countries: Set<Country> = [], regions: [String] = [], targetGroups: Set<TargetGroup> = [], institutions: [String] = [],
        institutionTypes: Set<InstitutionType> = [], kinds: Set<DocumentKind> = []
    ) {
        self.countries = countries
        self.regions = regions
        self.targetGroups = targetGroups
        self.institutions = institutions
        self.institutionTypes = institutionTypes
        self.kinds = kinds
    }

    /// Parses values as a user writes them on the command line, naming the first unknown one and the choices.
    public init(
        countries: [String], regions: [String], targetGroups: [String], institutions: [String], institutionTypes: [String],
        kinds: [String]
    ) throws {
        self.init(
            countries: Set(
                try countries.map { spelling in
                    guard let country = Country(spelling: spelling) else {
                        throw CoverageError.unknownFilterValue(option: "--country", value: spelling, allowed: Country.allowedList)
                    }
                    return country
                }),
            regions: regions,
            targetGroups: Set(try targetGroups.map { try Self.parse($0, option: "--target-group", as: TargetGroup.self) }),
            institutions: institutions,
            institutionTypes: Set(
                try institutionTypes.map { try Self.parse($0, option: "--institution-type", as: InstitutionType.self) }),
            kinds: Set(try kinds.map { try Self.parse($0, option: "--kind", as: DocumentKind.self) }))
    }

    private static func parse<Value: CaseIterable & RawRepresentable>(_ spelling: String, option: String, as: Value.Type)
        throws -> Value where Value.RawValue == String
    {
        guard let value = Value(rawValue: spelling.lowercased()) else {
            throw CoverageError.unknownFilterValue(option: option, value: spelling, allowed: Value.allowedList)
        }
        return value
    }

    public var isEmpty: Bool {
        countries.isEmpty && regions.isEmpty && targetGroups.isEmpty && institutions.isEmpty && institutionTypes.isEmpty
            && kinds.isEmpty
    }

    public func admits(_ document: TaggedDocument) -> Bool {
        if !countries.isEmpty && !countries.contains(document.country) { return false }
        if !regions.isEmpty {
            guard let region = document.region,
                regions.contains(where: { $0.caseInsensitiveCompare(region) == .orderedSame })
            else { return false }
        }
        if !targetGroups.isEmpty && targetGroups.isDisjoint(with: document.targetGroups) { return false }
        if !institutions.isEmpty
            && !institutions.contains(where: {
                document.institution.range(of: $0, options: [.caseInsensitive, .diacriticInsensitive]) != nil
            })
        {
            return false
        }
        if !institutionTypes.isEmpty && !institutionTypes.contains(document.institutionType) { return false }
        if !kinds.isEmpty && !kinds.contains(document.kind) { return false }
        return true
    }

    public func apply(_ documents: [TaggedDocument]) -> [TaggedDocument] {
        isEmpty ? documents : documents.filter(admits)
    }
}
