import Foundation
import SPScanTestSupport
import Testing

@testable import SPScanModel

@Suite("CASE 1.1 export and import")
struct CASETests {
    static let fixtures = CLIRunner.packageRoot.appendingPathComponent("Tests/SPScanModelTests/Fixtures/case")

    static func shipped() throws -> Framework {
        try FrameworkLoader.load(from: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"))
    }

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    /// Import, then write and read back the YAML, as `framework import` and a later command do.
    static func roundTrip(_ data: Data, file: String = "package.json") throws -> (Framework, String) {
        let imported = try CASEImport.read(data, file: file).framework
        let yaml = FrameworkWriter.yaml(imported)
        let (loaded, diagnostics) = FrameworkLoader.parse(yaml, file: "Framework.yaml")
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        return (try #require(loaded), yaml)
    }

    @Test("name-based identifiers are RFC 9562 version 5 UUIDs (checked against Python's uuid.uuid5)")
    func derivedIdentifiers() {
        // uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "spscan"), "test")
        #expect(CASEIdentifier.derived("test") == "4d692ade-3709-51ac-a05a-9fc985aa3d4f")
        #expect(CASEIdentifier.derived("spscan", under: "6ba7b811-9dad-11d1-80b4-00c04fd430c8") == "43c8f925-c9eb-5832-a53e-f94f495bba47")
    }

    @Test("the shipped framework exports to a CFPackage the 1EdTech schema accepts")
    func exportValidates() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path("case.json")
        try Self.shipped().casePackage().jsonData().write(to: file)
        #expect(try CASESchema.problems(in: file) == [])
    }

    @Test("the export has the document, an item per domain and competency, the tree and French twins")
    func exportShape() throws {
        let framework = try Self.shipped()
        let package = framework.casePackage()
        #expect(package.document.identifier == framework.uuid)
        #expect(package.document.caseVersion == "1.1")
        let english = package.items.filter { $0.language == "en" }
        #expect(english.count == framework.domains.count + framework.competencies.count)
        let is4 = try #require(english.first { $0.humanCodingScheme == "IS-4" })
        #expect(is4.fullStatement == "Motivation and behaviour change")
        #expect(is4.notes == framework.competency(id: "IS-4")?.description)
        #expect(is4.identifier == framework.competency(id: "IS-4")?.uuid)
        let parent = try #require(
            package.associations.first { $0.associationType == "isChildOf" && $0.originNodeURI.identifier == is4.identifier })
        #expect(parent.destinationNodeURI.identifier == framework.domain(id: "IS")?.uuid)
        #expect(parent.sequenceNumber == 4)
        let french = try #require(
            package.associations.first { $0.associationType == "isTranslationOf" && $0.destinationNodeURI.identifier == is4.identifier })
        #expect(
            package.items.first { $0.identifier == french.originNodeURI.identifier }?.fullStatement
                == "Motivation et changement de comportement")
        let identifiers = package.items.map(\.identifier) + package.associations.map(\.identifier)
        #expect(Set(identifiers).count == identifiers.count)
    }

    @Test("two exports of the same framework are byte-identical")
    func exportIsDeterministic() throws {
        let first = try Self.shipped().casePackage().jsonData()
        let second = try Self.shipped().casePackage().jsonData()
        #expect(first == second)
    }

    @Test("a framework without uuid keys still exports the same identifiers every time")
    func derivedWithoutUUIDs() throws {
        var framework = try Self.shipped()
        framework.uuid = nil
        for index in framework.domains.indices {
            framework.domains[index].uuid = nil
            for inner in framework.domains[index].competencies.indices { framework.domains[index].competencies[inner].uuid = nil }
        }
        // The shipped uuids were derived this way, so dropping them changes nothing.
        #expect(try framework.casePackage().jsonData() == (try Self.shipped().casePackage().jsonData()))
    }

    @Test("export then import gives back the names, descriptions, French names and ids; import-export-import is stable")
    func shippedRoundTrip() throws {
        let framework = try Self.shipped()
        let (imported, yaml) = try Self.roundTrip(try framework.casePackage().jsonData())
        #expect(imported.uuid == framework.uuid)
        #expect(imported.domains.map(\.id) == framework.domains.map(\.id))
        #expect(imported.competencies.map(\.id) == framework.competencies.map(\.id))
        #expect(imported.competencies.map(\.name) == framework.competencies.map(\.name))
        #expect(imported.competencies.map(\.nameFrench) == framework.competencies.map(\.nameFrench))
        #expect(imported.competencies.map(\.description) == framework.competencies.map(\.description))
        #expect(imported.competencies.allSatisfy { !$0.hasVocabulary })
        let (again, yamlAgain) = try Self.roundTrip(try imported.casePackage().jsonData())
        #expect(again == imported)
        #expect(yamlAgain == yaml)
    }

    @Test("a deep OpenSALT-like CASE 1.0 tree becomes domains of leaf competencies in sequence order")
    func deepTree() throws {
        let data = try Self.fixture("opensalt-deep-tree.json")
        let result = try CASEImport.read(data, file: "opensalt-deep-tree.json")
        let framework = result.framework
        #expect(framework.title == "Community Navigator Standards")
        #expect(framework.version == "2.1")
        #expect(framework.creator == "Example Health Workforce Council")
        #expect(
            framework.domains.map(\.name) == [
                "**Working with people** The navigator's work with one person.", "Working with communities", "Other competencies",
            ])
        #expect(framework.domains.map(\.code) == ["1", "2", nil])
        let people = framework.domains[0]
        #expect(people.competencies.map(\.code) == ["1.A.1", "1.A.3", "1.A.2", "1.B.1", "1.B.2.i", "1.B.2.ii"])
        #expect(people.competencies.map(\.id) == (1...6).map { "\(people.id)-\($0)" })
        #expect(people.competencies[1].name == "Keeps a *non-judgemental* stance throughout.")
        #expect(people.competencies[4].description.hasSuffix("(under 1.B Planning together › 1.B.2 Reviewing plans)"))
        // Upper-case identifiers are read as the lower-case UUIDs CASE asks for.
        #expect(CASEIdentifier.isUUID(try #require(people.competencies[0].uuid)))
        // The second parent of 2.2 is ignored: it stays under strand 2.
        #expect(framework.domains[1].competencies.map(\.code) == ["2.1", "2.2"])
        #expect(framework.domains[2].competencies.map(\.name) == ["Looks after their own wellbeing."])
        #expect(result.foldedGroups == 3)
        #expect(result.otherAssociations == 1)
        let (loaded, yaml) = try Self.roundTrip(data)
        #expect(loaded == framework)
        let (again, yamlAgain) = try Self.roundTrip(try loaded.casePackage().jsonData())
        #expect(again == loaded)
        #expect(yamlAgain == yaml)
    }

    @Test("text beyond the Basic Multilingual Plane and French translations survive import and export")
    func nonBMP() throws {
        let data = try Self.fixture("non-bmp-translations.json")
        let (framework, yaml) = try Self.roundTrip(data)
        #expect(framework.title == "Cadre 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 des agents de liaison")
        #expect(framework.creator == "Équipe 🌍 santé")
        let domain = try #require(framework.domain(id: "CN"))
        #expect(domain.nameFrench == "Mettre en lien 🤝")
        #expect(domain.description == "Links to 𠀀 community 𝄞 groups.")
        #expect(domain.competencies.map(\.id) == ["CN-1", "CN-7"])
        #expect(domain.competencies[0].name == "Warm hand-offs 🔥 to 𠮷野家 groups")
        #expect(domain.competencies[0].nameFrench == "Références chaleureuses 🔥")
        #expect(domain.competencies[1].nameFrench == nil)
        let directory = try TemporaryDirectory()
        let file = directory.path("out.json")
        try framework.casePackage().jsonData().write(to: file)
        #expect(try CASESchema.problems(in: file) == [])
        let (again, yamlAgain) = try Self.roundTrip(try Data(contentsOf: file))
        #expect(again == framework)
        #expect(yamlAgain == yaml)
    }

    @Test("a file that is not CASE is refused, naming the first field at fault")
    func notCASE() throws {
        #expect(
            throws: CASEImportError(
                file: "not-case.json", field: "CFDocument",
                "missing; a CASE package is an object with CFDocument, CFItems and CFAssociations, and this one has `items`, `name`")
        ) {
            try CASEImport.read(try Self.fixture("not-case.json"), file: "not-case.json")
        }
        #expect(
            throws: CASEImportError(
                file: "x.json", field: "", "the file holds a list; a CASE package is an object with CFDocument, CFItems and CFAssociations")
        ) {
            try CASEImport.read(Data("[1, 2]".utf8), file: "x.json")
        }
        let error = #expect(throws: CASEImportError.self) { try CASEImport.read(Data("{\"CFDocument\": ".utf8), file: "x.json") }
        #expect(error?.localizedDescription.hasPrefix("x.json is not a CASE 1.0 or 1.1 package: it is not JSON") == true)

        var package = try JSONSerialization.jsonObject(with: try Self.fixture("non-bmp-translations.json")) as? [String: Any] ?? [:]
        var items = package["CFItems"] as? [[String: Any]] ?? []
        items[1].removeValue(forKey: "fullStatement")
        package["CFItems"] = items
        let broken = try JSONSerialization.data(withJSONObject: package)
        #expect(throws: CASEImportError(file: "p.json", field: "CFItems[1].fullStatement", "missing; it is required")) {
            try CASEImport.read(broken, file: "p.json")
        }
        items[1]["fullStatement"] = "ok"
        items[1]["identifier"] = "item-2"
        package["CFItems"] = items
        #expect(throws: CASEImportError(file: "p.json", field: "CFItems[1].identifier", "'item-2' is not a UUID")) {
            try CASEImport.read(try JSONSerialization.data(withJSONObject: package), file: "p.json")
        }
    }

    @Test("an imported framework loads with a warning per competency without vocabulary")
    func missingVocabularyWarns() throws {
        let imported = try CASEImport.read(try Self.fixture("non-bmp-translations.json"), file: "p.json").framework
        let (_, diagnostics) = FrameworkLoader.parse(FrameworkWriter.yaml(imported), file: "Framework.yaml")
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
        #expect(
            diagnostics.map(\.message) == [
                "competency 'CN-1': no vocabulary yet, so it is never tagged; add terms under `terms: {en: [...], fr: [...]}`",
                "competency 'CN-7': no vocabulary yet, so it is never tagged; add terms under `terms: {en: [...], fr: [...]}`",
            ])
    }

    @Test("the writer reproduces the shipped framework, vocabulary included")
    func writerKeepsVocabulary() throws {
        let framework = try Self.shipped()
        let (loaded, diagnostics) = FrameworkLoader.parse(FrameworkWriter.yaml(framework), file: "Framework.yaml")
        #expect(diagnostics.isEmpty)
        #expect(loaded == framework)
    }

    @Test("framework JSON writes vocabularies keyed by language and the same bytes every time")
    func frameworkJSON() throws {
        let framework = try Self.shipped()
        let first = try JSONStyle.data(framework)
        #expect(first == (try JSONStyle.data(try Self.shipped())))
        let object = try JSONSerialization.jsonObject(with: first) as? [String: Any]
        let domains = object?["domains"] as? [[String: Any]]
        let competency = (domains?.first?["competencies"] as? [[String: Any]])?.first
        let terms = competency?["terms"] as? [String: Any]
        #expect(terms.map { Set($0.keys) } == ["en", "fr"])
        #expect(competency?["name_french"] as? String == "Conversations centrées sur la personne")
        #expect(try JSONStyle.decoder().decode(Framework.self, from: first) == framework)
    }
}
