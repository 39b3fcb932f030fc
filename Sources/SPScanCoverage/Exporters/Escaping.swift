import Foundation

/// Escaping for every output a person opens: what came from a fetched document is data, never markup or a
/// formula. One place, so that each exporter escapes the same way and the tests pin it once.
public enum Escaping {
    /// Text for HTML element content and quoted attribute values: a title `<script>` shows as text.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Text for XML (XLSX parts): escaped like HTML, and without the control characters XML 1.0 forbids, which
    /// would make a spreadsheet refuse to open the whole workbook.
    public static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A spreadsheet cell's text, neutralised: a leading `=`, `+`, `-`, `@`, tab or carriage return would make
    /// Excel or LibreOffice evaluate it as a formula (CSV injection), so such text is prefixed with `'`.
    public static func spreadsheetText(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r": return "'" + text
        default: return text
        }
    }

    /// A CSV field (RFC 4180): neutralised, then quoted when it holds a comma, quote or line break.
    public static func csvField(_ text: String) -> String {
        let safe = spreadsheetText(text)
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return safe
        }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text inside a Markdown table cell: every character Markdown or inline HTML would act on is escaped with a
    /// backslash, and line breaks become spaces because a table row is one line.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "&", "!", "~":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "\n", "\r", "\t": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
