import Foundation
import Hummingbird
import SPScanCatalog
import SPScanModel

/// `/api/scans`: the recorded scans (as `spscan changes` reads them), the schedule, and what the latest scan
/// changed (the shape of `spscan changes --format json`).
struct ScansResponse: Encodable, Sendable {
    var scans: [ScanSummary]
    /// Nil when the server runs no scheduled scans.
    var schedule: ScheduleStatus?
    var changes: ChangeReport

    /// `schedule` is written as null rather than left out, as docs/json.md shows it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scans, forKey: .scans)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(changes, forKey: .changes)
    }

    enum CodingKeys: String, CodingKey { case scans, schedule, changes }
}

/// A refusal as the API answers it: the message says what is allowed.
struct ProblemResponse: Encodable, Sendable {
    var error: String
    var status: Int
}

/// Encoding and response building, in one place so that every answer has the same headers.
enum Reply {
    /// JSON as the command line prints it: the one style of `JSONStyle`.
    static func encode(_ value: some Encodable) throws -> Data { try JSONStyle.data(value) }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        json(try encode(value), status: status)
    }

    /// A page; the policy lets no script run at all, so that text from a fetched document that slipped past
    /// escaping still could not act, and forms post only back here.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
                .xContentTypeOptions: "nosniff", .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A file to save, not to show: an exported HTML page must not run in this site's origin either, hence the
    /// sandboxing policy.
    static func download(_ data: Data, name: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; sandbox", .xContentTypeOptions: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
