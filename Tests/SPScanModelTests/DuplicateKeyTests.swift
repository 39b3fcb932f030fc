import Foundation
import Testing

@testable import SPScanModel

@Suite("A duplicated YAML key is reported where it stands")
struct DuplicateKeyTests {
    @Test("at its own line and column, with that line as the context, not the whole file at 1:1")
    func duplicatedKey() {
        let yaml = """
            sources:
              - id: ca-example-course
                url: https://example.ca/course
                title: Example course
                country: CA
                title: Another title
                institution: Example College
            """
        // Only the duplicate matters here: the source also lacks fields this short example leaves out.
        let errors = RegistryLoader.parse(yaml, file: "Sources.yaml").1.filter {
            $0.severity == .error && $0.message.contains("given twice")
        }
        #expect(
            errors == [
                Diagnostic(
                    .error, at: SourceLocation(file: "Sources.yaml", line: 6, column: 5),
                    "source 'ca-example-course': `title` is given twice; keep one")
            ])
        #expect(errors.first.map { "\($0)" }?.contains("sources:") == false)
    }
}
