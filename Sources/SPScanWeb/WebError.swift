import Foundation

/// What the web server refuses, each saying what to send instead.
public enum WebError: Error, LocalizedError, Equatable, Sendable {
    /// A query parameter or form field with a value the server does not know.
    case badParameter(name: String, value: String, allowed: String)
    /// A required parameter or field that is missing.
    case missingParameter(name: String, example: String)
    case unknownCompetency(String, known: [String])
    case unknownDocument(String)
    /// A request body that is not the JSON expected.
    case badBody(reason: String, example: String)
    /// A request without the token, or with another one.
    case unauthorized
    /// A form posted from another site: refused so that a page elsewhere cannot record reviews through a
    /// browser that is logged in here.
    case crossSiteForm(origin: String)
    /// Serving on an address other than loopback without a token would publish the catalog and its review
    /// buttons to the whole network.
    case tokenRequired(host: String)
    case badPort(Int)
    /// Another program (often another `spscan serve`) already listens there.
    case addressInUse(host: String, port: Int)

    public var errorDescription: String? {
        switch self {
        case .badParameter(let name, let value, let allowed):
            "unknown \(name) '\(value)'; use \(allowed)"
        case .missingParameter(let name, let example):
            "missing \(name); for example \(example)"
        case .unknownCompetency(let id, let known):
            "unknown competency '\(id)'; Framework.yaml has \(known.joined(separator: ", "))"
        case .unknownDocument(let id):
            "unknown document '\(id)' in the catalog; /api/search?q=WORDS and /api/query/COMPETENCY show document ids"
        case .badBody(let reason, let example):
            "the request body is not a review (\(reason)); send JSON such as \(example)"
        case .unauthorized:
            "this server needs its token: send the header 'Authorization: Bearer TOKEN', or log in at /login"
        case .crossSiteForm(let origin):
            "a form from \(origin) cannot post to this server; use the page this server shows"
        case .tokenRequired(let host):
            "serving on \(host) would let anyone on the network read and review the catalog; "
                + "give --token (or set SPSCAN_TOKEN), or serve on 127.0.0.1"
        case .badPort(let port):
            "--port \(port) is not a TCP port; use 1 to 65535, or 0 for any free port"
        case .addressInUse(let host, let port):
            "\(host):\(port) is already in use (another spscan serve?); stop it, or choose another --port"
        }
    }

    /// The HTTP status this refusal is answered with.
    var status: Int {
        switch self {
        case .badParameter, .missingParameter, .badBody: 400
        case .unknownCompetency, .unknownDocument: 404
        case .unauthorized: 401
        case .crossSiteForm: 403
        case .tokenRequired, .badPort, .addressInUse: 500
        }
    }
}
