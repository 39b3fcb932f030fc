import Foundation
import SPScanModel

/// A document that could not be read for tagging.
public enum DocumentLoadError: Error, LocalizedError, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case notText(path: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason); check the path, or pass `-` to read standard input"
        case .notText(let path):
            "\(path) is not UTF-8 text; save it as plain UTF-8 text (other formats arrive with `spscan extract`)"
        }
    }
}

/// Turns a file (or standard input) into an `ExtractedDocument` for `spscan tag`.
///
/// This is the one place `tag` gets its text from: it reads plain text today and will hand other formats to
/// the extractor once that lands, so that the command itself never changes.
public enum DocumentLoader {
    /// Reads `path` (`-` for standard input) as plain text. The language is detected unless given.
    public static func load(path: String, language: Language? = nil) throws(DocumentLoadError) -> ExtractedDocument {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
                throw .unreadable(path: path, reason: reason)
            }
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .notText(path: path == "-" ? "standard input" : path) }
        return plainText(text, language: language)
    }

    /// Splits plain text into passages: blocks separated by blank lines; a short line without closing
    /// punctuation is a heading, lines starting with a bullet or number are list items.
    public static func plainText(_ text: String, language: Language? = nil) -> ExtractedDocument {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let detected = language ?? LanguageGuess.guess(normalized)
        var blocks: [(text: String, role: BlockRole)] = []
        for block in normalized.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !lines.isEmpty else { continue }
            if lines.allSatisfy(isListLine) {
                blocks += lines.map { ($0, .listItem) }
            } else if lines.count == 1, isHeadingLine(lines[0]) {
                blocks.append((lines[0], .heading))
            } else {
                blocks.append((lines.joined(separator: " "), .paragraph))
            }
        }
        var passages: [Passage] = []
        var heading = ""
        var offset = 0
        var joined: [String] = []
        for block in blocks {
            let length = block.text.unicodeScalars.count
            if block.role == .heading { heading = block.text }
            passages.append(
                Passage(
                    text: block.text, heading: block.role == .heading ? "" : heading, start: offset, end: offset + length,
                    language: detected, role: block.role))
            joined.append(block.text)
            offset += length + 2
        }
        let title = blocks.first { $0.role == .heading }?.text
        return ExtractedDocument(
            title: title, language: detected, format: .text, text: joined.joined(separator: "\n\n"), passages: passages)
    }

    private static func isListLine(_ line: String) -> Bool {
        line.wholeMatch(of: /^([-*•–]|\d{1,2}[.)])\s+.+/) != nil
    }

    private static func isHeadingLine(_ line: String) -> Bool {
        guard let last = line.last, !".,;!?".contains(last) else { return false }
        return line.split(separator: " ").count <= 12
    }
}

/// A simple language guess from function words: enough to choose between English and French stemming.
public enum LanguageGuess {
    static let french: Set<String> = [
        "le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "pour", "dans", "avec", "sur", "au", "aux",
        "qui", "que", "ou", "par", "en", "ces", "leur", "sont",
    ]
    static let english: Set<String> = [
        "the", "and", "of", "to", "in", "for", "with", "on", "is", "are", "this", "that", "be", "by", "or", "as",
        "will", "their", "from", "an", "at", "it",
    ]

    public static func guess(_ text: String) -> Language {
        var frenchCount = 0
        var englishCount = 0
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }).prefix(2000) {
            let word = String(word)
            if french.contains(word) { frenchCount += 1 }
            if english.contains(word) { englishCount += 1 }
        }
        return frenchCount > englishCount ? .french : .english
    }
}
