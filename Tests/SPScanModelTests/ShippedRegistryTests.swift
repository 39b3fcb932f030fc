import Foundation
import SPScanTestSupport
import Testing

@testable import SPScanModel

/// Checks the Sources.yaml and Samples/ that ship with the repository, not a fixture: the offline scan and the
/// coverage matrix are only as good as this registry, so its promises are pinned here.
@Suite("The shipped registry and its samples")
struct ShippedRegistryTests {
    static let root = CLIRunner.packageRoot
    static let samples = root.appendingPathComponent("Samples")
    static let marker = "Authored sample by the spscan team"

    /// Canadian provinces and territories, as Canada Post abbreviates them.
    static let canadianRegions: Set<String> = [
        "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
    ]
    static let britishRegions: Set<String> = ["England", "Scotland", "Wales", "Northern Ireland"]
    /// The 26 counties of the Republic of Ireland.
    static let irishRegions: Set<String> = [
        "Carlow", "Cavan", "Clare", "Cork", "Donegal", "Dublin", "Galway", "Kerry", "Kildare", "Kilkenny", "Laois",
        "Leitrim", "Limerick", "Longford", "Louth", "Mayo", "Meath", "Monaghan", "Offaly", "Roscommon", "Sligo",
        "Tipperary", "Waterford", "Westmeath", "Wexford", "Wicklow",
    ]
    /// Singapore's five planning regions.
    static let singaporeRegions: Set<String> = ["Central", "East", "North", "North-East", "West"]

    static func allowedRegions(for country: Country) -> Set<String> {
        switch country {
        case .canada: canadianRegions
        case .unitedKingdom: britishRegions
        case .ireland: irishRegions
        case .singapore: singaporeRegions
        }
    }

    func registryText() throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent("Sources.yaml"), encoding: .utf8)
    }

    func sources() throws -> [Source] {
        try RegistryLoader.load(from: Self.root.appendingPathComponent("Sources.yaml"), displayPath: "Sources.yaml").sources
    }

    @Test("Sources.yaml loads with no errors and no warnings")
    func loadsCleanly() throws {
        let (registry, diagnostics) = RegistryLoader.parse(try registryText(), file: "Sources.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect((registry?.sources.count ?? 0) >= 60)
    }

    @Test("ids and URLs are unique")
    func uniqueIdsAndURLs() throws {
        let sources = try sources()
        let ids = sources.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate ids: \(duplicates(ids))")
        let urls = sources.map(\.url.absoluteString)
        #expect(Set(urls).count == urls.count, "duplicate URLs: \(duplicates(urls))")
    }

    @Test("every URL is https, unless a comment on its line says the site offers no https")
    func httpsEverywhere() throws {
        let lines = try registryText().split(separator: "\n", omittingEmptySubsequences: false)
        for source in try sources() where source.url.scheme != "https" {
            let line = lines.first { $0.contains("url:") && $0.contains(source.url.absoluteString) }
            let explained = line.map { $0.contains("#") && $0.lowercased().contains("no https") } ?? false
            #expect(explained, "\(source.id): \(source.url) is not https; use https or explain with `# no https` on its line")
        }
    }

    @Test("each country has at least 10 sources", arguments: Country.allCases)
    func sourcesPerCountry(_ country: Country) throws {
        let count = try sources().count { $0.country == country }
        #expect(count >= 10, "\(country.name) has \(count) sources")
    }

    @Test("regions are spelled as their country spells them")
    func regionsMatchCountry() throws {
        for source in try sources() {
            guard let region = source.region else { continue }
            let allowed = Self.allowedRegions(for: source.country)
            #expect(allowed.contains(region), "\(source.id): region '\(region)' is not one of \(allowed.sorted())")
        }
    }

    @Test("every target group and population in the schema is covered by some source")
    func facetsCovered() throws {
        let sources = try sources()
        let groups = Set(sources.flatMap(\.targetGroups))
        #expect(Set(TargetGroup.allCases).subtracting(groups).isEmpty, "uncovered: \(TargetGroup.allCases.filter { !groups.contains($0) })")
        let populations = Set(sources.flatMap(\.populations))
        #expect(
            Set(Population.allCases).subtracting(populations).isEmpty,
            "uncovered: \(Population.allCases.filter { !populations.contains($0) })")
        let types = Set(sources.map(\.institutionType))
        #expect(Set(InstitutionType.allCases).subtracting(types).isEmpty)
        let kinds = Set(sources.map(\.kind))
        #expect(Set(DocumentKind.allCases).subtracting(kinds).isEmpty)
    }

    @Test("French-language Canadian material is represented")
    func frenchCanadianSources() throws {
        let french = try sources().filter { $0.country == .canada && $0.language == .french }
        #expect(french.count >= 4, "only \(french.map(\.id))")
    }

    @Test("every source has exactly one sample, in its published format")
    func everySourceHasASample() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.samples.path)
        for source in try sources() {
            let expected = "\(source.id).\((source.format ?? .html).rawValue)"
            let found = files.filter { ($0 as NSString).deletingPathExtension == source.id }
            #expect(found == [expected], "\(source.id): expected Samples/\(expected), found \(found)")
        }
    }

    @Test("every sample belongs to a source")
    func noOrphanSamples() throws {
        let ids = Set(try sources().map(\.id))
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.samples.path).filter { !$0.hasPrefix(".") }
        let orphans = files.filter { !ids.contains(($0 as NSString).deletingPathExtension) }
        #expect(orphans.isEmpty, "samples without a source in Sources.yaml: \(orphans.sorted())")
    }

    @Test("HTML samples say near the top that they are authored samples, not captures")
    func htmlSamplesAreMarked() throws {
        for source in try sources() where (source.format ?? .html) == .html {
            let url = Self.samples.appendingPathComponent("\(source.id).html")
            // A missing file is reported by everySourceHasASample; here only the marker is checked.
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let head = String(text.prefix(600))
            #expect(head.contains("<!-- \(Self.marker)"), "\(source.id).html lacks the authored-sample comment near the top")
            #expect(text.contains("<meta name=\"spscan-sample\" content=\"authored\">"), "\(source.id).html lacks the sample meta tag")
        }
    }

    @Test("HTML samples carry at least 250 words inside their article, beyond the site chrome")
    func htmlSamplesHaveSubstance() throws {
        for source in try sources() where (source.format ?? .html) == .html {
            let url = Self.samples.appendingPathComponent("\(source.id).html")
            guard let text = try? String(contentsOf: url, encoding: .utf8),
                let start = text.range(of: "<article>"), let end = text.range(of: "</article>")
            else {
                Issue.record("\(source.id).html has no <article> element")
                continue
            }
            let article = text[start.upperBound..<end.lowerBound].replacing(/<[^>]+>/, with: " ")
            let words = article.split(whereSeparator: \.isWhitespace).count
            #expect(words >= 250, "\(source.id).html has \(words) words in its article")
        }
    }

    @Test("PDF and DOCX samples are real files of their format")
    func documentSamplesHaveTheirFormat() throws {
        for source in try sources() {
            let magic: [UInt8]
            switch source.format {
            case .pdf: magic = Array("%PDF-".utf8)
            case .docx: magic = [0x50, 0x4B, 0x03, 0x04]  // a ZIP container
            default: continue
            }
            let ext = source.format?.rawValue ?? ""
            guard let data = try? Data(contentsOf: Self.samples.appendingPathComponent("\(source.id).\(ext)")) else { continue }
            #expect(Array(data.prefix(magic.count)) == magic, "\(source.id).\(ext) does not start like a \(ext) file")
            #expect(data.count > 4_000, "\(source.id).\(ext) is suspiciously small")
        }
    }

    @Test("the corpus of samples stays small enough to ship")
    func samplesFolderIsSmall() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.samples, includingPropertiesForKeys: [.fileSizeKey])
        let total = try files.reduce(0) { $0 + (try $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) }
        #expect(total < 6 * 1024 * 1024, "Samples/ holds \(total) bytes")
    }

    func duplicates(_ values: [String]) -> [String] {
        Dictionary(grouping: values, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    }
}
