import Foundation
import SPScanModel

/// The tags a person accepted (Reviews.yaml), looked up by document and competency, and the words every export
/// marks them with: the report and the CASE alignments say the same thing the same way.
public struct AcceptedReviews: Sendable {
    private var byTag: [String: ReviewDecision] = [:]

    public init(_ reviews: [ReviewDecision]) {
        for decision in reviews where decision.verdict == .accept && !decision.isScope {
            byTag[Self.key(decision.documentID, decision.competency)] = decision
        }
    }

    /// The decision that accepted `competency` in `document`, if any (competency ids in any case).
    public subscript(document: String, competency: String) -> ReviewDecision? {
        byTag[Self.key(document, competency)]
    }

    /// "reviewed: accepted by Ana Silva on 2026-11-30".
    public static func mark(_ review: ReviewDecision) -> String {
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return "reviewed: accepted\(review.reviewer.map { " by \($0)" } ?? "") on \(day.string(from: review.decidedAt))"
    }

    private static func key(_ document: String, _ competency: String) -> String {
        document + "\u{0}" + competency.uppercased()
    }
}
