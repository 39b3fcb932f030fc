import Foundation
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("spscan tag and spscan framework terms")
struct TagCommandTests {
    struct Output: Decodable {
        struct TagEntry: Decodable {
            var competency: String
            var domain: String
            var score: Double
            var evidence: [EvidenceEntry]
        }
        struct EvidenceEntry: Decodable {
            var text: String
            var start: Int
            var end: Int
            var terms: [String]
            var spans: [SpanEntry]
        }
        struct SpanEntry: Decodable {
            var start: Int
            var end: Int
            var term: String
        }
        struct Discounted: Decodable {
            var competency: String
            var term: String
            var reason: String
        }
        var language: String
        var tags: [TagEntry]
        var withheld: [TagEntry]
        var nearMisses: [TagEntry]?
        var discounted: [Discounted]?
    }

    let document = """
        Safeguarding Adults

        This half-day workshop for social prescribing link workers teaches safeguarding: how to recognise abuse and \
        neglect, and how to report a concern to the designated officer.

        Course fees and booking

        The fee is £95. This course does not cover motivational interviewing.
        """

    func project() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLIRunner.packageRoot.appendingPathComponent("Framework.yaml"), to: directory.path("Framework.yaml"))
        return directory
    }

    @Test("tags a text file: JSON with the tag, its score and evidence spans that point at the terms")
    func json() throws {
        let directory = try project()
        try directory.write(document, to: "course.txt")
        let result = try CLIRunner.run(["tag", "course.txt", "--format", "json"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let output = try JSONStyle.decoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.language == "en")
        #expect(output.nearMisses == nil)
        let tag = try #require(output.tags.first)
        #expect(tag.competency == "IS-7")
        #expect(tag.domain == "IS")
        #expect(tag.score > 0.6 && tag.score <= 1)
        #expect(!output.tags.contains { $0.competency == "IS-4" })
        let evidence = try #require(tag.evidence.first)
        let scalars = Array(evidence.text.unicodeScalars)
        for span in evidence.spans {
            let found = String(String.UnicodeScalarView(scalars[span.start..<span.end])).lowercased()
            #expect(found.hasPrefix(String(span.term.lowercased().prefix(4))), "\(found) for \(span.term)")
        }
        let text = Array(document.unicodeScalars)
        #expect(String(String.UnicodeScalarView(text[evidence.start..<evidence.end])) == evidence.text)
    }

    @Test("a text outside the field claims no tag: the tags are shown as withheld, with the scope judgement")
    func outOfScopeWithheld() throws {
        let directory = try project()
        let outside = """
            Safeguarding at the bank

            Tellers learn to spot financial abuse and neglect of older customers, and how to report a concern.
            """
        try directory.write(outside, to: "bank.txt")
        let json = try CLIRunner.run(["tag", "bank.txt", "--format", "json"], in: directory.url)
        #expect(json.exitCode == 0, "\(json.stderr)")
        let output = try JSONStyle.decoder().decode(Output.self, from: Data(json.stdout.utf8))
        #expect(output.tags.isEmpty)
        #expect(output.withheld.map(\.competency) == ["IS-7"])
        #expect(output.withheld.first?.evidence.first?.terms.contains("report a concern") == true)
        let text = try CLIRunner.run(["tag", "bank.txt"], in: directory.url)
        #expect(text.stdout.hasPrefix("No tag claimed: the document is judged out of scope (below).\n"), "\(text.stdout)")
        #expect(text.stdout.contains("\nOut of scope: "))
        #expect(text.stdout.contains("Withheld because the document is out of scope"))
        #expect(text.stdout.contains("IS-7  "))
    }

    @Test("reads standard input; --explain shows the negated mention and near misses")
    func standardInputExplain() throws {
        let directory = try project()
        let result = try CLIRunner.run(
            ["tag", "-", "--format", "json", "--explain"], in: directory.url, stdin: Data(document.utf8))
        #expect(result.exitCode == 0, "\(result.stderr)")
        let output = try JSONStyle.decoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.nearMisses != nil)
        let discounted = try #require(output.discounted)
        #expect(discounted.contains { $0.competency == "IS-4" && $0.term == "motivational interviewing" && $0.reason == "negated" })
    }

    @Test("the text format marks the matched words and a French text is detected as French")
    func textFormat() throws {
        let directory = try project()
        try directory.write(
            """
            Module 3 : Évaluer les besoins

            Les agents de liaison en prescription sociale apprendront à mener une évaluation globale des besoins \
            sociaux : logement, revenu et sécurité alimentaire, avec des outils de dépistage validés.
            """, to: "module.txt")
        let result = try CLIRunner.run(["tag", "module.txt"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("IS-2"), "\(result.stdout)")
        #expect(result.stdout.contains("[évaluation globale]"))
        let json = try CLIRunner.run(["tag", "module.txt", "--format", "json"], in: directory.url)
        #expect(try JSONStyle.decoder().decode(Output.self, from: Data(json.stdout.utf8)).language == "fr")
    }

    @Test("a missing file is bad input: exit 2 and a message that says what to do")
    func missingFile() throws {
        let directory = try project()
        let result = try CLIRunner.run(["tag", "nowhere.txt"], in: directory.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("cannot read nowhere.txt: no such file"))
        #expect(result.stderr.contains("pass `-` to read standard input"))
    }

    @Test("an unknown --language is a usage error (exit 2) that names the choices")
    func unknownLanguage() throws {
        let directory = try project()
        try directory.write("Some text.", to: "a.txt")
        let result = try CLIRunner.run(["tag", "a.txt", "--language", "xx"], in: directory.url)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("unknown language 'xx'; use en, fr, es, de, pt, it, nl or und"))
    }

    /// Spanish shares many words with French (`de`, `la`, `en`); matched with French terms it would be tagged.
    let spanish = """
        Evaluación de las necesidades

        El trabajador de enlace realiza una evaluación global de las necesidades sociales de cada persona: vivienda, \
        ingresos y seguridad alimentaria. Escucha lo que le importa, acuerda un plan de apoyo y la acompaña a los \
        servicios de su comunidad, con una escucha activa y sin juicios.
        """

    @Test("a Spanish text gets no tags and says why: the framework has no Spanish vocabulary")
    func spanishText() throws {
        let directory = try project()
        try directory.write(spanish, to: "modulo.txt")
        let result = try CLIRunner.run(["tag", "modulo.txt", "--format", "json"], in: directory.url)
        #expect(result.exitCode == 0, "\(result.stderr)")
        struct Other: Decodable {
            var language: String
            var outcome: String
            var reason: String?
            var tags: [Output.TagEntry]
        }
        let output = try JSONStyle.decoder().decode(Other.self, from: Data(result.stdout.utf8))
        #expect(output.language == "es")
        #expect(output.outcome == "other_language")
        #expect(output.tags.isEmpty)
        #expect(output.reason == "in Spanish; the framework has no Spanish vocabulary (it has English and French)")
        let text = try CLIRunner.run(["tag", "modulo.txt"], in: directory.url)
        #expect(text.exitCode == 0)
        #expect(text.stdout.hasPrefix("Not tagged: in Spanish; the framework has no Spanish vocabulary"), "\(text.stdout)")
        // The same text forced to French is matched with the French terms: what detection now prevents.
        let forced = try CLIRunner.run(["tag", "modulo.txt", "--language", "fr", "--format", "json"], in: directory.url)
        #expect(try JSONStyle.decoder().decode(Other.self, from: Data(forced.stdout.utf8)).outcome == "matched")
    }

    @Test("framework terms lists each competency's compiled stems")
    func terms() throws {
        struct List: Decodable {
            struct Term: Decodable {
                var language: String
                var term: String
                var stems: [String]
            }
            var competency: String
            var terms: [Term]
        }
        let result = try CLIRunner.run(["framework", "terms", "--format", "json"], in: CLIRunner.packageRoot)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lists = try JSONStyle.decoder().decode([List].self, from: Data(result.stdout.utf8))
        #expect(lists.count == 25)
        let first = try #require(lists.first { $0.competency == "IS-1" })
        #expect(first.terms.contains { $0.language == "en" && $0.term == "active listening" && $0.stems == ["activ", "listen~ing"] })
        #expect(first.terms.contains { $0.language == "fr" && $0.term == "écoute active" && $0.stems == ["ecout", "activ"] })
        let text = try CLIRunner.run(["framework", "terms"], in: CLIRunner.packageRoot)
        #expect(text.stdout.contains("en  active listening  →  activ listen~ing  weight 2"))
        #expect(text.stdout.contains("en  exclude self-care  →  selfcar"))
    }
}
