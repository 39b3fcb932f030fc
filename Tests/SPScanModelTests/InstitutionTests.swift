import Foundation
import SPScanTestSupport
import Testing

@testable import SPScanModel

@Suite("Institutions in Sources.yaml")
struct InstitutionTests {
    static let registry = """
        institutions:
          - id: aispn
            name: All-Ireland Social Prescribing Network
            type: network
            country: IE
            website: https://example.ie/aispn
            aliases: [All Ireland Social Prescribing Network, AISPN]
          - id: hse
            name: Health Service Executive
            type: health-system
            country: IE
        sources:
          - id: ie-one
            url: https://example.ie/one
            title: One
            country: IE
            institution: aispn
            kind: guide
            target_groups: [link-workers]
          - id: ie-two
            url: https://example.ie/two
            title: Two
            country: IE
            institution: All Ireland Social Prescribing Network
            institution_note: its research working group
            institution_type: university
            kind: report
            target_groups: [link-workers]
          - id: ie-three
            url: https://example.ie/three
            title: Three
            country: IE
            institution: Health Service Executiv Sligo
            institution_type: health-system
            kind: report
            target_groups: [link-workers]
        """

    @Test("a source names its institution by id; name, type default and note come with it")
    func byID() throws {
        let (registry, diagnostics) = RegistryLoader.parse(Self.registry, file: "Sources.yaml")
        let loaded = try #require(registry)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        #expect(loaded.institutions.map(\.id) == ["aispn", "hse"])
        #expect(loaded.institutions[0].website == URL(string: "https://example.ie/aispn"))
        let one = try #require(loaded.source(id: "ie-one"))
        #expect(one.institution == "All-Ireland Social Prescribing Network")
        #expect(one.institutionID == "aispn")
        #expect(one.institutionType == .network)
        let two = try #require(loaded.source(id: "ie-two"))
        #expect(two.institutionID == "aispn")
        #expect(two.institutionType == .university)
        #expect(two.institutionNote == "its research working group")
        #expect(loaded.institution(named: "all ireland social-prescribing network")?.id == "aispn")
    }

    @Test("a name instead of an id, and a free text that matches no entry, are flagged with the closest entry")
    func flagged() {
        let warnings = RegistryLoader.parse(Self.registry, file: "Sources.yaml").1.filter { $0.severity == .warning }
        #expect(
            warnings == [
                Diagnostic(
                    .warning, at: SourceLocation(file: "Sources.yaml", line: 24, column: 18),
                    "source 'ie-two': institution 'All Ireland Social Prescribing Network' is 'aispn' in `institutions:`; write its id"),
                Diagnostic(
                    .warning, at: SourceLocation(file: "Sources.yaml", line: 33, column: 18),
                    "source 'ie-three': institution 'Health Service Executiv Sligo' matches no entry of `institutions:`; did you mean `hse` "
                        + "(Health Service Executive)? name an entry by its id or add one"),
            ])
    }

    @Test("mistakes in the institutions section have line and column")
    func mistakes() {
        let yaml = Self.registry
            .replacingOccurrences(of: "type: health-system\n    country: IE", with: "type: hospital\n    country: IE")
            .replacingOccurrences(of: "  - id: hse", with: "  - id: aispn")
            .replacingOccurrences(of: "aliases: [All Ireland Social Prescribing Network, AISPN]", with: "aliases: [AISPN]\n    colour: red")
        let errors = RegistryLoader.parse(yaml, file: "Sources.yaml").1.filter { $0.severity == .error }.map(\.description)
        #expect(
            errors == [
                "Sources.yaml:8:5: error: institution 'aispn': unknown key `colour`; allowed keys are id, name, type, country, website, aliases",
                "Sources.yaml:9:9: error: duplicate institution id 'aispn' (first used on line 2); ids must be unique",
                "Sources.yaml:11:11: error: institution 'aispn': unknown institution type 'hospital'; use \(InstitutionType.allowedList)",
            ])
    }

    @Test("a source without institution_type takes its entry's type; without either it is an error")
    func typeRequired() {
        let yaml = Self.registry.replacingOccurrences(of: "    type: network\n", with: "")
        let errors = RegistryLoader.parse(yaml, file: "Sources.yaml").1.filter { $0.severity == .error }.map(\.message)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("source 'ie-one': missing required `institution_type`") == true)
    }

    @Test("the shipped registry names every body by id, each spelling variant merged into one entry")
    func shippedRegistry() throws {
        let registry = try RegistryLoader.load(from: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"))
        #expect(registry.sources.allSatisfy { $0.institutionID != nil })
        let byInstitution = Dictionary(grouping: registry.sources, by: { $0.institutionID ?? "" })
        #expect(byInstitution["aispn"]?.count == 3)
        #expect(byInstitution["alliance-for-healthier-communities"]?.count == 3)
        #expect(byInstitution["singhealth"]?.count == 5)
        #expect(Set(registry.sources.map(\.institution)).count == registry.institutions.count)
        for institution in registry.institutions {
            #expect(byInstitution[institution.id] != nil, "\(institution.id) is listed but no source names it")
            #expect(byInstitution[institution.id]?.allSatisfy { $0.country == institution.country } == true, "\(institution.id)")
        }
    }

    @Test("a filter names an institution by id, name or alias; only entries the documents hold are spellings")
    func filterByIDOrAlias() throws {
        let entries = [
            Institution(id: "hse", name: "Health Service Executive", aliases: ["Feidhmeannacht na Seirbhíse Sláinte"]),
            Institution(id: "nhs-england", name: "NHS England"),
        ]
        let known = FilterVocabulary(institutions: ["Health Service Executive", "HSE Mid West"], regions: []).naming(entries)
        #expect(known.institutionSpellings["nhs-england"] == nil)
        for spelling in ["hse", "HSE", "feidhmeannacht na seirbhise slainte", "health service executive"] {
            let filter = try DocumentFilter.parse([.institution: [spelling]], known: known)
            #expect(filter.institutions == ["Health Service Executive"], "\(spelling)")
        }
        // A name the catalog holds verbatim wins over an alias that folds the same way.
        #expect(try DocumentFilter.parse([.institution: ["HSE Mid West"]], known: known).institutions == ["HSE Mid West"])
        #expect(throws: FilterError.self) { try DocumentFilter.parse([.institution: ["nhs-england"]], known: known) }
    }
}
