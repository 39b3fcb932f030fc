import Foundation
import Hummingbird
import SPScanModel

/// Turns every refusal and failure into an answer a person or a script can act on: JSON `{"error", "status"}`
/// under `/api/`, a page elsewhere, each with the message that names what to change.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            return Self.answer(request, status: error.status, message: error.localizedDescription)
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

/// The token, checked on every request when the server has one, and the origin of every form post.
///
/// Scripts send `Authorization: Bearer TOKEN`; people log in once at `/login`, which sets a cookie that the
/// browser sends back only to this site (SameSite=Strict, HttpOnly). A POST whose `Origin` is another site is
/// refused even on loopback without a token: otherwise any web page open in the same browser could record
/// reviews through a form aimed at 127.0.0.1.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?
    static var cookieName: String { "spscan_token" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, let origin = request.headers[.origin], !Self.sameOrigin(origin, host: request.head.authority) {
            throw WebError.crossSiteForm(origin: origin)
        }
        guard let token else {
            if request.uri.path == "/login" { return Reply.redirect(to: "/") }
            return try await next(request, context)
        }
        if request.uri.path == "/login" {
            guard request.method == .post else { return try await next(request, context) }
            let form = FormQuery(String(buffer: try await request.body.collect(upTo: 4096)))
            guard let given = form.first("token"), Self.equal(given, token) else {
                return Reply.html(Pages.login(failed: true), status: .unauthorized)
            }
            var response = Reply.redirect(to: "/")
            response.setCookie(
                Cookie(name: Self.cookieName, value: Self.cookieValue(token), path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "), Self.equal(String(header.dropFirst(7)), token) {
            return try await next(request, context)
        }
        if let cookie = request.cookies[Self.cookieName], Self.equal(cookie.value, Self.cookieValue(token)) {
            return try await next(request, context)
        }
        throw WebError.unauthorized
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

    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority.lowercased() == host.lowercased()
    }
}
