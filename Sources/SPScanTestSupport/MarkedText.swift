import Foundation

/// Text with the expected evidence marked inline: `⟦active listening⟧`. Parsing gives the plain text and the
/// marked ranges in Unicode scalars, the unit of the model's offsets (STYLE.md #9).
public struct MarkedText: Sendable, Hashable {
    public var text: String
    public var marks: [Range<Int>]

    public init(_ marked: String) {
        var plain = String.UnicodeScalarView()
        var marks: [Range<Int>] = []
        var open: Int?
        for scalar in marked.unicodeScalars {
            switch scalar {
            case "⟦": open = plain.count
            case "⟧":
                if let start = open { marks.append(start..<plain.count) }
                open = nil
            default: plain.append(scalar)
            }
        }
        text = String(plain)
        self.marks = marks
    }
}
