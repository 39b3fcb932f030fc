import Foundation
import SPScanCoverage
import SPScanModel

/// The coverage part of a scan's summary: how much of the framework each country, institution type and
/// target group covers, and the largest gaps. Built from the catalog after indexing, with reviews applied.
public struct CoverageSummary: Sendable, Hashable, Encodable {
    public struct Line: Sendable, Hashable, Encodable {
        public var key: String
        public var label: String
        public var documents: Int
        /// Competencies covered by at least one document of the row.
        public var covered: Int
    }

    public var documents: Int
    /// Documents whose current snapshot is an authored sample, not a capture.
    public var samples: Int
    public var competencies: Int
    public var byCountry: [Line]
    public var byInstitutionType: [Line]
    public var byTargetGroup: [Line]
    public var largestGaps: [String]
    /// Documents in a language the framework has no terms in: not tagged.
    public var otherLanguage: OtherLanguageCount
    /// Documents judged out of scope: kept in the catalog, left out of these figures.
    public var outOfScope: Int

    enum CodingKeys: String, CodingKey {
        case documents, samples, competencies
        case otherLanguage = "other_language"
        case outOfScope = "out_of_scope"
        case byCountry = "by_country"
        case byInstitutionType = "by_institution_type"
        case byTargetGroup = "by_target_group"
        case largestGaps = "largest_gaps"
    }

    public init(documents given: [TaggedDocument], framework: Framework, gapCount: Int = 8) {
        let documents = given.inScope
        outOfScope = given.count - documents.count
        self.documents = documents.count
        samples = given.count { $0.origin == .sample }
        competencies = framework.competencies.count
        otherLanguage = OtherLanguageCount(documents: documents, framework: framework)
        func lines(_ rows: RowDimension) -> [Line] {
            let matrix = CoverageMatrix.build(documents: documents, framework: framework, rows: rows, columns: .competency)
            return matrix.rows.enumerated().map { index, row in
                Line(
                    key: row.key, label: row.label, documents: row.documents,
                    covered: matrix.cells[index].count { $0.count > 0 })
            }
        }
        byCountry = lines(.country)
        byInstitutionType = lines(.institutionType)
        byTargetGroup = lines(.targetGroup)
        largestGaps = Gaps.find(documents: documents, framework: framework, rows: .targetGroup).largest(gapCount).map(\.summary)
    }

    /// The lines a person reads under the scan summary.
    public var text: String {
        var lines: [String] = []
        if samples > 0 {
            lines.append(
                "Note: \(samples) of \(documents + outOfScope) documents are authored samples written by the spscan team, not captures; "
                    + "a live scan replaces each with the published document.")
        }
        if otherLanguage.total > 0 { lines.append(otherLanguage.sentence) }
        if outOfScope > 0 { lines.append(ScopeCount.leftOutSentence(outOfScope)) }
        func table(_ title: String, _ rows: [Line]) {
            lines.append("")
            lines.append("Coverage by \(title) (documents; competencies covered of \(competencies)):")
            let width = min(44, rows.map(\.label.count).max() ?? 0)
            for row in rows {
                let label = row.label.count > width ? String(row.label.prefix(width - 1)) + "…" : row.label
                lines.append(
                    "  " + label.padding(toLength: width, withPad: " ", startingAt: 0)
                        + String(format: "  %4d docs  %2d/%d", row.documents, row.covered, competencies))
            }
        }
        table("country", byCountry)
        table("institution type", byInstitutionType)
        table("target group", byTargetGroup)
        if !largestGaps.isEmpty {
            lines.append("")
            lines.append("Largest gaps:")
            lines += largestGaps.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
