import SPScanModel

/// One block of a document's main content, before passages are formed: what every format reader produces.
struct Block: Equatable {
    var text: String
    var role: BlockRole
    /// Heading level, 1 (title) to 6; meaningful only for `.heading`.
    var level: Int = 0
    /// 1-based page for PDF.
    var page: Int?

    init(_ text: String, role: BlockRole = .paragraph, level: Int = 0, page: Int? = nil) {
        self.text = text
        self.role = role
        self.level = level
        self.page = page
    }
}

extension String {
    /// Whitespace runs (including non-breaking and zero-width spaces) folded to one space, ends trimmed.
    ///
    /// Markup and PDF text wrap lines anywhere; folding makes a block one line, so that offsets and word
    /// counts do not depend on the source's line breaks.
    var collapsingWhitespace: String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{200B}" || scalar == "\u{FEFF}" || scalar == "\u{AD}" {
                if scalar == "\u{AD}" || scalar == "\u{200B}" || scalar == "\u{FEFF}" { continue }
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(scalar)
        }
        return String(result)
    }

    /// The number of words, counted as runs of letters or digits.
    var wordCount: Int {
        var count = 0
        var inWord = false
        for scalar in unicodeScalars {
            let isWordScalar = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordScalar && !inWord { count += 1 }
            inWord = isWordScalar
        }
        return count
    }
}
