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
        } catch let error as CatalogError {
            if case .notBuilt = error {
                throw CommandProblem.badInput(CatalogError.notBuilt(path: ProjectPaths.display(paths.catalog)).localizedDescription)
            }
            throw CommandProblem.badInput(error.localizedDescription)
        }
    }

    /// The framework's competency for a user's spelling (any case), or exit 2 with every allowed id.
    /// The competency an id, a name or a fragment of one names; says on standard error which one a name found.
    static func competency(_ text: String, in framework: Framework) throws -> Competency {
        do {
            let (competency, exact) = try CompetencyLookup.resolve(text, in: framework)
            if !exact { printError("'\(text)': \(competency.id) \(competency.name)") }
            return competency
        } catch {
            throw CommandProblem.badInput(error.localizedDescription)
        }
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
/// one line.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    var maxWidth = 48

    func render() -> String {
        let cells = ([headers] + rows).map { row in row.map { Self.fit($0, maxWidth) } }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        return cells.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// A passage on one line: its blocks (list items, paragraphs, one per line or blank-line-separated) are told
    /// apart by slashes instead of running together.
    static func oneLine(_ passage: String) -> String {
        passage.split(whereSeparator: \.isNewline).joined(separator: " / ")
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
