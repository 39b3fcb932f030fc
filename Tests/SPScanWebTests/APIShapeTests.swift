import Foundation
import Hummingbird
import HummingbirdTesting
import SPScanTestSupport
import Testing

@testable import SPScanWeb

/// Every `/api/` answer against the shape docs/json.md documents for it: the same shapes as the command line.
@Suite struct APIShapeTests {
    @Test func everyEndpointAnswersItsDocumentedShape() async throws {
        let fixture = try WebFixture()
        let shapes = try JSONShapes.documented()
        @Sendable func check(_ response: TestResponse, _ shape: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let problems = shapes.problems(String(buffer: response.body), shape: shape)
            #expect(problems.isEmpty, "\(shape): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
        }
        try await fixture.application().test(.live) { client in
            try await client.execute(uri: "/api/matrix?rows=country&cols=competency", method: .get) { check($0, "matrix") }
            try await client.execute(uri: "/api/query/IS-5", method: .get) { check($0, "query") }
            try await client.execute(uri: "/api/search?q=groups", method: .get) { check($0, "search") }
            try await client.execute(uri: "/api/documents/ca-course", method: .get) { check($0, "document") }
            try await client.execute(uri: "/api/scans", method: .get) { check($0, "scans") }
            try await client.execute(uri: "/api/query/XX-1", method: .get) { check($0, "error") }
            let body = #"{"document": "ca-course", "competency": "IS-5", "decision": "reject", "note": "no"}"#
            try await client.execute(uri: "/api/reviews", method: .post, body: ByteBuffer(string: body)) { check($0, "review") }
        }
    }
}
