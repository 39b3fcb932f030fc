import Foundation
import Hummingbird
import HummingbirdTesting
import SPScanTestSupport
import Testing

@testable import SPScanWeb

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to the server under test, for what an HTTP client library will not send: half
/// requests, a Host of our choosing, floods.
final class RawConnection: @unchecked Sendable {
    let socket: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds (a generous bound, not a measure).
    init(port: Int, timeout: Int = 20) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawConnectionError.failed("socket", errno) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw RawConnectionError.failed("connect", errno)
        }
    }

    deinit { close(socket) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything the server sends until it closes the connection; nil if the read timed out instead. Read on a
    /// thread of its own: a blocking read on Swift's few cooperative threads would starve the server under test.
    func readToEnd() async -> String? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.blockingReadToEnd()) }.start()
        }
    }

    private func blockingReadToEnd() -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            if count < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? nil : String(decoding: received, as: UTF8.self) }
            received += buffer[0..<count]
        }
    }

    /// One request with `Connection: close`; the status code and the whole answer.
    static func request(port: Int, _ head: String, body: String = "") async throws -> (status: Int, text: String) {
        let connection = try RawConnection(port: port)
        connection.send(head + "Connection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        let text = await connection.readToEnd() ?? ""
        let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        return (status, text)
    }
}

enum RawConnectionError: Error { case failed(String, Int32) }

@Suite("The server on a network: slow clients, Host, origins, logins, tokens, redirects, methods")
struct ServerHardeningTests {
    func application(
        _ fixture: WebFixture, token: String? = nil, allowedHosts: [String] = [], limits: ConnectionLimits = ConnectionLimits()
    ) throws -> some ApplicationProtocol {
        var settings = fixture.settings
        settings.token = token
        settings.allowedHosts = allowedHosts
        settings.limits = limits
        return try WebServer.application(settings: settings)
    }

    @Test("a flood of half-sent requests, more than the connection cap, leaves a normal request answered")
    func slowRequestFlood() async throws {
        let fixture = try WebFixture()
        let limits = ConnectionLimits(headerTimeout: 60, bodyTimeout: 60, maxConnections: 32)
        try await application(fixture, limits: limits).test(.live) { client in
            let port = try #require(client.port)
            var flood: [RawConnection] = []
            for _ in 0..<100 {
                let connection = try RawConnection(port: port)
                connection.send("GET /api/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                flood.append(connection)
            }
            let answer = try await RawConnection.request(port: port, "GET /api/scans HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            #expect(answer.status == 200, "\(answer.text.prefix(200))")
            // The oldest half-sent requests made room and were closed by the server.
            #expect(await flood[0].readToEnd() == "")
            withExtendedLifetime(flood) {}
        }
    }

    @Test("a request head or body that does not arrive in time closes the connection")
    func readTimeouts() async throws {
        let fixture = try WebFixture()
        let limits = ConnectionLimits(headerTimeout: 0.3, bodyTimeout: 0.3, maxConnections: 64)
        try await application(fixture, limits: limits).test(.live) { client in
            let port = try #require(client.port)
            let head = try RawConnection(port: port)
            head.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            #expect(await head.readToEnd() == "", "closed without an answer, not left waiting")
            let body = try RawConnection(port: port)
            body.send("POST /api/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"doc")
            #expect(await body.readToEnd() != nil, "closed by the server before the client's own timeout")
            #expect(!FileManager.default.fileExists(atPath: fixture.directory.path("Reviews.yaml").path))
        }
    }

    @Test("Host must be this server: DNS rebinding is refused, loopback names and --allowed-host are answered")
    func hostCheck() async throws {
        let fixture = try WebFixture()
        try await application(fixture, allowedHosts: ["spscan.example.org", ".intranet.example"]).test(.live) { client in
            let port = try #require(client.port)
            let review = #"{"document": "ca-course", "competency": "IS-5", "decision": "reject"}"#
            let rebound = try await RawConnection.request(
                port: port,
                "POST /api/reviews HTTP/1.1\r\nHost: attacker.example:\(port)\r\nOrigin: http://attacker.example:\(port)\r\n"
                    + "Content-Type: application/json\r\n", body: review)
            #expect(rebound.status == 421)
            #expect(rebound.text.contains("does not answer to the host 'attacker.example:\(port)'"))
            #expect(!FileManager.default.fileExists(atPath: fixture.directory.path("Reviews.yaml").path))
            #expect(try await RawConnection.request(port: port, "GET / HTTP/1.1\r\nHost: attacker.example\r\n").status == 421)
            for host in [
                "127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST.", "[::1]:\(port)", "spscan.example.org", "a.intranet.example",
            ] {
                #expect(
                    try await RawConnection.request(port: port, "GET /api/scans HTTP/1.1\r\nHost: \(host)\r\n").status == 200, "\(host)")
            }
            #expect(try await RawConnection.request(port: port, "GET /api/scans HTTP/1.1\r\nHost: notspscan.example.org\r\n").status == 421)
        }
    }

    @Test("a state-changing request needs a same-origin Origin or the token")
    func originOrToken() async throws {
        let fixture = try WebFixture()
        let review = #"{"document": "ca-course", "competency": "IS-5", "decision": "reject"}"#
        try await application(fixture).test(.live) { client in
            try await client.execute(uri: "/api/reviews", method: .post, body: ByteBuffer(string: review)) { response in
                #expect(response.status == .forbidden)
                try #expect(jsonObject(response)["error"] as? String == WebError.originRequired.errorDescription)
            }
            try await client.execute(
                uri: "/api/reviews", method: .post, headers: [.origin: "http://localhost:1"], body: ByteBuffer(string: review)
            ) { response in
                #expect(response.status == .forbidden, "another port is another origin")
            }
            let port = try #require(client.port)
            let crossSite = try await RawConnection.request(
                port: port, "POST /api/reviews HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nSec-Fetch-Site: cross-site\r\n",
                body: review)
            #expect(crossSite.status == 403)
            #expect(!FileManager.default.fileExists(atPath: fixture.directory.path("Reviews.yaml").path))
            try await client.execute(
                uri: "/api/reviews", method: .post, headers: [.origin: "http://localhost"], body: ByteBuffer(string: review)
            ) { response in
                #expect(response.status == .created)
            }
        }
        let token = "a-token-for-the-origin-test"
        try await application(fixture, token: token).test(.live) { client in
            try await client.execute(
                uri: "/api/reviews", method: .post, headers: [.authorization: "Bearer \(token)"], body: ByteBuffer(string: review)
            ) { response in
                #expect(response.status == .created, "a script with the token needs no Origin")
            }
            let cookie = try await client.execute(uri: "/login", method: .post, body: ByteBuffer(string: "token=\(token)")) { response in
                String(try #require(response.headers[.setCookie]).prefix { $0 != ";" })
            }
            try await client.execute(uri: "/api/reviews", method: .post, headers: [.cookie: cookie], body: ByteBuffer(string: review)) {
                response in
                #expect(response.status == .forbidden, "a logged-in browser's post must say where it comes from")
            }
        }
    }

    @Test("wrong tokens are limited per address: past five, even the right one waits, with Retry-After")
    func loginLimit() async throws {
        let fixture = try WebFixture()
        let token = "the-right-token-0123"
        try await application(fixture, token: token).test(.live) { client in
            for attempt in 1...5 {
                try await client.execute(uri: "/login", method: .post, body: ByteBuffer(string: "token=guess\(attempt)")) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/login", method: .post, body: ByteBuffer(string: "token=\(token)")) { response in
                #expect(response.status == .tooManyRequests)
                let wait = try #require(response.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...60).contains(wait))
                #expect(text(response).contains("too many wrong tokens from your address"))
            }
        }
        let limiter = LoginLimiter(attempts: 2, window: 60)
        let start = Date()
        limiter.failed("10.0.0.1", now: start)
        limiter.failed("10.0.0.1", now: start)
        #expect(limiter.wait(for: "10.0.0.1", now: start) == 60)
        #expect(limiter.wait(for: "10.0.0.2", now: start) == nil, "another address is not held back")
        #expect(limiter.wait(for: "10.0.0.1", now: start.addingTimeInterval(61)) == nil, "the window ends")
    }

    @Test("tokens shorter than 16 characters, or with spaces at their ends, are refused; --generate-token makes good ones")
    func tokens() throws {
        let fixture = try WebFixture()
        for weak in ["x", " ", "fifteen-chars15", " sixteen-chars-16", "sixteen-chars-16\u{7}"] {
            var settings = fixture.settings
            settings.token = weak
            #expect(throws: WebError.self) { try settings.check() }
        }
        var settings = fixture.settings
        settings.token = "sixteen-chars-16"
        try settings.check()
        let generated = WebSettings.generateToken()
        #expect(generated.count == 43)
        #expect(generated.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(generated != WebSettings.generateToken())
        settings.token = generated
        try settings.check()
        #expect(throws: WebError.weakToken(length: 1)) {
            var one = fixture.settings
            one.token = "x"
            try one.check()
        }
    }

    /// Each target as it stands in the posted form, percent-encoded as a browser sends it.
    @Test(
        "after a review the redirect stays on this site",
        arguments: ["/%5Cevil.example/x", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example%2F", "/%5C%5Cevil", "/ok%0D%0ASet-Cookie:x"])
    func redirects(target: String) async throws {
        let fixture = try WebFixture()
        try await application(fixture).test(.live) { client in
            let form = "document=gb-guide&competency=IS-5&decision=accept&return=\(target)"
            try await client.execute(uri: "/reviews", method: .post, headers: [.origin: "http://localhost"], body: ByteBuffer(string: form))
            {
                response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/documents/gb-guide")
            }
        }
        #expect(LocalRedirect.path(target.removingPercentEncoding) == nil)
        #expect(LocalRedirect.path("/competencies/IS-5?country=GB") == "/competencies/IS-5?country=GB")
    }

    @Test("a path asked with a method it does not take is 405 with Allow, not 404")
    func methodNotAllowed() async throws {
        let fixture = try WebFixture()
        try await application(fixture).test(.live) { client in
            try await client.execute(uri: "/api/reviews", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                try #expect(jsonObject(response)["error"] as? String == "this address does not take that method; it takes POST")
            }
            try await client.execute(uri: "/api/matrix", method: .delete, headers: [.origin: "http://localhost"]) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
            try await client.execute(uri: "/api/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("an IPv6 host in brackets binds without them and prints with them")
    func bracketedHost() {
        var settings = WebSettings(
            host: "[::1]", sources: URL(fileURLWithPath: "/s"), framework: URL(fileURLWithPath: "/f"), catalog: URL(fileURLWithPath: "/c"),
            reviews: URL(fileURLWithPath: "/r"))
        #expect(settings.bindHost == "::1")
        #expect(settings.urlHost == "[::1]")
        settings.host = "::1"
        #expect(settings.urlHost == "[::1]")
        #expect(HostPolicy.split("[::1]:8080") == ("::1", 8080))
        #expect(HostPolicy.split("Example.org.:80") == ("example.org", 80))
        #expect(HostPolicy.split("localhost") == ("localhost", nil))
    }
}
