import Foundation
import SPScanModel

/// Scope evidence as JSON in `document.scopeEvidence`: how catalogs before migration v7 held it. v7 moves it to
/// the `scopeEvidence` rows and writes NULL in the column, so this only decodes what a reader may still meet.
enum ScopeEvidenceCodec {
    static func decode(_ text: String?) -> [Evidence] {
        guard let text, !text.isEmpty else { return [] }
        return (try? JSONStyle.decoder().decode([Evidence].self, from: Data(text.utf8))) ?? []
    }
}

extension TaggedDocument {
    /// Sets the document's scope from its stored judgement and a person's decision (`accept` in, `reject` out),
    /// which wins.
    mutating func applyScope(judged: Bool, verdict: String?, reason: String?, evidence: String?, decodeEvidence: Bool) {
        let decision = verdict.flatMap(ReviewDecision.Verdict.init(rawValue:))
        inScope = decision.map { $0 == .accept } ?? judged
        scopeReviewed = decision != nil
        scopeReason = reason
        if decodeEvidence || !inScope { scopeEvidence = ScopeEvidenceCodec.decode(evidence) }
    }
}
