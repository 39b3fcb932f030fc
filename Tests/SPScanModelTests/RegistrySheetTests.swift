import Foundation
import SPScanTestSupport
import Testing

@testable import SPScanModel

@Suite("Sources from a spreadsheet and back")
struct RegistrySheetTests {
    static let shippedText: String = {
        (try? String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("Sources.yaml"), encoding: .utf8)) ?? ""
    }()

    static let small = """
        # My registry.
        institutions:
          - id: example-college
            name: Example College
            type: university
            country: CA

        sources:
          # The first one.
          - id: ca-one
            url: https://example.org/one   # the landing page
            title: One
            country: CA
            institution: example-college
            kind: training
            target_groups: [link-workers]
            notes: Old notes.

          # The second one.
          - id: ca-two
            url: https://example.org/two
            title: Two
            country: CA
            institution: example-college
            kind: guide
            target_groups: [public]
        # The end.

        """

    @Test("CSV per RFC 4180: quotes, doubled quotes, embedded line breaks, CRLF and a byte order mark")
    func csvParsing() throws {
        let text = "\u{FEFF}id,notes\r\na,\"one, two\"\r\nb,\"say \"\"hi\"\"\nand go\"\r\nc,\n"
        let records = try CSV.parse(text)
        #expect(records.map(\.fields) == [["id", "notes"], ["a", "one, two"], ["b", "say \"hi\"\nand go"], ["c", ""]])
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(try CSV.parse(CSV.write(records.map(\.fields))).map(\.fields) == records.map(\.fields))
        #expect(throws: CSV.ParseError(line: 2, problem: "a quoted field is never closed; add the closing quote")) {
            try CSV.parse("id\n\"open\n")
        }
    }

    @Test("exporting the shipped registry and importing it back changes nothing, byte for byte")
    func exportImportSame() throws {
        let registry = try #require(RegistryLoader.parse(Self.shippedText, file: "Sources.yaml").0)
        let csv = CSV.write(RegistrySheet.rows(of: registry))
        let merge = RegistrySheet.merge(try .csv(csv), into: Self.shippedText, file: "Sources.yaml")
        #expect(merge.problems.isEmpty, "\(merge.problems)")
        #expect(merge.updated == [])
        #expect(merge.unchanged == registry.sources.count)
        #expect(merge.text == Self.shippedText)
    }

    @Test("importing the export into an empty registry gives the same registry")
    func importIntoEmpty() throws {
        let registry = try #require(RegistryLoader.parse(Self.shippedText, file: "Sources.yaml").0)
        let rows = RegistrySheet.rows(of: registry)
        let head = try #require(Self.shippedText.range(of: "\nsources:\n"))
        let empty = String(Self.shippedText[..<head.lowerBound]) + "\nsources: []\n"
        let merge = RegistrySheet.merge(try .csv(CSV.write(rows)), into: empty, file: "Sources.yaml")
        #expect(merge.problems.isEmpty, "\(merge.problems.prefix(5))")
        #expect(merge.added.count == registry.sources.count)
        let (imported, diagnostics) = RegistryLoader.parse(merge.text, file: "Sources.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(5))")
        #expect(RegistrySheet.rows(of: try #require(imported)) == rows)
    }

    @Test("an update edits only the changed values; comments, order and other sources stay as written")
    func keepsComments() throws {
        let csv = """
            id,notes,target_groups,populations
            ca-one,"New notes, with a comma.",link-workers; students,
            ca-three,,public,older-adults
            """
        // ca-three is new and lacks required fields: nothing is written.
        let refused = RegistrySheet.merge(try .csv(csv), into: Self.small, file: "Sources.yaml")
        #expect(refused.hasErrors)
        #expect(refused.text == Self.small)
        #expect(refused.problems.map(\.description).contains("row 3, column url: missing required `url`"), "\(refused.problems)")

        let update = """
            id,notes,target_groups,populations,url,title,country,institution,kind
            ca-one,"New notes, with a comma.",link-workers; students,,https://example.org/one,One,CA,example-college,training
            ca-three,,public,older-adults,https://example.org/three,Three,CA,Example College,report
            """
        let merge = RegistrySheet.merge(try .csv(update), into: Self.small, file: "Sources.yaml")
        #expect(merge.problems.isEmpty, "\(merge.problems)")
        #expect(merge.updated == ["ca-one"])
        #expect(merge.added == ["ca-three"])
        let expected = Self.small
            .replacingOccurrences(
                of: "    target_groups: [link-workers]\n    notes: Old notes.",
                with: "    target_groups: [link-workers, students]\n    notes: New notes, with a comma."
            )
            .replacingOccurrences(
                of: "    target_groups: [public]\n# The end.",
                with: """
                        target_groups: [public]
                      - id: ca-three
                        url: https://example.org/three
                        title: Three
                        country: CA
                        institution: example-college
                        kind: report
                        target_groups: [public]
                        populations: [older-adults]
                    # The end.
                    """)
        #expect(merge.text == expected)
    }

    @Test("every bad cell is reported with its row and column in one run, and nothing is written")
    func allErrorsAtOnce() throws {
        let csv = """
            id,url,title,country,institution,institution_type,kind,target_groups,year,colour
            ca-a,https://example.org/a,A,CA,example-college,university,training,youth,2024,
            ca-b,ftp://example.org/b,B,XX,example-college,university,training,public,1900,
            ca-a,https://example.org/c,C,CA,example-college,university,training,public,,
            """
        let merge = RegistrySheet.merge(try .csv(csv), into: Self.small, file: "Sources.yaml")
        let lines = merge.problems.map(\.description)
        #expect(merge.text == Self.small)
        #expect(lines.contains { $0.hasPrefix("row 1, column colour: unknown column") })
        #expect(lines.contains { $0.hasPrefix("row 2, column target_groups: unknown target group 'youth'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("row 3, column url: URL scheme 'ftp' is not fetched") })
        #expect(lines.contains { $0.hasPrefix("row 3, column country: unknown country 'XX'") })
        #expect(lines.contains { $0.hasPrefix("row 3, column year: `year` is 1900") })
        #expect(lines.contains("row 4, column id: 'ca-a' is also on row 2; a source is one row"))
    }

    @Test("a 2,000-row spreadsheet imports in one pass")
    func twoThousandRows() throws {
        var rows = [["id", "url", "title", "country", "institution", "institution_type", "kind", "target_groups", "notes"]]
        for index in 1...2000 {
            rows.append([
                "ca-bulk-\(index)", "https://example.org/bulk/\(index)", "Bulk \(index)", "CA", "Example College", "charity", "guide",
                "public; link-workers", "Line one, \"quoted\".\nLine two.",
            ])
        }
        let merge = RegistrySheet.merge(try .csv(CSV.write(rows)), into: Self.small, file: "Sources.yaml")
        #expect(!merge.hasErrors, "\(merge.problems.prefix(3))")
        #expect(merge.added.count == 2000)
        #expect(try #require(RegistryLoader.parse(merge.text, file: "Sources.yaml").0).sources.count == 2002)
    }
}
