import Foundation
import SPScanCatalog
import SPScanModel
import Synchronization

/// A review as `POST /api/reviews` takes it; the page's buttons post the same fields as a form.
struct ReviewInput: Codable, Sendable {
    var document: String
    var competency: String
    /// `accept` or `reject`.
    var decision: String
    var note: String?
    var reviewer: String?

    static let example = #"{"document": "ca-cisp-framework", "competency": "IS-5", "decision": "accept", "note": "checked module 3"}"#
}

/// What recording a review answers: the decision, where it was written, and whether the tag counted before.
struct ReviewResponse: Encodable, Sendable {
    var decision: ReviewDecision
    var countedBefore: Bool
    var writtenTo: String
}

/// Records review decisions as `spscan review` does: merged into Reviews.yaml (sorted, one entry per tag),
/// then applied to the catalog at once.
///
/// One writer at a time: two reviewers clicking together must not each read the file, add their decision and
/// write it back without the other's.
final class ReviewRecorder: Sendable {
    let file: URL
    private let writing = Mutex(())

    init(file: URL) {
        self.file = file
    }

    func record(_ input: ReviewInput, framework: Framework, catalog: CatalogDatabase, now: Date = Date()) throws
        -> ReviewResponse
    {
        guard let verdict = ReviewDecision.Verdict(rawValue: input.decision.lowercased()) else {
            throw WebError.badParameter(name: "decision", value: input.decision, allowed: ReviewDecision.Verdict.allowedList)
        }
        guard let competency = framework.competency(id: input.competency) else {
            throw WebError.unknownCompetency(input.competency, known: framework.competencies.map(\.id))
        }
        guard let detail = try catalog.document(id: input.document) else { throw WebError.unknownDocument(input.document) }
        let decision = ReviewDecision(
            documentID: detail.document.id, competency: competency.id, verdict: verdict,
            note: input.note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 },
            reviewer: input.reviewer.flatMap { $0.isEmpty ? nil : $0 }, decidedAt: now)
        try writing.withLock { _ in
            let existing = try ReviewFile.load(from: file, displayPath: file.lastPathComponent)
            try ReviewFile.write(ReviewFile.merging(decision, into: existing), to: file)
            try catalog.recordReview(decision)
        }
        return ReviewResponse(
            decision: decision, countedBefore: detail.document.tags.contains { $0.competency == competency.id },
            writtenTo: file.lastPathComponent)
    }
}
