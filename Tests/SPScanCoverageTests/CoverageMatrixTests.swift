import SPScanCoverage
import SPScanModel
import Testing

@Suite("Coverage matrix")
struct CoverageMatrixTests {
    let documents = Fixtures.documents
    let framework = Fixtures.framework

    @Test("by institution and competency: counts, best scores, row and column totals")
    func institutionByCompetency() {
        let matrix = CoverageMatrix.build(documents: documents, framework: framework, rows: .institution, columns: .competency)
        #expect(matrix.rows.map(\.label) == ["Alpha University", "Beta Charity", "Delta Health", "Gamma Network"])
        #expect(matrix.rows.map(\.documents) == [2, 1, 1, 1])
        #expect(matrix.columns.map(\.id) == ["AS-1", "AS-2", "CO-1", "CO-2", "CO-3"])
        #expect(matrix.cells.map { $0.map(\.count) } == [[2, 1, 1, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0]])
        #expect(matrix.cells[0].map(\.maxScore) == [0.9, 0.7, 0.5, 0, 0])
        #expect(matrix.columnTotals.map(\.count) == [3, 1, 2, 0, 0])
        #expect(matrix.columnTotals.map(\.maxScore) == [0.9, 0.7, 0.8, 0, 0])
        #expect(matrix.columnTotals[0].share == 0.6)
        #expect(matrix.documents == 5)
    }

    @Test("a document for several target groups counts in each row, and once in the column totals")
    func severalTargetGroups() {
        let matrix = CoverageMatrix.build(
            documents: documents, framework: framework, rows: .targetGroup, columns: .competency, value: .share)
        #expect(matrix.rows.map(\.key) == ["clinicians", "link-workers", "volunteers"])
        #expect(matrix.rows.map(\.documents) == [1, 3, 2])
        #expect(matrix.cells.map { $0.map(\.count) } == [[1, 0, 0, 0, 0], [2, 1, 1, 0, 0], [1, 0, 2, 0, 0]])
        #expect(matrix.value(row: 1, column: 0) == 2.0 / 3.0)
        #expect(matrix.value(row: 2, column: 2) == 1)
        #expect(matrix.columnTotals.map(\.count) == [3, 1, 2, 0, 0])
    }

    @Test("by domain: several tags in one domain count the document once, with the best score")
    func domains() {
        let matrix = CoverageMatrix.build(
            documents: documents, framework: framework, rows: .institution, columns: .domain, value: .maxScore)
        #expect(matrix.columns.map(\.id) == ["AS", "CO"])
        #expect(matrix.cells.map { $0.map(\.count) } == [[2, 1], [0, 1], [1, 0], [0, 0]])
        #expect(matrix.value(row: 0, column: 0) == 0.9)
        #expect(matrix.largestValue == 0.9)
    }

    @Test("a tag for a competency the framework does not have is ignored")
    func unknownCompetency() {
        let matrix = CoverageMatrix.build(documents: documents, framework: framework, rows: .source, columns: .competency)
        let delta = matrix.rows.firstIndex { $0.key == "delta-course" }
        #expect(delta.map { matrix.cells[$0].map(\.count) } == [1, 0, 0, 0, 0])
        #expect(matrix.rows.map(\.key) == ["alpha-guide", "beta-toolkit", "delta-course", "gamma-framework"])
        #expect(matrix.rows.first?.documents == 2)
    }

    @Test("rows by region, country, kind and institution type carry readable labels")
    func labels() {
        func labels(_ rows: RowDimension) -> [String] {
            CoverageMatrix.build(documents: documents, framework: framework, rows: rows, columns: .domain).rows.map(\.label)
        }
        #expect(labels(.region) == ["Canada: ON", "Ireland (no region stated)", "United Kingdom: England", "United Kingdom: Wales"])
        #expect(labels(.country) == ["Canada", "Ireland", "United Kingdom"])
        #expect(labels(.kind) == ["Competency framework", "Guide or toolkit", "Training (course, module, programme)"])
        #expect(
            labels(.institutionType) == [
                "Charity or non-profit", "Health system or primary care", "Network or collaborative", "University or college",
            ])
    }

    @Test("no documents give rows of nothing and zero totals, not a crash")
    func empty() {
        let matrix = CoverageMatrix.build(documents: [], framework: framework, rows: .country, columns: .competency, value: .share)
        #expect(matrix.rows.isEmpty)
        #expect(matrix.columnTotals == Array(repeating: .empty, count: 5))
        #expect(matrix.largestValue == 0)
    }

    @Test("a misspelt dimension, value or format names the choices")
    func spellings() throws {
        #expect(throws: CoverageError.unknownRowDimension("town")) { try RowDimension(spelling: "town") }
        #expect(throws: CoverageError.unknownColumnDimension("terms")) { try ColumnDimension(spelling: "terms") }
        #expect(throws: CoverageError.unknownCellValue("max")) { try CellValue(spelling: "max") }
        #expect(throws: CoverageError.unknownFormat("pdf")) { try ExportFormat(spelling: "pdf") }
        #expect(try RowDimension(spelling: "Target-Group") == .targetGroup)
        #expect(
            CoverageError.unknownRowDimension("town").errorDescription
                == "unknown row dimension 'town'; use institution, institution-type, target-group, country, region, kind or source")
        #expect(CoverageError.unknownFormat("pdf").errorDescription == "unknown format 'pdf'; use table, csv, json, md, html, xlsx or case")
    }
}

@Suite("The one document filter")
struct DocumentFilterTests {
    let known = FilterVocabulary(documents: Fixtures.documents)

    @Test("criteria combine with and; values of one criterion with or")
    func combine() throws {
        let filter = try DocumentFilter.parse([.country: ["uk", "IE"]], known: known)
        #expect(filter.apply(Fixtures.documents).map(\.id) == ["beta-toolkit", "gamma-framework", "delta-course"])
        let narrower = DocumentFilter(countries: [.unitedKingdom], targetGroups: [.volunteers])
        #expect(narrower.apply(Fixtures.documents).map(\.id) == ["beta-toolkit"])
        #expect(DocumentFilter(regions: ["wales"]).apply(Fixtures.documents).map(\.id) == ["delta-course"])
        #expect(DocumentFilter(kinds: [.guide]).apply(Fixtures.documents).map(\.id) == ["beta-toolkit"])
        #expect(DocumentFilter().apply(Fixtures.documents).count == 5)
    }

    @Test("an institution is matched by name or id, case, accents and punctuation ignored, never by part of its name")
    func institutionByNameOrID() throws {
        let name = try #require(known.institutions.first)
        let id = FilterValue.fold(name)
        let byID = try DocumentFilter.parse([.institution: [id]], known: known)
        let byName = try DocumentFilter.parse([.institution: [name.uppercased()]], known: known)
        #expect(byID == byName)
        #expect(byID.institutions == [name])
        #expect(!byID.apply(Fixtures.documents).isEmpty)
        #expect(FilterValue.fold("Université  Laval (QC)") == "universite-laval-qc")
        let part = String(name.prefix(3))
        #expect(throws: FilterError.self) { try DocumentFilter.parse([.institution: [part]], known: known) }
    }

    @Test("an unknown value names the option, the value and the closest allowed values")
    func unknownValue() {
        #expect(throws: FilterError.unknownValue(facet: .country, value: "FR", suggestions: ["CA", "GB", "IE", "SG"], total: 4)) {
            try DocumentFilter.parse([.country: ["FR"]], known: known)
        }
        #expect(
            FilterError.unknownValue(facet: .kind, value: "book", suggestions: DocumentKind.allCases.map(\.rawValue), total: 6)
                .errorDescription
                == "--kind: unknown value 'book'; use training, competency-framework, guide, curriculum, job-description or report")
        let many = (1...40).map { "Health Service Executive area \($0)" } + ["HSE Mid West", "HSE South"]
        let vocabulary = FilterVocabulary(institutions: many, regions: [])
        do {
            _ = try DocumentFilter.parse([.institution: ["HSE"]], known: vocabulary)
            Issue.record("HSE is not an institution")
        } catch {
            let message = (error as? FilterError)?.errorDescription ?? ""
            #expect(
                message.hasPrefix("--institution: unknown value 'HSE'; the closest of 42 are 'HSE Mid West', 'HSE South'"), "\(message)")
            #expect(message.count < 300)
        }
        #expect(throws: FilterError.self) { try DocumentFilter.parse([.region: ["Nowhere"]], known: known) }
    }
}
