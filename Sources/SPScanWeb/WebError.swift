import Foundation
import SPScanModel

/// What the web server refuses, each saying what to send instead.
public enum WebError: Error, LocalizedError, Equatable, Sendable {
    /// A query parameter or form field with a value the server does not know.
    case badParameter(name: String, value: String, allowed: String)
    /// A required parameter or field that is missing.
    case missingParameter(name: String, example: String)
    /// A competency id or name the framework does not have, or a fragment several names share.
    case unknownCompetency(CompetencyLookupError)
    case unknownDocument(String)
    /// A request body that is not the JSON expected.
    case badBody(reason: String, example: String)
    /// A request without the token, or with another one.
    case unauthorized
    /// A form posted from another site: refused so that a page elsewhere cannot record reviews through a
    /// browser that is logged in here.
    case crossSiteForm(origin: String)
    /// A state-changing request with neither an `Origin` nor the token: a page elsewhere could have sent it.
    case originRequired
    /// A request naming a host this server does not answer to (DNS rebinding, or a name the operator has not
    /// allowed); `open` is the address to use instead.
    case unknownHost(String, open: String)
    /// Too many wrong tokens from one address: try again after `seconds`.
    case tooManyLogins(seconds: Int)
    /// The path exists but not for this method; `allow` lists the methods it takes.
    case methodNotAllowed(allow: String)
    /// A token too short to resist guessing.
    case weakToken(length: Int)
    /// An `--allowed-host` value that is not a host name.
    case badAllowedHost(String)
    /// The address cannot be listened on (not this machine's, or not an address at all).
    case cannotListen(host: String, port: Int, reason: String)
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
        case .unknownCompetency(let error):
            error.localizedDescription
        case .unknownDocument(let id):
            "unknown document '\(id)' in the catalog; /api/search?q=WORDS and /api/query/COMPETENCY show document ids"
        case .badBody(let reason, let example):
            "the request body is not a review (\(reason)); send JSON such as \(example)"
        case .unauthorized:
            "this server needs its token: send the header 'Authorization: Bearer TOKEN', or log in at /login"
        case .crossSiteForm(let origin):
            "a form from \(origin) cannot post to this server; use the page this server shows"
        case .originRequired:
            "a request that changes something needs the token (header 'Authorization: Bearer TOKEN') or an Origin header naming this server (e.g. 'Origin: http://127.0.0.1:8080'); use the page this server shows, or send one of them"
        case .unknownHost(let host, let open):
            "this server does not answer to the host '\(host)' (a page on another site may be trying to reach it through DNS rebinding); open \(open), or start spscan serve with --allowed-host NAME for a name of yours"
        case .tooManyLogins(let seconds):
            "too many wrong tokens from your address; wait \(seconds) s and try again (the token is in --token or SPSCAN_TOKEN where the server was started)"
        case .methodNotAllowed(let allow):
            "this address does not take that method; it takes \(allow)"
        case .weakToken(let length):
            "the token has \(length) character\(length == 1 ? "" : "s"); use at least \(WebSettings.minimumTokenLength), without spaces at its ends or control characters (`spscan serve --generate-token` makes one)"
        case .badAllowedHost(let value):
            "--allowed-host '\(value)' is not a host name; give a name such as spscan.example.org (or .example.org for every name under it), without scheme or port"
        case .cannotListen(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason); use an address of this machine (127.0.0.1, ::1, 0.0.0.0 for all)"
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
        case .crossSiteForm, .originRequired: 403
        case .unknownHost: 421
        case .tooManyLogins: 429
        case .methodNotAllowed: 405
        case .tokenRequired, .badPort, .addressInUse, .weakToken, .badAllowedHost, .cannotListen: 500
        }
    }
}

extension WebError: ClassifiedError {
    /// A bad request, setting or address for the server is the user's to fix.
    public var isBadInput: Bool { true }
}
