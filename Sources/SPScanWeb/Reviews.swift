import Foundation
import SPScan
import SPScanModel

/// A review as `POST /api/reviews` takes it; the page's buttons post the same fields as a form. `decision` is
/// `accept`, `reject`, or `clear` to remove the decision on the tag (undo). A decision on the document's scope
/// gives `scope` (`in`, `out` or `clear`) instead of `competency` and `decision`.
struct ReviewInput: Codable, Sendable {
    var document: String
    var competency: String?
    var decision: String?
    var scope: String?
    var note: String?
    var reviewer: String?

    static let example = #"{"document": "ca-cisp-framework", "competency": "IS-5", "decision": "accept", "note": "checked module 3"}"#

    /// The request for `Reviews.record`, the one door the command line uses too.
    func request() throws -> ReviewRequest {
        if let scope, !scope.isEmpty {
            let verdict: ReviewDecision.Verdict?
            switch scope.lowercased() {
            case "in": verdict = .accept
            case "out": verdict = .reject
            case "clear": verdict = nil
            default: throw WebError.badParameter(name: "scope", value: scope, allowed: "in, out or clear")
            }
            return ReviewRequest(
                document: document, competency: ReviewDecision.scopeSubject, verdict: verdict, note: note, reviewer: reviewer)
        }
        guard let competency, !competency.isEmpty else {
            throw WebError.badBody(reason: "missing \"competency\"", example: Self.example)
        }
        let decision = decision ?? ""
        let spelling = decision.lowercased()
        guard spelling == "clear" || ReviewDecision.Verdict(rawValue: spelling) != nil else {
            throw WebError.badParameter(name: "decision", value: decision, allowed: "accept, reject or clear")
        }
        return ReviewRequest(
            document: document, competency: competency, verdict: ReviewDecision.Verdict(rawValue: spelling), note: note,
            reviewer: reviewer)
    }
}
