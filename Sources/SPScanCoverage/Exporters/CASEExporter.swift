import Foundation
import SPScanModel

/// The tags as 1EdTech CASE 1.1 alignments: the framework's own package (document, items, tree) and one
/// `isRelatedTo` association per tag, from the document, as an external resource (its URL and title, target
/// type `ext:webpage`), to the competency it covers. The score and the review status sit in the association's
/// notes, so that a CASE tool can show which trainings align to which competency and how sure the scan is.
///
/// Identifiers are name-based (document id, competency id), so the same tags give the same bytes.
public enum CASEExporter {
    public static func render(documents: [TaggedDocument], framework: Framework, reviews: [ReviewDecision]) throws -> String {
        String(decoding: try package(documents: documents, framework: framework, reviews: reviews).jsonData(), as: UTF8.self)
    }

    public static func package(documents: [TaggedDocument], framework: Framework, reviews: [ReviewDecision]) -> CASEPackage {
        var package = framework.casePackage()
        let accepted = AcceptedReviews(reviews)
        let dates = ISO8601DateFormatter()
        var alignments: [CASEAssociation] = []
        for document in documents.sorted(by: { $0.id < $1.id }) {
            let identifier = CASEIdentifier.derived("document \(document.id)", under: framework.caseIdentifier)
            let origin = CASENodeLink(title: document.title, identifier: identifier, uri: document.url, targetType: "ext:webpage")
            for tag in document.tags.sorted(by: { $0.competency < $1.competency }) {
                guard let competency = framework.competency(id: tag.competency) else { continue }
                let review = accepted[document.id, tag.competency]
                var notes = "score \(String(format: "%.2f", tag.score)); "
                if let review {
                    notes += AcceptedReviews.mark(review)
                    if let note = review.note, !note.isEmpty { notes += " (\(note))" }
                } else {
                    notes += "not reviewed"
                }
                let changed = review?.decidedAt ?? document.fetchedAt
                alignments.append(
                    .derived(
                        "isRelatedTo", from: origin, to: framework.caseLink(of: competency),
                        lastChange: changed.map { dates.string(from: $0) } ?? framework.caseLastChange, notes: notes))
            }
        }
        package.associations += alignments
        return package
    }
}
