import ArgumentParser
import Foundation
import SPScan
import SPScanCatalog
import SPScanModel

// What the catalog commands (query, search, changes, review) share: opening the catalog, the facet filter
// options, the framework's competencies, and the table and CSV shapes they print.

/// The document filters of every command that reads the catalog (query, search, matrix, report): each option
/// repeatable, a document matching any value of an option (`--country CA --country IE`), every option given
/// holding. Parsed by `DocumentFilter.parse`, the web's parser too.
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only documents from this country: \(Country.allowedList) (UK for GB); repeatable.", valueName: "code"))
    var country: [String] = []

    @Option(help: ArgumentHelp("Only documents from this region (province, nation), as in Sources.yaml; repeatable.", valueName: "name"))
    var region: [String] = []

    @Option(help: ArgumentHelp("Only documents for this target group: \(TargetGroup.allowedList); repeatable.", valueName: "group"))
    var targetGroup: [String] = []

    @Option(
        help: ArgumentHelp("Only documents from this institution, by name or id (case and accents ignored); repeatable.", valueName: "name")
    )
    var institution: [String] = []

    @Option(help: ArgumentHelp("Only documents from this institution type: \(InstitutionType.allowedList); repeatable.", valueName: "type"))
    var institutionType: [String] = []

    @Option(help: ArgumentHelp("Only documents of this kind: \(DocumentKind.allowedList); repeatable.", valueName: "kind"))
    var kind: [String] = []

    var given: [Facet: [String]] {
        [
            .country: country, .region: region, .targetGroup: targetGroup, .institution: institution, .institutionType: institutionType,
            .kind: kind,
        ]
    }

    /// The filter, each value checked against what exists: a misspelt value would otherwise match nothing and
    /// look like a gap.
    func filter(known: FilterVocabulary) throws -> DocumentFilter {
        try DocumentFilter.parse(given, known: known)
    }
}

enum CatalogAccess {
    /// Opens the existing catalog; a missing one is bad input (exit 2) with the command that builds it.
    static func open(_ paths: ProjectPaths) throws -> CatalogDatabase {
        do {
            return try CatalogDatabase.openExisting(path: paths.catalog)
        } catch CatalogError.notBuilt {
            // The path as the user wrote it, not the absolute one.
            throw CatalogError.notBuilt(path: ProjectPaths.display(paths.catalog))
        }
    }

    /// The framework's competency for a user's spelling (any case), or exit 2 with every allowed id.
    /// The competency an id, a name or a fragment of one names; says on standard error which one a name found.
    static func competency(_ text: String, in framework: Framework) throws -> Competency {
        let (competency, exact) = try CompetencyLookup.resolve(text, in: framework)
        if !exact { printError("'\(text)': \(competency.id) \(competency.name)") }
        return competency
    }

    /// The filter the options name, checked against the catalog's institutions and regions.
    static func filter(_ options: FilterOptions, in catalog: CatalogDatabase) throws -> DocumentFilter {
        try options.filter(known: try catalog.filterVocabulary())
    }

    static func framework(_ paths: ProjectPaths) throws -> Framework {
        try FrameworkLoader.load(from: paths.framework, displayPath: ProjectPaths.display(paths.framework))
    }
}

/// Columns aligned with spaces, for a terminal; long cells are cut with an ellipsis so that rows stay on
/// one line, and, given the terminal's width, the widest columns give way until a row fits it.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    var maxWidth = 48
    /// Columns never cut to fit a width (ids a person types again, scores): the others give way.
    var whole: Set<Int> = []

    /// The narrowest a column is cut to: enough to recognise an id or a name.
    static let narrowest = 6

    func render(width: Int? = nil) -> String {
        var widths = [Int](repeating: 0, count: headers.count)
        for row in [headers] + rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                let cap = whole.contains(index) ? Int.max : maxWidth
                widths[index] = max(widths[index], min(Self.fit(cell, cap).count, cap))
            }
        }
        if let width {
            // Take a character at a time from the widest column that can still give one.
            let room = width - 2 * max(0, headers.count - 1)
            while widths.reduce(0, +) > room,
                let widest = widths.indices.filter({ !whole.contains($0) && widths[$0] > Self.narrowest })
                    .max(by: { widths[$0] < widths[$1] })
            {
                widths[widest] -= 1
            }
        }
        // When even the narrowest cut does not fit, the columns that may be cut go, from the right: a table that
        // wraps is harder to read than one without its last columns (`--format csv` has them all).
        var shown = Array(headers.indices)
        if let width {
            func total() -> Int { shown.map { widths[$0] }.reduce(0, +) + 2 * max(0, shown.count - 1) }
            while total() > width, let last = shown.last(where: { !whole.contains($0) }) { shown.removeAll { $0 == last } }
        }
        return ([headers] + rows).map { row in
            let columns = shown.filter { $0 < row.count }
            return columns.map { index in
                let cell = Self.fit(row[index], widths[index])
                return index == columns.last ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// A passage on one line: its blocks (list items, paragraphs, one per line or blank-line-separated) are told
    /// apart by slashes instead of running together.
    static func oneLine(_ passage: String) -> String {
        passage.split(whereSeparator: \.isNewline).joined(separator: " / ")
    }

    /// `text` broken at spaces into lines of at most `width` characters (a word longer than a line is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let piece = fit(String(word), width)
            if line.isEmpty {
                line = piece
            } else if line.count + 1 + piece.count <= width {
                line += " " + piece
            } else {
                lines.append(line)
                line = piece
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static func fit(_ text: String, _ width: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }
}

/// RFC 4180 CSV in which no cell can start a spreadsheet formula: a cell beginning with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading apostrophe, because text from fetched pages ends up in these cells.
enum CSV {
    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",")
    }

    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Double {
    /// A score as people read it: two decimals.
    var scoreText: String { String(format: "%.2f", self) }
}
