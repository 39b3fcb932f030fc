import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on a loopback address and an ephemeral port, with one named route per fault.
///
/// Fetch tests run libcurl against it, so timeouts, limits, redirects and politeness are exercised over real
/// sockets rather than mocks. Plain POSIX sockets on background threads keep test support free of packages.
/// Each connection serves one request and closes. Routes:
/// `/status/<code>`, `/etag/<name>` (ETag; 304 on a match), `/last-modified/<name>` (304 on
/// If-Modified-Since), `/redirect/<n>`, `/redirect-loop`, `/retry-after/<seconds>` (429 once, then 200),
/// `/flaky/<n>` (503 n times, then 200), `/trickle`, `/big/<bytes>`, `/gzip-bomb`, `/robots.txt` (from
/// `robots`, 404 when nil), `/slow/<seconds>` and anything added with `route(_:_:)`.
public final class FixtureServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var receivedAt: Date
        /// The request's body, as long as its Content-Length says (a webhook's POST).
        public var body = Data()
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data
        /// When set, the body is sent one byte at a time with this pause, until the client gives up.
        public var trickle: Double?

        public init(status: Int, headers: [(String, String)] = [], body: Data = Data(), trickle: Double? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.trickle = trickle
        }

        public static func html(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + headers, body: Data(text.utf8))
        }
    }

    public let address: String
    public private(set) var port: UInt16 = 0
    private let listener: Int32
    private let lock = NSLock()
    private var log: [Request] = []
    private var counters: [String: Int] = [:]
    private var documents: [String: String] = [:]
    private var routes: [String: @Sendable (Request) -> Response] = [:]
    private var robotsText: String?
    private var stopped = false

    /// The robots.txt the server answers with; nil answers 404.
    public var robots: String? {
        get { locked { robotsText } }
        set { locked { robotsText = newValue } }
    }

    /// Starts listening on `address` (127.0.0.1 to 127.0.0.9 act as separate hosts) and an ephemeral port.
    public init(address: String = "127.0.0.1") throws {
        self.address = address
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw FixtureServerError.socket("socket", errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, address, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 128) == 0 else {
            close(listener)
            throw FixtureServerError.socket("bind \(address)", errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    public var baseURL: URL {
        URL(string: "http://\(address):\(port)") ?? URL(fileURLWithPath: "/")
    }

    public func url(_ path: String) -> URL { baseURL.appendingPathComponent(path) }

    /// Stops accepting connections; requests in progress finish on their own threads.
    public func stop() {
        let wasStopped = locked {
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { locked { log } }

    public func requests(path: String) -> [Request] { requests.filter { $0.path == path } }

    /// Sets the HTML served at `/etag/<name>` and `/last-modified/<name>` (a change of text changes the ETag).
    public func setDocument(_ name: String, _ html: String) { locked { documents[name] = html } }

    /// Adds or replaces a route for an exact path.
    public func route(_ path: String, _ handler: @escaping @Sendable (Request) -> Response) {
        locked { routes[path] = handler }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let request = readRequest(client) else { return }
        locked { log.append(request) }
        let response = respond(to: request)
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\nConnection: close\r\n"
        var headers = response.headers
        if !headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            headers.append(("Content-Length", "\(response.body.count)"))
        }
        // An empty value means "leave the header out": the body then ends when the connection closes.
        headers.removeAll { $0.1.isEmpty }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        guard send(client, Data(head.utf8)) else { return }
        if let pause = response.trickle {
            for byte in response.body {
                guard send(client, Data([byte])) else { return }
                Thread.sleep(forTimeInterval: pause)
            }
        } else if request.method != "HEAD" {
            _ = send(client, response.body)
        }
    }

    private func readRequest(_ client: Int32) -> Request? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        var headEnd: Range<Data.Index>?
        while true {
            headEnd = buffer.range(of: Data("\r\n\r\n".utf8))
            if headEnd != nil { break }
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            if buffer.count > 65536 { return nil }
        }
        guard let headEnd else { return nil }
        let text = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        // A request through a proxy names the whole URL (absolute form): serve its path, as a proxy would.
        var path = String(parts[1])
        if path.hasPrefix("http://"), let url = URL(string: path) {
            path = url.path.isEmpty ? "/" : url.path
            headers["x-proxied-for"] = url.host
        }
        var body = Data(buffer[headEnd.upperBound...])
        let length = min(Int(headers["content-length"] ?? "") ?? 0, 1 << 24)
        while body.count < length {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { break }
            body.append(contentsOf: chunk[0..<count])
        }
        return Request(method: String(parts[0]), path: path, headers: headers, receivedAt: Date(), body: body)
    }

    private func send(_ client: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            guard let base = raw.baseAddress else { return true }
            while offset < raw.count {
                let sent = Glibc.send(client, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    private func count(_ path: String) -> Int {
        locked {
            counters[path, default: 0] += 1
            return counters[path, default: 0]
        }
    }

    // The routes: one per fault, named by the path.
    private func respond(to request: Request) -> Response {
        let path = request.path.split(separator: "?").first.map(String.init) ?? request.path
        if let handler = locked({ routes[path] }) { return handler(request) }
        let parts = path.split(separator: "/").map(String.init)
        let argument = parts.count > 1 ? parts[1] : ""
        switch parts.first ?? "" {
        case "robots.txt":
            guard let robots else { return .html("no robots.txt", status: 404) }
            return Response(status: 200, headers: [("Content-Type", "text/plain")], body: Data(robots.utf8))
        case "status":
            let code = Int(argument) ?? 500
            return .html("<html><body>status \(code)</body></html>", status: code)
        case "etag":
            let html = locked { documents[argument] } ?? "<html><body>\(argument)</body></html>"
            let etag = "\"\(String(UInt(bitPattern: html.hashValue), radix: 16))\""
            if request.headers["if-none-match"] == etag { return Response(status: 304, headers: [("ETag", etag)]) }
            return .html(html, headers: [("ETag", etag)])
        case "last-modified":
            let html = locked { documents[argument] } ?? "<html><body>\(argument)</body></html>"
            let stamp = "Tue, 03 Nov 2026 10:00:00 GMT"
            if request.headers["if-modified-since"] == stamp {
                return Response(status: 304, headers: [("Last-Modified", stamp)])
            }
            return .html(html, headers: [("Last-Modified", stamp)])
        case "redirect":
            let hops = Int(argument) ?? 0
            if hops <= 0 { return .html("<html><body>arrived</body></html>") }
            return Response(status: 302, headers: [("Location", "/redirect/\(hops - 1)")])
        case "redirect-loop":
            return Response(status: 301, headers: [("Location", argument == "b" ? "/redirect-loop/a" : "/redirect-loop/b")])
        case "retry-after":
            if count(path) == 1 { return Response(status: 429, headers: [("Retry-After", argument)]) }
            return .html("<html><body>after waiting</body></html>")
        case "flaky":
            if count(path) <= (Int(argument) ?? 1) { return .html("busy", status: 503) }
            return .html("<html><body>recovered</body></html>")
        case "trickle":
            return Response(
                status: 200, headers: [("Content-Type", "text/html"), ("Content-Length", "100000")],
                body: Data(repeating: UInt8(ascii: "x"), count: 100_000), trickle: 0.5)
        case "big":
            let size = Int(argument) ?? 1_000_000
            return Response(status: 200, headers: [("Content-Type", "text/html")], body: Data(repeating: UInt8(ascii: "a"), count: size))
        case "big-unannounced":
            // No Content-Length: the limit must be enforced while the body streams.
            let size = Int(argument) ?? 1_000_000
            return Response(
                status: 200, headers: [("Content-Type", "text/html"), ("Content-Length", "")],
                body: Data(repeating: UInt8(ascii: "a"), count: size))
        case "gzip-bomb":
            return Response(
                status: 200, headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: Self.gzipBomb)
        case "slow":
            Thread.sleep(forTimeInterval: Double(argument) ?? 1)
            return .html("<html><body>slow</body></html>")
        default:
            return .html("not found", status: 404)
        }
    }

    /// 20 MiB of zeros gzip-compressed to about 20 KiB, made once with the system's gzip.
    static let gzipBomb: Data = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c 20971520 /dev/zero | gzip -9"]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return Data() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }()

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

public enum FixtureServerError: Error, CustomStringConvertible {
    case socket(String, Int32)

    public var description: String {
        switch self {
        case .socket(let call, let code): "fixture server: \(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
