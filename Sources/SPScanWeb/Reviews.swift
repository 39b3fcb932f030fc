import Foundation
import SPScan
import SPScanModel

/// A review as `POST /api/reviews` takes it; the page's buttons post the same fields as a form. `decision` is
/// `accept`, `reject`, or `clear` to remove the decision on the tag (undo).
struct ReviewInput: Codable, Sendable {
    var document: String
    var competency: String
    var decision: String
    var note: String?
    var reviewer: String?

    static let example = #"{"document": "ca-cisp-framework", "competency": "IS-5", "decision": "accept", "note": "checked module 3"}"#

    /// The request for `Reviews.record`, the one door the command line uses too.
    func request() throws -> ReviewRequest {
        let spelling = decision.lowercased()
        guard spelling == "clear" || ReviewDecision.Verdict(rawValue: spelling) != nil else {
            throw WebError.badParameter(name: "decision", value: decision, allowed: "accept, reject or clear")
        }
        return ReviewRequest(
            document: document, competency: competency, verdict: ReviewDecision.Verdict(rawValue: spelling), note: note,
            reviewer: reviewer)
    }
}
