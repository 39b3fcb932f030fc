import Foundation
import SPScanModel

/// Lays blocks out as a document's text and groups them into passages, the unit of evidence.
///
/// A passage gathers consecutive blocks of the same role, page and heading path up to `maxWords`, so that
/// evidence reads as a whole thought but stays short enough to show beside a tag. A heading always closes
/// the passage before it, and is a passage of its own, since matchers weigh headings more.
struct PassageBuilder {
    var maxWords: Int

    func build(
        _ blocks: [Block], title: String?, format: DocumentFormat, links: [URL] = []
    ) -> ExtractedDocument {
        var text = ""
        var offset = 0
        var passages: [Passage] = []
        var headings: [(level: Int, text: String)] = []
        var pending: [(start: Int, end: Int, block: Block)] = []
        var pendingWords = 0

        /// The heading path, rebuilt only when a heading changes it.
        var headingPath = ""

        func flush() {
            guard let first = pending.first, let last = pending.last else { return }
            passages.append(
                Passage(
                    text: pending.map(\.block.text).joined(separator: "\n\n"),
                    heading: first.block.role.isOutsideBody ? "" : headingPath,
                    page: first.block.page,
                    start: first.start, end: last.end, role: first.block.role, ocrConfidence: first.block.ocrConfidence))
            pending.removeAll()
            pendingWords = 0
        }

        func append(_ block: Block, scalars: Int) -> (start: Int, end: Int) {
            if offset > 0 {
                text += "\n\n"
                offset += 2
            }
            let start = offset
            text += block.text
            offset += scalars
            return (start, offset)
        }

        for rawBlock in blocks {
            var block = rawBlock
            let folded = block.text.foldedWithCounts
            block.text = folded.text
            guard !block.text.isEmpty else { continue }
            if block.role == .heading {
                flush()
                let level = max(1, min(block.level, 6))
                while let last = headings.last, last.level >= level { headings.removeLast() }
                headings.append((level, block.text))
                headingPath = headings.map(\.text).joined(separator: " > ")
                let range = append(block, scalars: folded.scalars)
                passages.append(
                    Passage(
                        text: block.text, heading: headingPath, page: block.page, start: range.start,
                        end: range.end, role: .heading))
                continue
            }
            let words = folded.words
            if let first = pending.first,
                first.block.role != block.role || first.block.page != block.page || pendingWords + words > maxWords
            {
                flush()
            }
            let range = append(block, scalars: folded.scalars)
            if words > maxWords {
                flush()
                // The pieces come in order: one walk along the block's scalars finds each piece's bounds, where
                // building each piece scalar by scalar was a fifth of tagging a large text file.
                let view = block.text.unicodeScalars
                var cursor = (offset: 0, index: view.startIndex)
                func index(at offset: Int) -> String.UnicodeScalarView.Index {
                    let target = view.index(cursor.index, offsetBy: offset - cursor.offset)
                    cursor = (offset, target)
                    return target
                }
                for piece in sentenceChunks(block.text, maxWords: maxWords) {
                    let start = range.start + piece.lowerBound
                    let end = range.start + piece.upperBound
                    let lower = index(at: piece.lowerBound)
                    let upper = index(at: piece.upperBound)
                    passages.append(
                        Passage(
                            text: String(view[lower..<upper]), heading: block.role.isOutsideBody ? "" : headingPath,
                            page: block.page, start: start,
                            end: end, role: block.role, ocrConfidence: block.ocrConfidence))
                }
                continue
            }
            pending.append((range.start, range.end, block))
            pendingWords += words
        }
        flush()

        let fullText = text
        // One scoring pass per passage; the document's language is the sum of its passages' evidence, and a
        // passage too short to tell (a heading, a table cell) takes the document's.
        let scores = passages.map { LanguageDetector.score($0.text) }
        let documentLanguage = scores.reduce(LanguageEvidence(), +).language ?? .undetermined
        for index in passages.indices {
            passages[index].language = scores[index].language ?? documentLanguage
        }
        let resolvedTitle = title?.collapsingWhitespace
        return ExtractedDocument(
            title: (resolvedTitle?.isEmpty ?? true) ? passages.first(where: { $0.role == .heading })?.text : resolvedTitle,
            language: documentLanguage, format: format, text: fullText, passages: passages, links: links)
    }
}

/// Splits a long block into runs of whole sentences of at most `maxWords` words (a sentence longer than that
/// is cut between words), as scalar ranges into the block.
func sentenceChunks(_ text: String, maxWords: Int) -> [Range<Int>] {
    let scalars = Array(text.unicodeScalars)
    // Candidate cut points: after a sentence end followed by a space, else after any space.
    var chunks: [Range<Int>] = []
    var chunkStart = 0
    var words = 0
    var inWord = false
    var lastSentenceEnd: Int?
    var lastSpace: Int?
    var index = 0
    while index < scalars.count {
        let scalar = scalars[index]
        let isWordScalar = scalar.isWordScalar
        if isWordScalar && !inWord {
            words += 1
            if words > maxWords, let cut = lastSentenceEnd ?? lastSpace, cut > chunkStart {
                chunks.append(chunkStart..<cut)
                chunkStart = cut + 1
                lastSentenceEnd = nil
                lastSpace = nil
                index = chunkStart
                words = 0
                inWord = false
                continue
            }
        }
        inWord = isWordScalar
        if scalar == " " {
            lastSpace = index
            if index > 0, ".!?;:".unicodeScalars.contains(scalars[index - 1]) { lastSentenceEnd = index }
        }
        index += 1
    }
    if chunkStart < scalars.count { chunks.append(chunkStart..<scalars.count) }
    return chunks
}
