import Foundation
import SPScanModel

/// Judges whether a document belongs to the framework's field (`scope:` in Framework.yaml), from what the
/// tagger found anyway: the field's own terms in the body of the text, and the competencies with evidence.
///
/// The field's terms count only outside headings and titles: a page whose title says "community" or whose menu
/// says "navigation" is not about community navigation. Each term counts its weight, and less as it repeats
/// (the same saturation as competency terms), so that one phrase said ten times is not ten phrases. A document
/// is in scope when that weight reaches the framework's `threshold`, or when it has evidence of at least
/// `competencies` distinct competencies and the field's terms weigh at least `withTerms`: a training outline
/// that names the field once but teaches several of its competencies belongs to it, while tags alone do not
/// make a page about cloud computing part of the field (measured: on the WCXB articles, two or more tags with no
/// word of the field were common, the field's words rare). Everything else is out of scope, with the figures.
enum ScopeJudge {
    static func judge(
        _ passages: [PassageScanner.ScopeMentions], tags: [Tag], scope: ScopeVocabulary?, weights: ScoringWeights
    ) -> ScopeJudgement {
        guard let scope else { return .unjudged }
        var counts: [String: (count: Int, weight: Double)] = [:]
        for passage in passages {
            for mention in passage.mentions {
                let previous = counts[mention.term]
                counts[mention.term] = ((previous?.count ?? 0) + 1, max(previous?.weight ?? 0, mention.weight))
            }
        }
        let k = weights.saturation
        var score = 0.0
        for (_, value) in counts {
            let n = Double(value.count)
            score += value.weight * n * (k + 1) / (n + k)
        }
        score = score.rounded(toPlaces: 2)
        let competencies = tags.map(\.competency)
        let byTerms = score >= scope.threshold
        let byCompetencies = competencies.count >= scope.competencies && score >= scope.withTerms
        let found =
            counts.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            .prefix(6).map { "\($0.key) ×\($0.value.count)" }
        let termPart =
            found.isEmpty
            ? "no term of the field in the body of the text (\(format(scope.threshold)) needed)"
            : "the field's terms in the body weigh \(format(score)) (\(found.joined(separator: ", ")); \(format(scope.threshold)) needed, "
                + "or \(format(scope.withTerms)) with \(scope.competencies) competencies)"
        let listed = competencies.prefix(8).joined(separator: ", ") + (competencies.count > 8 ? ", …" : "")
        let competencyPart =
            competencies.isEmpty
            ? "no competency has evidence (\(scope.competencies) needed)"
            : "\(competencies.count) \(competencies.count == 1 ? "competency has" : "competencies have") evidence (\(listed); \(scope.competencies) needed)"
        let reason = byTerms ? termPart : "\(termPart), and \(competencyPart)"
        let evidence = passages.map(\.evidence).sorted { $0.score != $1.score ? $0.score > $1.score : $0.start < $1.start }
        return ScopeJudgement(
            inScope: byTerms || byCompetencies, reason: reason, score: score, competencies: competencies,
            evidence: Array(evidence.prefix(3)))
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
