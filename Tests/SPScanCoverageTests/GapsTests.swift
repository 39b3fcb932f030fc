import SPScanCoverage
import SPScanModel
import Testing

@Suite("Gaps")
struct GapsTests {
    let documents = Fixtures.documents
    let framework = Fixtures.framework

    @Test("by institution: uncovered columns, then empty rows, one-institution competencies, then empty cells")
    func ranked() {
        let matrix = CoverageMatrix.build(documents: documents, framework: framework, rows: .institution, columns: .competency)
        let report = Gaps.find(matrix: matrix, documents: documents, framework: framework)
        typealias Gap = GapReport.Gap
        let expected: [Gap] = [
            Gap(
                kind: .uncoveredColumn, column: "CO-2", columnName: "Referral", documents: 5,
                summary: "No training covers CO-2 Referral (of 5 documents)"),
            Gap(
                kind: .uncoveredColumn, column: "CO-3", columnName: "Follow-up", documents: 5,
                summary: "No training covers CO-3 Follow-up (of 5 documents)"),
            Gap(
                kind: .uncoveredRow, row: "Gamma Network", rowLabel: "Gamma Network", documents: 1,
                summary: "Training from Gamma Network covers no competency of the framework (its one document)"),
            Gap(
                kind: .singleInstitution, column: "AS-2", columnName: "Needs", institution: "Alpha University", documents: 1,
                summary: "Only Alpha University covers AS-2 Needs (1 document)"),
            Gap(
                kind: .emptyCell, row: "Beta Charity", rowLabel: "Beta Charity", column: "AS-1", columnName: "What matters",
                documents: 1, summary: "No training from Beta Charity covers AS-1 What matters (its one document)"),
            Gap(
                kind: .emptyCell, row: "Beta Charity", rowLabel: "Beta Charity", column: "AS-2", columnName: "Needs",
                documents: 1, summary: "No training from Beta Charity covers AS-2 Needs (its one document)"),
            Gap(
                kind: .emptyCell, row: "Delta Health", rowLabel: "Delta Health", column: "AS-2", columnName: "Needs",
                documents: 1, summary: "No training from Delta Health covers AS-2 Needs (its one document)"),
            Gap(
                kind: .emptyCell, row: "Delta Health", rowLabel: "Delta Health", column: "CO-1", columnName: "Local assets",
                documents: 1, summary: "No training from Delta Health covers CO-1 Local assets (its one document)"),
        ]
        #expect(report.gaps == expected)
        #expect(report.largest(2).map(\.column) == ["CO-2", "CO-3"])
        #expect(report.gaps(of: .emptyCell).count == 4)
        #expect(Gaps.find(documents: documents, framework: framework, rows: .institution) == report)
    }

    @Test("by country: a country in scope with no documents is a gap; larger rows rank first among empty cells")
    func countries() {
        let matrix = CoverageMatrix.build(documents: documents, framework: framework, rows: .country, columns: .domain)
        let report = Gaps.find(matrix: matrix, documents: documents, framework: framework)
        #expect(report.gaps(of: .noDocuments).map(\.summary) == ["The scan has no documents in Singapore"])
        #expect(report.gaps(of: .uncoveredRow).map(\.rowLabel) == ["Ireland"])
        // United Kingdom (2 documents) covers both domains; Canada (2) covers both; nothing else is partly covered.
        #expect(report.gaps(of: .emptyCell).isEmpty)
        #expect(report.gaps(of: .uncoveredColumn).isEmpty)
    }

    @Test("empty cells rank by the documents of their row, largest first")
    func cellOrder() {
        let many = (1...3).map {
            Fixtures.document("big-\($0)", institution: "Big College", tags: [Fixtures.tag("AS-1", 0.5)])
        }
        let few = [Fixtures.document("small", institution: "Small Trust", tags: [Fixtures.tag("AS-2", 0.5)])]
        let all = many + few
        let matrix = CoverageMatrix.build(documents: all, framework: framework, rows: .institution, columns: .domain)
        let report = Gaps.find(matrix: matrix, documents: all, framework: framework)
        #expect(report.gaps(of: .uncoveredColumn).map(\.column) == ["CO"])
        #expect(report.gaps(of: .emptyCell).isEmpty)
        let byCompetency = CoverageMatrix.build(documents: all, framework: framework, rows: .institution, columns: .competency)
        let cells = Gaps.find(matrix: byCompetency, documents: all, framework: framework).gaps(of: .emptyCell)
        #expect(
            cells.map(\.summary) == [
                "No training from Big College covers AS-2 Needs (none of its 3 documents)",
                "No training from Small Trust covers AS-1 What matters (its one document)",
            ])
    }

    @Test("a gap of a target group reads as a sentence; its near misses cover a neighbour in the same domain")
    func plainWordsAndNearMisses() throws {
        let all = [
            Fixtures.document("near", institution: "Near Trust", tags: [Fixtures.tag("AS-1", 0.8)]),
            Fixtures.document("far", institution: "Far Trust", tags: [Fixtures.tag("AS-2", 0.6), Fixtures.tag("CO-1", 0.4)]),
        ]
        let report = Gaps.find(documents: all, framework: framework, rows: .institution)
        let gap = try #require(report.gaps(of: .emptyCell).first { $0.row == "Near Trust" && $0.column == "AS-2" })
        #expect(gap.kind.label == "Missing for this group")
        let near = Gaps.nearMisses(for: gap, rows: .institution, documents: all, framework: framework)
        #expect(near.map(\.documentID) == ["near"])
        #expect(near.first?.competency == "AS-1")
        let other = try #require(report.gaps(of: .emptyCell).first { $0.row == "Near Trust" && $0.column == "CO-1" })
        #expect(Gaps.nearMisses(for: other, rows: .institution, documents: all, framework: framework).isEmpty)
        #expect(Gaps.phrase(.targetGroup, "Volunteers and peer supporters") == "for volunteers and peer supporters")
    }

    @Test("a framework every row covers has no gaps")
    func none() {
        let tags = Fixtures.framework.competencies.map { Fixtures.tag($0.id, 0.5) }
        let all = [
            Fixtures.document("one", institution: "One", tags: tags), Fixtures.document("two", institution: "Two", tags: tags),
        ]
        let matrix = CoverageMatrix.build(documents: all, framework: framework, rows: .institution, columns: .competency)
        #expect(Gaps.find(matrix: matrix, documents: all, framework: framework).isEmpty)
    }
}
