import Foundation
import SPScanModel

/// Scope evidence in its catalog column: JSON through the one encoder. It is a few passages per document,
/// read only where a person looks at them, so JSON costs nothing that matters here.
enum ScopeEvidenceCodec {
    static func encode(_ evidence: [Evidence]) -> String? {
        guard !evidence.isEmpty, let data = try? JSONStyle.encoder(pretty: false).encode(evidence) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

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
