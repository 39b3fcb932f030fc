import Foundation
import Hummingbird
import HummingbirdTesting
import SPScanModel
import Testing

@testable import SPScanWeb

/// The JSON API over real HTTP on loopback: status codes, shapes, refusals.
@Suite struct APITests {
    @Test func matrixAnswersTheShapeOfMatrixFormatJSON() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.live) { client in
            try await client.execute(uri: "/api/matrix?rows=country&cols=competency&country=CA&country=GB", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let json = try jsonObject(response)
                #expect(json["row_dimension"] as? String == "country")
                #expect(json["column_dimension"] as? String == "competency")
                #expect(json["documents"] as? Int == 2)
                let rows = try #require(json["rows"] as? [[String: Any]])
                #expect(rows.compactMap { $0["key"] as? String }.sorted() == ["CA", "GB"])
                let columns = try #require(json["columns"] as? [[String: Any]])
                let ids = columns.compactMap { $0["id"] as? String }
                let column = try #require(ids.firstIndex(of: "IS-5"))
                let values = rows.map { ($0["values"] as? [Double] ?? [])[column] }
                #expect(values == [1, 1])
            }
        }
    }

    @Test func aBadMatrixParameterIsA400SayingWhatIsAllowed() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.live) { client in
            try await client.execute(uri: "/api/matrix?country=XX", method: .get) { response in
                #expect(response.status == .badRequest)
                let json = try jsonObject(response)
                #expect(json["error"] as? String == "country: unknown value 'XX'; use CA, GB, IE or SG (UK for GB)")
                #expect(json["status"] as? Int == 400)
            }
            try await client.execute(uri: "/api/matrix?rows=city", method: .get) { response in
                #expect(response.status == .badRequest)
                try #expect(
                    jsonObject(response)["error"] as? String
                        == "unknown rows 'city'; use institution, institution-type, target-group, country, region, kind or source")
            }
            try await client.execute(uri: "/api/query/IS-5?target-group=nurses", method: .get) { response in
                #expect(response.status == .badRequest)
                let message = try #require(try jsonObject(response)["error"] as? String)
                #expect(message.hasPrefix("target-group: unknown value 'nurses'; use link-workers, "))
            }
        }
    }

    @Test func everyValueOfARepeatedFilterParameterCounts() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.live) { client in
            try await client.execute(uri: "/api/query/IS-5?country=CA&country=GB", method: .get) { response in
                try #expect(jsonObject(response)["count"] as? Int == 2)
            }
            try await client.execute(uri: "/api/query/IS-5?institution=canadian-institute&institution=NATIONAL%20ACADEMY", method: .get) {
                response in
                try #expect(jsonObject(response)["count"] as? Int == 2)
            }
            try await client.execute(uri: "/api/matrix?region=Nowhere", method: .get) { response in
                #expect(response.status == .badRequest)
                try #expect(jsonObject(response)["error"] as? String == "region: unknown value 'Nowhere'; use 'ON'")
            }
        }
    }

    @Test func queryListsTheDocumentsOfACompetencyWithEvidence() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.live) { client in
            try await client.execute(uri: "/api/query/is-5?target-group=volunteers", method: .get) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["competency"] as? String == "IS-5")
                #expect(json["count"] as? Int == 1)
                #expect((json["filter"] as? [String: Any])?["target_groups"] as? [String] == ["volunteers"])
                let documents = try #require(json["documents"] as? [[String: Any]])
                #expect(documents.first?["document_id"] as? String == "ca-course")
                let evidence = try #require(documents.first?["evidence"] as? [String: Any])
                #expect((evidence["spans"] as? [[String: Any]])?.first?["term"] as? String == "community groups")
            }
            try await client.execute(uri: "/api/query/XX-1", method: .get) { response in
                #expect(response.status == .notFound)
                let message = try #require(try jsonObject(response)["error"] as? String)
                #expect(message.hasPrefix("unknown competency 'XX-1'; did you mean "))
            }
        }
    }

    @Test func searchDocumentsAndScans() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.live) { client in
            try await client.execute(uri: "/api/search?q=motivational+interviewing", method: .get) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["query"] as? String == "motivational interviewing")
                #expect(((json["passages"] as? [[String: Any]])?.first)?["document_id"] as? String == "ca-course")
            }
            try await client.execute(uri: "/api/search", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/documents/gb-guide", method: .get) { response in
                #expect(response.status == .ok)
                let document = try #require(try jsonObject(response)["document"] as? [String: Any])
                #expect(document["title"] as? String == "<script>alert('guide')</script>")
            }
            try await client.execute(uri: "/api/documents/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/scans", method: .get) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect((json["scans"] as? [[String: Any]])?.count == 1)
                #expect(json["schedule"] is NSNull)
                #expect((json["changes"] as? [String: Any])?["new_documents"] is [Any])
            }
        }
    }

    @Test func aReviewIsWrittenToReviewsYAMLAndAppliedAtOnce() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.live) { client in
            let body = #"{"document": "ie-handbook", "competency": "is-5", "decision": "accept", "note": "checked"}"#
            try await client.execute(
                uri: "/api/reviews", method: .post, headers: [.origin: "http://localhost"], body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                #expect(json["counted_before"] as? Bool == false)
                #expect((json["decision"] as? [String: Any])?["competency"] as? String == "IS-5")
            }
            let reviews = try String(contentsOf: fixture.directory.path("Reviews.yaml"), encoding: .utf8)
            #expect(reviews.contains("document: ie-handbook"))
            #expect(reviews.contains("competency: IS-5"))
            #expect(reviews.contains("decision: accept"))
            try await client.execute(uri: "/api/matrix?rows=country&cols=competency&country=IE", method: .get) { response in
                let json = try jsonObject(response)
                let ids = (json["columns"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                let column = try #require(ids.firstIndex(of: "IS-5"))
                #expect(((json["rows"] as? [[String: Any]])?.first?["values"] as? [Double])?[column] == 1)
            }
            try await client.execute(
                uri: "/api/reviews", method: .post, headers: [.origin: "http://localhost"],
                body: ByteBuffer(string: #"{"document": "ie-handbook"}"#)
            ) {
                response in
                #expect(response.status == .badRequest)
                let message = try #require(try jsonObject(response)["error"] as? String)
                #expect(message.hasPrefix("the request body is not a review (missing \"competency\"); send JSON such as {"))
            }
            let wrong = #"{"document": "ie-handbook", "competency": "IS-5", "decision": "maybe"}"#
            try await client.execute(
                uri: "/api/reviews", method: .post, headers: [.origin: "http://localhost"], body: ByteBuffer(string: wrong)
            ) { response in
                #expect(response.status == .badRequest)
                try #expect(jsonObject(response)["error"] as? String == "unknown decision 'maybe'; use accept, reject or clear")
            }
        }
    }

    @Test func theTokenIsCheckedOnEveryRequest() async throws {
        let fixture = try WebFixture()
        try await fixture.application(token: "s3cret token for the tests").test(.live) { client in
            try await client.execute(uri: "/api/scans", method: .get) { response in
                #expect(response.status == .unauthorized)
                try #expect(
                    jsonObject(response)["error"] as? String
                        == "this server needs its token: send the header 'Authorization: Bearer TOKEN', or log in at /login")
            }
            try await client.execute(uri: "/api/scans", method: .get, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/scans", method: .get, headers: [.authorization: "Bearer s3cret token for the tests"]) {
                response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(text(response).contains("<label for=\"token\">Token</label>"))
            }
            let cookie = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=s3cret+token+for+the+tests")
            ) { response in
                #expect(response.status == .seeOther)
                let setCookie = try #require(response.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("SameSite=Strict"))
                return String(setCookie.prefix { $0 != ";" })
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/login", method: .post, body: ByteBuffer(string: "token=guess")) { response in
                #expect(response.status == .unauthorized)
                #expect(text(response).contains("That token is not this server's token."))
            }
        }
    }

    @Test func aFormFromAnotherSiteIsRefused() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.live) { client in
            let form = "document=ca-course&competency=IS-5&decision=reject"
            try await client.execute(
                uri: "/reviews", method: .post, headers: [.origin: "https://evil.example"], body: ByteBuffer(string: form)
            ) { response in
                #expect(response.status == .forbidden)
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.directory.path("Reviews.yaml").path))
        }
    }

    @Test func servingBeyondLoopbackNeedsAToken() throws {
        let fixture = try WebFixture()
        var settings = fixture.settings
        settings.host = "0.0.0.0"
        #expect(throws: WebError.tokenRequired(host: "0.0.0.0")) { try settings.check() }
        settings.token = "a token long enough"
        try settings.check()
        settings.host = "localhost"
        settings.token = nil
        try settings.check()
        settings.port = 70_000
        #expect(throws: WebError.badPort(70_000)) { try settings.check() }
    }
}
