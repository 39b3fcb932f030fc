import Foundation

/// A word-level diff of two texts, as `spscan diff`, `spscan changes` and the web page show it.
///
/// Words are compared, not the white space between them, so that re-wrapped text is not a change. The texts
/// are first compared paragraph by paragraph (lines), and only the paragraphs that differ word by word: two
/// 100-page versions with a few edits cost a few thousand line comparisons and a few small word diffs, not
/// a diff of 50,000 words against 50,000. Both levels use Myers' O((N+M)·D) algorithm; a region whose words
/// differ beyond `maxEdits` is shown as removed and added whole, which is what a reader sees there anyway.
public struct TextDiff: Hashable, Sendable {
    public enum Operation: String, Hashable, Sendable, Codable {
        case same
        case added
        case removed
    }

    /// A run of words with one operation, with the white space between them: a newline between paragraphs,
    /// one space between words (the texts' own runs of white space are not kept).
    public struct Segment: Hashable, Sendable {
        public var operation: Operation
        public var text: String

        public init(_ operation: Operation, _ text: String) {
            self.operation = operation
            self.text = text
        }
    }

    /// The whole new text, with the removed words in place: consecutive segments differ in operation.
    public var segments: [Segment]
    public var wordsAdded: Int
    public var wordsRemoved: Int

    /// Whether the words are the same (white space, wrapping and layout aside).
    public var isEmpty: Bool { wordsAdded == 0 && wordsRemoved == 0 }

    /// Above this many edits in one region, the region is shown as removed and added whole.
    static let maxEdits = 4_000

    public static func words(from old: String, to new: String) -> TextDiff {
        let oldLines = Paragraph.split(old)
        let newLines = Paragraph.split(new)
        var builder = Builder()
        var table = Interner()
        let lineEdits =
            Myers.edits(table.ids(oldLines.map(\.key)), table.ids(newLines.map(\.key)), maxEdits: maxEdits)
            ?? Myers.replaceAll(oldLines.count, newLines.count)
        var oldIndex = 0
        var newIndex = 0
        var removedRun: [Paragraph] = []
        var addedRun: [Paragraph] = []
        func flush() {
            guard !removedRun.isEmpty || !addedRun.isEmpty else { return }
            builder.wordDiff(removedRun.flatMap(\.words), addedRun.flatMap(\.words))
            removedRun = []
            addedRun = []
        }
        for edit in lineEdits {
            switch edit {
            case .same:
                flush()
                for word in newLines[newIndex].words { builder.append(.same, word) }
                oldIndex += 1
                newIndex += 1
            case .delete:
                removedRun.append(oldLines[oldIndex])
                oldIndex += 1
            case .insert:
                addedRun.append(newLines[newIndex])
                newIndex += 1
            }
        }
        flush()
        return TextDiff(segments: builder.segments, wordsAdded: builder.added, wordsRemoved: builder.removed)
    }

    /// The changes with their surroundings: an unchanged run longer than twice `context` words is cut to
    /// `context` words on each side, so that a reader sees each change in its sentence, not the whole text.
    public func hunks(context: Int = 12) -> [Hunk] {
        var hunks: [Hunk] = []
        var current = Hunk(segments: [], foldedBefore: false, foldedAfter: false)
        for (index, segment) in segments.enumerated() {
            guard segment.operation == .same else {
                current.segments.append(segment)
                continue
            }
            let count = Word.count(segment.text)
            let isFirst = index == 0
            let isLast = index == segments.count - 1
            if isFirst && isLast { break }
            if isFirst {
                current.foldedBefore = count > context
                current.segments.append(Segment(.same, String(Word.suffix(segment.text, context))))
            } else if isLast {
                current.foldedAfter = count > context
                current.segments.append(Segment(.same, String(Word.prefix(segment.text, context))))
            } else if count <= 2 * context {
                current.segments.append(segment)
            } else {
                current.segments.append(Segment(.same, String(Word.prefix(segment.text, context))))
                current.foldedAfter = true
                hunks.append(current)
                current = Hunk(
                    segments: [Segment(.same, String(Word.suffix(segment.text, context)))], foldedBefore: true,
                    foldedAfter: false)
            }
        }
        if current.segments.contains(where: { $0.operation != .same }) { hunks.append(current) }
        return hunks
    }

    /// One change in its context.
    public struct Hunk: Hashable, Sendable {
        public var segments: [Segment]
        /// Unchanged text before this hunk was left out.
        public var foldedBefore: Bool
        /// Unchanged text after this hunk was left out.
        public var foldedAfter: Bool
    }
}

/// A word and the white space before it ("" at the start, "\n" between paragraphs, " " otherwise).
struct Word {
    var separator: Substring
    var text: Substring

    static func count(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for character in text.unicodeScalars {
            let space = character.properties.isWhitespace
            if !space, !inWord { count += 1 }
            inWord = !space
        }
        return count
    }

    /// The text up to the end of its `count`-th word, white space as written.
    static func prefix(_ text: String, _ count: Int) -> Substring {
        var seen = 0
        var inWord = false
        for index in text.unicodeScalars.indices {
            let space = text.unicodeScalars[index].properties.isWhitespace
            if space, inWord, seen == count { return text[..<index] }
            if !space, !inWord { seen += 1 }
            inWord = !space
        }
        return text[...]
    }

    /// The text from the start of its `count`-th word from the end, white space as written.
    static func suffix(_ text: String, _ count: Int) -> Substring {
        var seen = 0
        var inWord = false
        var index = text.unicodeScalars.endIndex
        while index > text.unicodeScalars.startIndex {
            let previous = text.unicodeScalars.index(before: index)
            let space = text.unicodeScalars[previous].properties.isWhitespace
            if space, inWord, seen == count { return text[index...] }
            if !space, !inWord { seen += 1 }
            inWord = !space
            index = previous
        }
        return text[...]
    }
}

/// One line of extracted text (a paragraph, a heading, a list item), keyed by its words alone.
struct Paragraph {
    var key: Substring
    var words: [Word]

    static func split(_ text: String) -> [Paragraph] {
        var paragraphs: [Paragraph] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(whereSeparator: \.isWhitespace)
            guard !parts.isEmpty else { continue }
            var words: [Word] = []
            words.reserveCapacity(parts.count)
            for (index, part) in parts.enumerated() {
                words.append(Word(separator: index == 0 ? (paragraphs.isEmpty ? "" : "\n") : " ", text: part))
            }
            // The words joined by single spaces: a re-wrapped or re-indented line keys the same.
            let key = parts.count == 1 ? parts[0] : Substring(parts.joined(separator: " "))
            paragraphs.append(Paragraph(key: key, words: words))
        }
        return paragraphs
    }
}

/// Gathers segments, merging runs of the same operation.
private struct Builder {
    var segments: [TextDiff.Segment] = []
    var added = 0
    var removed = 0

    mutating func append(_ operation: TextDiff.Operation, _ word: Word) {
        switch operation {
        case .added: added += 1
        case .removed: removed += 1
        case .same: break
        }
        // White space before a changed word belongs to the unchanged text before it when there is some, so
        // that a marked run starts at its first word.
        if operation != .same, !word.separator.isEmpty, let last = segments.indices.last, segments[last].operation != operation {
            if segments[last].operation == .same {
                segments[last].text += word.separator
            } else {
                segments.append(TextDiff.Segment(.same, String(word.separator)))
            }
            segments.append(TextDiff.Segment(operation, String(word.text)))
            return
        }
        if let last = segments.indices.last, segments[last].operation == operation {
            segments[last].text += word.separator
            segments[last].text += word.text
        } else {
            segments.append(TextDiff.Segment(operation, String(word.separator) + String(word.text)))
        }
    }

    mutating func wordDiff(_ old: [Word], _ new: [Word]) {
        var table = Interner()
        let edits =
            Myers.edits(table.ids(old.map(\.text)), table.ids(new.map(\.text)), maxEdits: TextDiff.maxEdits)
            ?? Myers.replaceAll(old.count, new.count)
        // Removed words are shown before the added ones that replace them.
        var oldIndex = 0
        var newIndex = 0
        var pendingAdded: [Word] = []
        func flushAdded() {
            for word in pendingAdded { append(.added, word) }
            pendingAdded = []
        }
        for edit in edits {
            switch edit {
            case .same:
                flushAdded()
                append(.same, new[newIndex])
                oldIndex += 1
                newIndex += 1
            case .delete:
                append(.removed, old[oldIndex])
                oldIndex += 1
            case .insert:
                pendingAdded.append(new[newIndex])
                newIndex += 1
            }
        }
        flushAdded()
    }
}

/// Numbers each distinct text once, so that the diff compares integers instead of strings.
private struct Interner {
    var table: [Substring: Int] = [:]

    mutating func ids(_ texts: [Substring]) -> [Int] {
        texts.map { text in
            if let id = table[text] { return id }
            let id = table.count
            table[text] = id
            return id
        }
    }
}

/// Myers' greedy shortest edit script, with each round's furthest reaches kept for the walk back.
enum Myers {
    enum Edit: Equatable {
        case same
        case delete
        case insert
    }

    static func replaceAll(_ old: Int, _ new: Int) -> [Edit] {
        Array(repeating: .delete, count: old) + Array(repeating: .insert, count: new)
    }

    /// The edits turning `a` into `b` (deletions before insertions at each place), or nil beyond `maxEdits`.
    static func edits(_ a: [Int], _ b: [Int], maxEdits: Int) -> [Edit]? {
        // Common ends cost nothing to find and shrink the search.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let x0 = prefix
        let n = a.count - prefix - suffix
        let m = b.count - prefix - suffix
        var middle: [Edit]
        if n == 0 || m == 0 {
            middle = replaceAll(n, m)
        } else {
            guard let found = search(a, b, from: x0, n: n, m: m, maxEdits: maxEdits) else { return nil }
            middle = found
        }
        return Array(repeating: .same, count: prefix) + middle + Array(repeating: .same, count: suffix)
    }

    private static func search(_ a: [Int], _ b: [Int], from start: Int, n: Int, m: Int, maxEdits: Int) -> [Edit]? {
        let limit = min(n + m, maxEdits)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        var trace: [[Int]] = []
        var reached = false
        outer: for d in 0...limit {
            trace.append(v)
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[start + x] == b[start + y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    reached = true
                    break outer
                }
                k += 2
            }
        }
        guard reached else { return nil }
        // Walk back through the rounds.
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = d == 0 ? 0 : v[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                edits.append(.same)
                x -= 1
                y -= 1
            }
            if d > 0 {
                edits.append(x == previousX ? .insert : .delete)
                x = previousX
                y = previousY
            }
        }
        while x > 0, y > 0 {
            edits.append(.same)
            x -= 1
            y -= 1
        }
        return edits.reversed()
    }
}
