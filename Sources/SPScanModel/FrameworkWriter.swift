import Foundation

/// Writes a framework as Framework.yaml text, in the layout of the shipped file: one key per line, vocabulary
/// as flow lists. Used by `framework import`; `FrameworkLoader.parse` reads back the same framework.
public enum FrameworkWriter {
    /// The YAML text, opening with `header` as comment lines.
    public static func yaml(_ framework: Framework, header: [String] = []) -> String {
        var lines = header.map { $0.isEmpty ? "#" : "# \($0)" }
        lines.append("id: \(scalar(framework.id))")
        lines.append("title: \(scalar(framework.title))")
        lines.append("version: \(scalar(framework.version))")
        if let uuid = framework.uuid { lines.append("uuid: \(uuid)") }
        if let creator = framework.creator { lines.append("creator: \(scalar(creator))") }
        if let lastChanged = framework.lastChanged { lines.append("last_changed: \(scalar(lastChanged))") }
        if let scope = framework.scope {
            lines.append("scope:")
            if !scope.description.isEmpty { lines.append("  description: \(scalar(scope.description))") }
            lines.append("  threshold: \(YAMLReader.format(scope.threshold))")
            lines.append("  competencies: \(scope.competencies)")
            lines.append("  with_terms: \(YAMLReader.format(scope.withTerms))")
            lines.append("  terms:")
            lines += vocabulary(scope.terms).map { String($0.dropFirst(6)) }
        }
        lines.append("domains:")
        for domain in framework.domains {
            lines.append("  - id: \(scalar(domain.id))")
            if let code = domain.code { lines.append("    code: \(scalar(code))") }
            if let uuid = domain.uuid { lines.append("    uuid: \(uuid)") }
            lines.append("    name: \(scalar(domain.name))")
            if let nameFrench = domain.nameFrench { lines.append("    name_fr: \(scalar(nameFrench))") }
            if !domain.description.isEmpty { lines.append("    description: \(scalar(domain.description))") }
            if domain.competencies.isEmpty {
                lines.append("    competencies: []")
                continue
            }
            lines.append("    competencies:")
            for competency in domain.competencies {
                lines.append("      - id: \(scalar(competency.id))")
                if let code = competency.code { lines.append("        code: \(scalar(code))") }
                if let uuid = competency.uuid { lines.append("        uuid: \(uuid)") }
                lines.append("        name: \(scalar(competency.name))")
                if let nameFrench = competency.nameFrench { lines.append("        name_fr: \(scalar(nameFrench))") }
                lines.append("        description: \(scalar(competency.description))")
                if let threshold = competency.threshold { lines.append("        threshold: \(YAMLReader.format(threshold))") }
                if competency.hasVocabulary {
                    lines.append("        terms:")
                    lines += vocabulary(competency.terms)
                }
                if competency.exclusions.values.contains(where: { !$0.isEmpty }) {
                    lines.append("        exclude:")
                    lines += vocabulary(competency.exclusions)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func vocabulary(_ terms: [Language: [Term]]) -> [String] {
        Language.allCases.compactMap { language in
            guard let list = terms[language], !list.isEmpty else { return nil }
            let entries = list.map { term in
                term.weight == 1 ? scalar(term.text) : "{term: \(scalar(term.text)), weight: \(YAMLReader.format(term.weight))}"
            }
            return "          \(language.rawValue): [\(entries.joined(separator: ", "))]"
        }
    }

    /// A YAML scalar: plain when it cannot be misread (letters, digits, spaces and mild punctuation, starting
    /// with a letter), otherwise double-quoted with JSON's escapes, which YAML reads the same way.
    static func scalar(_ text: String) -> String {
        isPlain(text) || isPlainURL(text) ? text : quoted(text)
    }

    /// Letters, digits, spaces and `.,()/&'’-`, starting with a letter and ending with a letter, digit, `.`
    /// or `)`, and not a word YAML reads as a boolean or null. (Checked by hand: a `Regex` is rebuilt on each
    /// use, which a 2,000-row import feels.)
    static func isPlain(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, first.properties.isAlphabetic else { return false }
        guard last.properties.isAlphabetic || last.properties.numericType != nil || last == "." || last == ")" else {
            return false
        }
        for scalar in scalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { continue }
            if " .,()/&'’-".unicodeScalars.contains(scalar) { continue }
            return false
        }
        return !reserved.contains(text.lowercased())
    }

    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]

    /// A URL reads the same plain: `#` starts a comment only after a space, and a URL has no `: `.
    static func isPlainURL(_ text: String) -> Bool {
        guard text.hasPrefix("https://") || text.hasPrefix("http://"), !text.hasSuffix(":") else { return false }
        return !text.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "`" || $0.properties.isWhitespace }
    }

    /// Always double-quoted, with JSON's escapes (which YAML reads the same way).
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}
