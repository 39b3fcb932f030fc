import Foundation
import Testing

@testable import SPScanModel

@Suite("Sources.yaml loading and validation")
struct RegistryLoaderTests {
    static let validSource = """
        sources:
          - id: ca-example-course
            url: https://example.ca/course
            title: Example course
            country: CA
            region: ON
            institution: Example College
            institution_type: university
            kind: training
            target_groups: [link-workers, students]
            populations: [older-adults]
            language: fr
            year: 2024
        """

    func errors(_ yaml: String) -> [Diagnostic] {
        RegistryLoader.parse(yaml, file: "Sources.yaml").1.filter { $0.severity == .error }
    }

    func error(line: Int, column: Int, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: SourceLocation(file: "Sources.yaml", line: line, column: column), message)
    }

    @Test("a valid source loads with its facets, and defaults apply")
    func loadsValidSource() throws {
        let (registry, diagnostics) = RegistryLoader.parse(Self.validSource, file: "Sources.yaml")
        #expect(diagnostics.isEmpty)
        let source = try #require(registry?.sources.first)
        #expect(source.id == "ca-example-course")
        #expect(source.country == .canada)
        #expect(source.region == "ON")
        #expect(source.institutionType == .university)
        #expect(source.kind == .training)
        #expect(source.targetGroups == [.linkWorkers, .students])
        #expect(source.populations == [.olderAdults])
        #expect(source.language == .french)
        #expect(source.year == 2024)
        #expect(source.settings == CrawlSettings())
    }

    @Test("UK is accepted as GB")
    func ukAlias() throws {
        let yaml = Self.validSource.replacingOccurrences(of: "country: CA", with: "country: UK")
        #expect(RegistryLoader.parse(yaml, file: "Sources.yaml").0?.sources.first?.country == .unitedKingdom)
    }

    @Test("defaults and per-source overrides, with sizes and durations as people write them")
    func crawlSettings() throws {
        let yaml = """
            defaults:
              politeness_delay: 500ms
              max_body_size: 10 MiB
              concurrency: 4
            sources:
              - id: a
                url: https://example.org/a
                title: A
                country: IE
                institution: HSE
                institution_type: government
                kind: guide
                target_groups: [clinicians]
                crawl:
                  timeout: 2m
                  per_host_concurrency: 2
                allow_private: true
                schedule: weekly
                follow:
                  depth: 2
                  include: ["*.pdf"]
                  types: [pdf]
            """
        let (registry, diagnostics) = RegistryLoader.parse(yaml, file: "Sources.yaml")
        #expect(diagnostics.isEmpty)
        let registryValue = try #require(registry)
        #expect(registryValue.defaults.politenessDelay == 0.5)
        #expect(registryValue.defaults.maxBodyBytes == 10 * 1_048_576)
        let settings = try #require(registryValue.sources.first?.settings)
        #expect(settings.timeout == 120)
        #expect(settings.perHostConcurrency == 2)
        #expect(settings.concurrency == 4)
        #expect(settings.allowPrivate)
        #expect(registryValue.sources.first?.schedule == .weekly)
        #expect(registryValue.sources.first?.follow == FollowRules(depth: 2, include: ["*.pdf"], types: [.pdf]))
    }

    @Test("an unknown key is reported with a suggestion")
    func unknownKey() {
        let yaml = Self.validSource.replacingOccurrences(of: "    region: ON", with: "    regoin: ON")
        #expect(
            errors(yaml) == [
                error(
                    line: 6, column: 5,
                    "source 'ca-example-course': unknown key `regoin`; did you mean `region`? allowed keys are \(RegistryLoader.sourceKeys.joined(separator: ", "))"
                )
            ])
    }

    @Test("a missing required field names the field")
    func missingField() {
        let yaml = Self.validSource.replacingOccurrences(of: "    title: Example course\n", with: "")
        #expect(errors(yaml) == [error(line: 2, column: 5, "source 'ca-example-course': missing required `title`")])
    }

    @Test("duplicate ids point at the first use")
    func duplicateID() {
        let second = Self.validSource.components(separatedBy: "\n").dropFirst().joined(separator: "\n")
            .replacingOccurrences(of: "https://example.ca/course", with: "https://example.ca/other")
        let yaml = Self.validSource + "\n" + second
        #expect(
            errors(yaml) == [
                error(line: 14, column: 9, "duplicate source id 'ca-example-course' (first used on line 2); ids must be unique")
            ])
    }

    @Test("a URL with another scheme, or none, is refused")
    func badURL() {
        let ftp = Self.validSource.replacingOccurrences(of: "https://example.ca/course", with: "ftp://example.ca/x")
        #expect(
            errors(ftp) == [
                error(line: 3, column: 10, "source 'ca-example-course': URL scheme 'ftp' is not fetched; use an http or https URL")
            ])
        let bare = Self.validSource.replacingOccurrences(of: "https://example.ca/course", with: "example.ca/course")
        #expect(
            errors(bare) == [
                error(
                    line: 3, column: 10,
                    "source 'ca-example-course': 'example.ca/course' is not a valid URL; write it in full, e.g. https://example.org/page")
            ])
    }

    @Test("an unknown country, target group, kind or institution type lists the allowed values")
    func unknownFacets() {
        var yaml = Self.validSource.replacingOccurrences(of: "country: CA", with: "country: UK1")
        yaml = yaml.replacingOccurrences(of: "[link-workers, students]", with: "[link-workers, nurses]")
        yaml = yaml.replacingOccurrences(of: "kind: training", with: "kind: trainng")
        yaml = yaml.replacingOccurrences(of: "institution_type: university", with: "institution_type: school")
        #expect(
            errors(yaml) == [
                error(line: 5, column: 14, "source 'ca-example-course': unknown country 'UK1'; use CA, GB, IE or SG"),
                error(
                    line: 8, column: 23, "source 'ca-example-course': unknown institution type 'school'; use \(InstitutionType.allowedList)"
                ),
                error(
                    line: 9, column: 11,
                    "source 'ca-example-course': unknown kind 'trainng'; did you mean `training`? use \(DocumentKind.allowedList)"),
                error(line: 10, column: 35, "source 'ca-example-course': unknown target group 'nurses'; use \(TargetGroup.allowedList)"),
            ])
    }

    @Test("ids must be kebab-case, and target groups may not be empty")
    func idShapeAndEmptyGroups() {
        var yaml = Self.validSource.replacingOccurrences(of: "id: ca-example-course", with: "id: CA_Example")
        yaml = yaml.replacingOccurrences(of: "[link-workers, students]", with: "[]")
        let found = errors(yaml).map(\.message)
        #expect(found.count == 2)
        #expect(found[0].contains("id must be kebab-case"))
        #expect(found[1].contains("`target_groups` is empty"))
    }

    @Test("limits out of range and malformed durations are reported")
    func badSettings() {
        let yaml = """
            defaults:
              concurrency: 0
              timeout: soon
              max_body_size: lots
            sources: []
            """
        #expect(
            errors(yaml) == [
                error(line: 2, column: 16, "defaults: `concurrency` is 0; use a whole number from 1 to 256"),
                error(line: 3, column: 12, "defaults: `timeout` must be a duration such as 30, 30s, 500ms, 5m or 12h"),
                error(line: 4, column: 18, "defaults: `max_body_size` must be a size such as 1048576, 500 KiB or 25 MiB"),
            ])
    }

    @Test("a YAML syntax error gives libyaml's line and column")
    func syntaxError() throws {
        let found = errors("sources:\n  - id: a\n   url: [unclosed\n")
        let first = try #require(found.first)
        #expect(found.count == 1)
        #expect(first.location?.line == 3)
        #expect(first.message.hasPrefix("YAML syntax:"))
    }

    @Test("every problem in a file is reported at once")
    func reportsAllProblems() {
        let yaml = """
            sources:
              - id: one
                url: https://example.org/1
                title: One
                country: XX
                institution: I
                institution_type: charity
                kind: guide
                target_groups: [public]
              - id: two
                url: mailto:someone@example.org
                title: Two
                country: SG
                institution: I
                institution_type: charity
                kind: guide
                target_groups: [public]
                colour: blue
            """
        #expect(errors(yaml).count == 3)
    }
}

@Suite("Glob, durations and sizes")
struct ValueParsingTests {
    @Test func glob() {
        #expect(Glob.matches("*.pdf", "https://x.org/a/b.pdf"))
        #expect(!Glob.matches("*.pdf", "https://x.org/a/b.pdf?x=1"))
        #expect(Glob.matches("https://x.org/*/outline*", "https://x.org/course/outline-2.docx"))
        #expect(!Glob.matches("https://x.org/news/*", "https://x.org/course/news"))
    }

    @Test func durationsAndSizes() {
        #expect(Duration.seconds(from: "500ms") == 0.5)
        #expect(Duration.seconds(from: "12h") == 43_200)
        #expect(Duration.seconds(from: "1.5") == 1.5)
        #expect(Duration.seconds(from: "-3s") == nil)
        #expect(ByteSize.bytes(from: "25 MiB") == 26_214_400)
        #expect(ByteSize.bytes(from: "500KB") == 500_000)
        #expect(ByteSize.bytes(from: "many") == nil)
        #expect(Schedule(spelling: "daily") == .daily)
        #expect(Schedule(spelling: "3d")?.interval == 259_200)
        #expect(Schedule(spelling: "sometimes") == nil)
    }
}
