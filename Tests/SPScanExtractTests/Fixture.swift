import Foundation
import SPScanExtract
import SPScanModel
import Testing

/// The fixture files beside these tests (written by the scripts in Fixtures/).
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static func extract(_ name: String, limits: ExtractionLimits = .init(), contentType: String? = nil) throws -> ExtractedDocument {
        try Extractor(limits: limits).extract(data(name), contentType: contentType, filename: name)
    }

    /// The error extracting a fixture throws, or nil when it extracts.
    static func error(_ name: String, limits: ExtractionLimits = .init()) throws -> ExtractError? {
        let bytes = try data(name)
        do {
            _ = try Extractor(limits: limits).extractTyped(bytes, filename: name)
            return nil
        } catch {
            return error
        }
    }
}

extension ExtractedDocument {
    /// Checks the invariant every consumer relies on: each passage is the slice of `text` its offsets name.
    func expectOffsetsMatchText(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let scalars = Array(text.unicodeScalars)
        for passage in passages {
            #expect(passage.start <= passage.end && passage.end <= scalars.count, sourceLocation: sourceLocation)
            guard passage.start <= passage.end, passage.end <= scalars.count else { continue }
            let slice = String(String.UnicodeScalarView(scalars[passage.start..<passage.end]))
            #expect(slice == passage.text, sourceLocation: sourceLocation)
        }
    }

    func passage(containing fragment: String) -> Passage? {
        passages.first { $0.text.contains(fragment) }
    }
}
