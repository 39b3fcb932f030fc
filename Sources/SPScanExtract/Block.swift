import SPScanModel

/// One block of a document's main content, before passages are formed: what every format reader produces.
struct Block: Equatable {
    var text: String
    var role: BlockRole
    /// Heading level, 1 (title) to 6; meaningful only for `.heading`.
    var level: Int = 0
    /// 1-based page for PDF.
    var page: Int?
    /// The OCR engine's mean confidence on the page, for recognised text.
    var ocrConfidence: Double?

    init(_ text: String, role: BlockRole = .paragraph, level: Int = 0, page: Int? = nil, ocrConfidence: Double? = nil) {
        self.text = text
        self.role = role
        self.level = level
        self.page = page
        self.ocrConfidence = ocrConfidence
    }
}

extension String {
    /// Whitespace runs (including non-breaking and other Unicode spaces) folded to one space, ends trimmed;
    /// zero-width spaces, byte-order marks and soft hyphens dropped.
    ///
    /// Markup and PDF text wrap lines anywhere; folding makes a block one line, so that offsets and word
    /// counts do not depend on the source's line breaks. Works on UTF-8 bytes: it runs over every byte of
    /// every page, and Unicode property lookups per scalar cost more than the HTML parse.
    var collapsingWhitespace: String { foldedWithCounts.text }

    /// `collapsingWhitespace` with the result's scalar and word counts, found in the same pass.
    var foldedWithCounts: FoldedText {
        var copy = self
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(collapse)
            ?? FoldedText(text: copy, scalars: copy.scalarCount, words: copy.wordCount)
    }

    /// The number of Unicode scalars, counted from UTF-8 lead bytes.
    var scalarCount: Int {
        var count = 0
        for byte in utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The number of words, counted as runs of letters or digits (any non-ASCII character but general
    /// punctuation such as dashes and typographic quotes counts as a letter), on UTF-8 bytes for speed.
    var wordCount: Int {
        var count = 0
        var inWord = false
        var skip = 0
        var index = 0
        let bytes = Array(utf8)
        while index < bytes.count {
            let byte = bytes[index]
            var isWordByte: Bool
            if byte < 0x80 {
                isWordByte = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                skip = 1
            } else if byte == 0xE2 && index + 1 < bytes.count && bytes[index + 1] == 0x80 {
                isWordByte = false
                skip = 3
            } else {
                isWordByte = true
                skip = 1
            }
            if isWordByte && !inWord { count += 1 }
            inWord = isWordByte
            index += skip
        }
        return count
    }
}

extension Unicode.Scalar {
    /// A letter or digit, answered without a Unicode property lookup for ASCII, which is most text; the
    /// lookup (a binary search in the standard library) cost more than parsing when it ran on every scalar.
    @inline(__always) var isWordScalar: Bool {
        if value < 0x80 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39)
        }
        return properties.isAlphabetic || properties.numericType != nil
    }
}

/// Text with whitespace folded, and its size in Unicode scalars and words.
struct FoldedText {
    var text: String
    var scalars: Int
    var words: Int
}

/// The body of `foldedWithCounts`, over contiguous UTF-8.
private func collapse(_ bytes: UnsafeBufferPointer<UInt8>) -> FoldedText {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var scalars = 0
    var words = 0
    var inWord = false
    var pendingSpace = false
    var index = 0
    let count = bytes.count
    while index < count {
        let byte = bytes[index]
        var isSpace = false
        var skip = 0
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
            isSpace = true
            skip = 1
        } else if byte == 0xC2, index + 1 < count, bytes[index + 1] == 0xA0 || bytes[index + 1] == 0x85 {
            isSpace = true  // no-break space, next line
            skip = 2
        } else if byte == 0xC2, index + 1 < count, bytes[index + 1] == 0xAD {
            index += 2  // soft hyphen: invisible
            continue
        } else if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80 {
            let third = bytes[index + 2]
            if third == 0x8B || third == 0x8C || third == 0x8D {
                index += 3  // zero-width space and joiners
                continue
            }
            if third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF {
                isSpace = true  // en/em/thin spaces, line and paragraph separators
                skip = 3
            }
        } else if byte == 0xEF, index + 2 < count, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF {
            index += 3  // a byte-order mark inside the text
            continue
        } else if byte == 0xE3, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 {
            isSpace = true  // ideographic space
            skip = 3
        }
        if isSpace {
            pendingSpace = !output.isEmpty
            inWord = false
            index += skip
            continue
        }
        if pendingSpace {
            output.append(0x20)
            scalars += 1
            pendingSpace = false
        }
        // Words: ASCII letters and digits, and any non-ASCII character but general punctuation (E2 80 xx).
        if byte & 0xC0 != 0x80 {
            scalars += 1
            let isWordByte: Bool
            if byte < 0x80 {
                isWordByte = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            } else {
                isWordByte = !(byte == 0xE2 && index + 1 < count && bytes[index + 1] == 0x80)
            }
            if isWordByte && !inWord { words += 1 }
            inWord = isWordByte
        }
        output.append(byte)
        index += 1
    }
    return FoldedText(text: String(decoding: output, as: UTF8.self), scalars: scalars, words: words)
}
