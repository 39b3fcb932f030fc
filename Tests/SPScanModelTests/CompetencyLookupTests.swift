import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

/// Finding a competency from what a person types, against the shipped Framework.yaml.
@Suite struct CompetencyLookupTests {
    let framework: Framework

    init() throws {
        framework = try FrameworkLoader.load(from: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"))
    }

    func id(_ text: String) -> String? {
        if case .found(let competency, _) = CompetencyLookup.find(text, in: framework) { return competency.id }
        return nil
    }

    @Test func idsMatchInAnyCaseWithOrWithoutTheHyphen() {
        for spelling in ["CE-7", "ce7", "Ce 7", "ce-7"] {
            #expect(CompetencyLookup.find(spelling, in: framework) == .found(framework.competency(id: "CE-7")!, exact: true))
        }
        #expect(id("is10") == "IS-10")
    }

    @Test func aNameOrAWordOfItFindsTheCompetency() {
        #expect(id("volunteers") == "CE-7")
        #expect(id("motivational") == "IS-4")
        #expect(id("Motivation and behaviour change") == "IS-4")
        #expect(id("SAFEGUARDING") == "IS-7")
        if case .found(_, let exact) = CompetencyLookup.find("volunteers", in: framework) { #expect(!exact) }
    }

    @Test func aWordSeveralNamesShareProposesThemAll() throws {
        guard case .ambiguous(let candidates) = CompetencyLookup.find("community", in: framework) else {
            Issue.record("'community' should be ambiguous")
            return
        }
        #expect(Set(candidates.map(\.id)).isSuperset(of: ["CE-1", "CE-2", "CE-4"]))
        #expect(throws: CompetencyLookupError.self) { try CompetencyLookup.resolve("community", in: framework) }
        do {
            _ = try CompetencyLookup.resolve("community", in: framework)
        } catch {
            #expect(error.localizedDescription.hasPrefix("'community' matches 3 competencies; did you mean "))
            #expect(error.localizedDescription.contains("CE-1 Community asset mapping"))
        }
    }

    @Test func somethingNoNameHoldsProposesTheClosestSpellings() {
        do {
            _ = try CompetencyLookup.resolve("CE-77", in: framework)
            Issue.record("CE-77 does not exist")
        } catch {
            #expect(error.localizedDescription.hasPrefix("unknown competency 'CE-77'; did you mean CE-7 Volunteers and peer support"))
        }
    }

    @Test func theSearchBoxFindsCompetenciesByNameFirst() {
        #expect(CompetencyLookup.matches("volunteers", in: framework).first?.id == "CE-7")
        #expect(CompetencyLookup.matches("zzzz", in: framework).isEmpty)
    }
}
