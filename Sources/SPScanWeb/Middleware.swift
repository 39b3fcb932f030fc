import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import SPScan
import SPScanModel

#if canImport(Glibc)
    import Glibc
#endif

/// Turns every refusal and failure into an answer a person or a script can act on: JSON `{"error", "status"}`
/// under `/api/`, a page elsewhere, each with the message that names what to change.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            var response = Self.answer(request, status: error.status, message: error.localizedDescription)
            switch error {
            case .methodNotAllowed(let allow): response.headers[.allow] = allow
            case .tooManyLogins(let seconds): response.headers[.retryAfter] = String(seconds)
            default: break
            }
            return response
        } catch let error as ReviewError {
            let status =
                switch error {
                case .unknownCompetency, .unknownDocument: 404
                case .nothingToClear: 400
                case .locked: 500
                }
            return Self.answer(request, status: status, message: error.localizedDescription)
        } catch let error as FilterError {
            // A filter parameter is named as the address spells it (`country=`), not as the command line does.
            return Self.answer(request, status: 400, message: error.message(naming: error.parameterName))
        } catch let error as any HTTPResponseError {
            let message =
                error.status == .notFound
                ? "nothing at \(request.uri.path); the pages are /, /competencies/ID, /documents/ID, /scans and /search"
                : error.status.reasonPhrase
            return Self.answer(request, status: error.status.code, message: message)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            return Self.answer(request, status: 500, message: message)
        }
    }

    static func answer(_ request: Request, status: Int, message: String) -> Response {
        let code = HTTPResponse.Status(code: status)
        if request.uri.path.hasPrefix("/api/") {
            do {
                return try Reply.json(ProblemResponse(error: message, status: status), status: code)
            } catch {
                return Reply.json(Data(#"{"error": "internal error"}"#.utf8), status: .internalServerError)
            }
        }
        if status == 401 { return Reply.html(Pages.login(failed: false), status: code) }
        return Reply.html(Pages.problem(message, status: status), status: code)
    }
}

/// The request context of `spscan serve`: Hummingbird's basic one plus the client's address, which the login
/// limit counts by.
struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Who may talk to the server and how, checked on every request before any route: the Host it was reached
/// by, the origin of every state-changing request, the token, and the pace of login attempts.
///
/// - Host: a page on another site can reach a loopback server through DNS rebinding (its own name made to
///   resolve to 127.0.0.1), but its requests still name that site in `Host`; only the bound address, loopback
///   names on a loopback server, the machine's addresses and names on a wildcard one, and the names the
///   operator allows (`--allowed-host`) are answered.
/// - State-changing requests (every method but GET, HEAD and OPTIONS) need a same-origin `Origin` or the token
///   in `Authorization: Bearer`: otherwise any page open in the same browser could post reviews or start scans.
///   A new route gets this by being added to the router: it runs for every route.
/// - The token: scripts send `Authorization: Bearer TOKEN`; people log in once at `/login`, which sets a cookie
///   that the browser sends back only to this site (SameSite=Strict, HttpOnly). Failed logins are limited per
///   client address, so that the token cannot be guessed at network speed.
struct AccessMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let token: String?
    let hosts: HostPolicy
    let logins: LoginLimiter
    static var cookieName: String { "spscan_token" }
    static var safeMethods: Set<HTTPRequest.Method> { [.get, .head, .options] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let authority = request.head.authority, !hosts.allows(authority) {
            throw WebError.unknownHost(authority, open: hosts.example)
        }
        let changesState = !Self.safeMethods.contains(request.method)
        let origin = request.headers[.origin]
        if changesState {
            if let origin, !Self.sameOrigin(origin, host: request.head.authority) { throw WebError.crossSiteForm(origin: origin) }
            // Sec-Fetch-Site, sent by current browsers: a page of another site (or another port of this one).
            if let site = request.headers.first(where: { $0.name.canonicalName == "sec-fetch-site" })?.value,
                !["same-origin", "none"].contains(site)
            {
                throw WebError.crossSiteForm(origin: origin ?? "a \(site) page")
            }
        }
        let isLogin = request.uri.path == "/login" && request.method == .post
        guard let token else {
            if request.uri.path == "/login" { return Reply.redirect(to: "/") }
            if changesState && origin == nil { throw WebError.originRequired }
            return try await next(request, context)
        }
        if isLogin { return try await login(request, context: context, token: token) }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            guard Self.equal(String(header.dropFirst(7)), token) else { throw WebError.unauthorized }
            return try await next(request, context)
        }
        if let cookie = request.cookies[Self.cookieName], Self.equal(cookie.value, Self.cookieValue(token)) {
            if changesState && origin == nil { throw WebError.originRequired }
            return try await next(request, context)
        }
        throw WebError.unauthorized
    }

    /// `POST /login`: the token from the form, at most `LoginLimiter.attempts` wrong ones per address and window.
    private func login(_ request: Request, context: Context, token: String) async throws -> Response {
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        if let wait = logins.wait(for: address) { throw WebError.tooManyLogins(seconds: wait) }
        let form = FormQuery(String(buffer: try await request.body.collect(upTo: 4096)))
        guard let given = form.first("token"), Self.equal(given, token) else {
            logins.failed(address)
            return Reply.html(Pages.login(failed: true), status: .unauthorized)
        }
        logins.succeeded(address)
        var response = Reply.redirect(to: "/")
        response.setCookie(Cookie(name: Self.cookieName, value: Self.cookieValue(token), path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    /// The token as a cookie value: cookies allow fewer characters than a token may hold.
    static func cookieValue(_ token: String) -> String {
        token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Compares in time independent of where the texts differ, so that the token cannot be guessed byte by byte.
    static func equal(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<b.count { difference |= (index < a.count ? a[index] : 0) ^ b[index] }
        return difference == 0
    }

    /// Whether `origin` (`http://host:port`) is the site the request was sent to (its `Host`), ports defaulted.
    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URLComponents(string: origin), let scheme = url.scheme?.lowercased(), let originHost = url.host,
            scheme == "http" || scheme == "https"
        else { return false }
        let defaultPort = scheme == "https" ? 443 : 80
        let (requestHost, requestPort) = HostPolicy.split(host)
        return HostPolicy.normalise(originHost) == requestHost && (url.port ?? defaultPort) == (requestPort ?? defaultPort)
    }
}

/// The host names a server answers to (see `AccessMiddleware`).
struct HostPolicy: Sendable {
    /// The address bound, without brackets, lower case.
    let bound: String
    /// The operator's `--allowed-host` names; one starting with a dot allows the name and everything under it.
    let allowed: [String]
    /// Where to open the server, for the refusal's message.
    let example: String

    init(bound: String, port: Int, allowed: [String]) {
        self.bound = Self.normalise(bound)
        self.allowed = allowed.map { $0.hasPrefix(".") ? "." + Self.normalise(String($0.dropFirst())) : Self.normalise($0) }
        let shown = self.bound.contains(":") ? "[\(self.bound)]" : self.bound
        example = "http://\(Self.isWildcard(self.bound) ? "127.0.0.1" : shown):\(port)/"
    }

    func allows(_ authority: String) -> Bool {
        let host = Self.split(authority).host
        if host == bound { return true }
        for entry in allowed {
            if entry.hasPrefix(".") ? (host.hasSuffix(entry) || host == entry.dropFirst()) : host == entry { return true }
        }
        if WebSettings.isLoopback(bound), host == "localhost" || host.hasSuffix(".localhost") || Self.isLoopbackLiteral(host) {
            return true
        }
        if Self.isWildcard(bound) {
            // Reached by an address of this machine: a rebinding page cannot make a browser send an address as Host.
            if Self.isAddressLiteral(host) { return true }
            let machine = Self.normalise(ProcessInfo.processInfo.hostName)
            if host == machine || host == machine.split(separator: ".").first.map(String.init) || host == "localhost" { return true }
        }
        return false
    }

    /// The host (no brackets, no final dot, lower case) and port of a `Host` value.
    static func split(_ authority: String) -> (host: String, port: Int?) {
        var text = Substring(authority)
        var port: Int?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return (normalise(String(text)), nil) }
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { port = Int(rest.dropFirst()) }
            text = text[text.index(after: text.startIndex)..<close]
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            port = Int(text[text.index(after: colon)...])
            text = text[..<colon]
        }
        return (normalise(String(text)), port)
    }

    static func normalise(_ host: String) -> String {
        var text = host.lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func isWildcard(_ host: String) -> Bool { ["0.0.0.0", "::", "", "*"].contains(host) }

    static func isAddressLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    static func isLoopbackLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: v4) { $0.first == 127 } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } == Array(repeating: 0, count: 15) + [1] }
        return false
    }
}

/// Failed logins per client address: past `attempts` within `window` seconds, further tries are refused until
/// the window ends. A success clears the address; the table keeps at most `capacity` addresses.
final class LoginLimiter: Sendable {
    let attempts: Int
    let window: TimeInterval
    static let capacity = 10_000
    private let failures = NIOLockedValueBox<[String: (count: Int, since: Date)]>([:])

    init(attempts: Int = 5, window: TimeInterval = 60) {
        self.attempts = attempts
        self.window = window
    }

    /// Seconds the address must wait before trying again; nil when it may try now.
    func wait(for address: String, now: Date = Date()) -> Int? {
        failures.withLockedValue { table in
            guard let entry = table[address] else { return nil }
            let end = entry.since.addingTimeInterval(window)
            if now >= end {
                table.removeValue(forKey: address)
                return nil
            }
            return entry.count >= attempts ? max(1, Int(end.timeIntervalSince(now).rounded(.up))) : nil
        }
    }

    func failed(_ address: String, now: Date = Date()) {
        failures.withLockedValue { table in
            if table.count >= Self.capacity {
                table = table.filter { now < $0.value.since.addingTimeInterval(window) }
                if table.count >= Self.capacity { table.removeAll() }
            }
            let entry = table[address].flatMap { now < $0.since.addingTimeInterval(window) ? $0 : nil } ?? (count: 0, since: now)
            table[address] = (entry.count + 1, entry.since)
        }
    }

    func succeeded(_ address: String) {
        _ = failures.withLockedValue { $0.removeValue(forKey: address) }
    }
}

/// Where a redirect after a form may go: a path on this site, nothing else.
enum LocalRedirect {
    /// `candidate` when it is a plain path here (`/documents/x?y`), else nil. Refused: another host (`//x`,
    /// `/\\x`, which browsers read as `//x`), a scheme, spaces, control and non-ASCII characters.
    static func path(_ candidate: String?) -> String? {
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"), !candidate.contains("\\"),
            candidate.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }),
            let components = URLComponents(string: candidate), components.scheme == nil, components.host == nil
        else { return nil }
        return candidate
    }
}

/// Answers a method a path does not take with 405 and the methods it does take (`Allow`), instead of 404.
enum MethodGuard {
    /// Adds, for every path of `router`, a 405 answer to each of GET, POST, PUT, PATCH and DELETE it lacks. Call it
    /// after every route has been added.
    static func answerOtherMethods(on router: Router<WebRequestContext>) {
        var paths: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in router.routes {
            paths[route.path.description, default: (path: route.path, methods: [])].methods.insert(route.method)
        }
        for (_, entry) in paths.sorted(by: { $0.key < $1.key }) {
            let allow = entry.methods.map(\.rawValue).sorted().joined(separator: ", ")
            for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] where !entry.methods.contains(method) {
                router.on(entry.path, method: method) { _, _ -> Response in throw WebError.methodNotAllowed(allow: allow) }
            }
        }
    }
}
