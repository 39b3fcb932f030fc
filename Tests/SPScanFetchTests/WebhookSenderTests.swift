import Foundation
import Logging
import SPScanFetch
import SPScanModel
import SPScanTestSupport
import Testing

@Suite("HMAC-SHA256 and webhook delivery over a loopback receiver")
struct WebhookSenderTests {
    static func hex(_ text: String) -> Data {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return Data(bytes)
    }

    @Test("RFC 4231 test cases 1, 2, 4 and 6 (a key longer than a block)")
    func rfc4231() {
        #expect(
            HMACSHA256.hex(key: Data(repeating: 0x0b, count: 20), message: Data("Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            HMACSHA256.hex(key: Data("Jefe".utf8), message: Data("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            HMACSHA256.hex(key: Self.hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), message: Data(repeating: 0xcd, count: 50))
                == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
        #expect(
            HMACSHA256.hex(
                key: Data(repeating: 0xaa, count: 131), message: Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    static func sender(environment: [String: String] = [:]) -> WebhookSender {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var sender = WebhookSender(userAgent: "spscan-test/1.0", environment: environment, logger: logger)
        sender.backoff = 0.05
        sender.timeout = 5
        return sender
    }

    /// A receiver that answers each POST to `path` with the next status of `statuses` (the last one repeats).
    static func receiver(_ server: FixtureServer, _ path: String, statuses: [Int]) {
        let counter = Counter()
        server.route(path) { _ in
            let status = statuses[min(counter.next() - 1, statuses.count - 1)]
            return .html("ok", status: status)
        }
    }

    @Test("a 500 is retried and the second attempt delivers the signed body; the receiver checks the signature")
    func retriedThenDelivered() async throws {
        let server = try FixtureServer()
        Self.receiver(server, "/hook", statuses: [500, 200])
        let body = Data(#"{"event":"scan.changes","scan":3}"#.utf8)
        let hook = Webhook(url: server.url("hook"), secretEnv: "HOOK_SECRET", allowPrivate: true, retries: 3)
        let deliveries = await Self.sender(environment: ["HOOK_SECRET": "correct horse"]).deliver(body, event: "scan.changes", to: [hook])
        #expect(
            deliveries == [
                WebhookDelivery(url: hook.url.absoluteString, delivered: true, attempts: 2, httpStatus: 200, signed: true)
            ])
        let requests = server.requests(path: "/hook")
        #expect(requests.count == 2)
        for request in requests {
            #expect(request.method == "POST")
            #expect(request.body == body)
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["x-spscan-event"] == "scan.changes")
            let expected = "sha256=" + HMACSHA256.hex(key: Data("correct horse".utf8), message: request.body)
            #expect(request.headers["x-spscan-signature"] == expected)
            #expect(request.headers["x-spscan-signature"] != "sha256=" + HMACSHA256.hex(key: Data("wrong".utf8), message: body))
        }
    }

    @Test("a receiver that always fails is given up after its retries, without throwing")
    func alwaysFailing() async throws {
        let server = try FixtureServer()
        Self.receiver(server, "/down", statuses: [503])
        let hook = Webhook(url: server.url("down"), allowPrivate: true, retries: 2)
        let deliveries = await Self.sender().deliver(Data("{}".utf8), event: "scan.changes", to: [hook])
        #expect(
            deliveries == [
                WebhookDelivery(
                    url: hook.url.absoluteString, delivered: false, attempts: 3, httpStatus: 503,
                    error: "HTTP 503; gave up after 3 attempts", signed: false)
            ])
        #expect(server.requests(path: "/down").count == 3)
    }

    @Test("a 4xx is not retried, a redirect is not followed, and a Retry-After past the time allowed ends the retries")
    func permanentFailures() async throws {
        let server = try FixtureServer()
        Self.receiver(server, "/gone", statuses: [404])
        server.route("/moved") { _ in FixtureServer.Response(status: 301, headers: [("Location", "https://example.org/new")]) }
        // Asked to come back after longer than the hook's time allows: given up at once.
        server.route("/busy") { _ in FixtureServer.Response(status: 503, headers: [("Retry-After", "120")]) }
        let sender = Self.sender()
        let hooks = ["gone", "moved", "busy"].map { Webhook(url: server.url($0), allowPrivate: true, retries: 5) }
        let deliveries = await sender.deliver(Data("{}".utf8), event: "scan.changes", to: hooks)
        #expect(deliveries.map(\.attempts) == [1, 1, 1])
        #expect(deliveries.map(\.delivered) == [false, false, false])
        #expect(deliveries[0].error == "HTTP 404: the receiver refused the summary; check the URL and the secret")
        #expect(
            deliveries[1].error
                == "HTTP 301: the URL redirects to https://example.org/new; put the final URL in notify: (redirects are not followed)")
        #expect(deliveries[2].error?.hasPrefix("HTTP 503; gave up after 1 attempt in ") == true, "\(deliveries[2])")
        #expect(deliveries[2].error?.hasSuffix(" s (the time allowed)") == true, "\(deliveries[2])")
        #expect(server.requests(path: "/busy").count == 1)
    }

    @Test("a loopback receiver is refused unless the hook allows private addresses; a secret's unset variable sends nothing")
    func refusals() async throws {
        let server = try FixtureServer()
        Self.receiver(server, "/hook", statuses: [200])
        let sender = Self.sender()
        let deliveries = await sender.deliver(
            Data("{}".utf8), event: "scan.changes",
            to: [
                Webhook(url: server.url("hook"), retries: 3),
                Webhook(url: server.url("hook"), secretEnv: "UNSET_SECRET", allowPrivate: true),
            ])
        #expect(deliveries[0].delivered == false)
        #expect(deliveries[0].attempts == 0)
        #expect(
            deliveries[0].error
                == "refused: 127.0.0.1 is a private, loopback or link-local address; add `allow_private: true` to this notify item "
                + "if the receiver is meant to be on this network")
        #expect(deliveries[1].attempts == 0)
        #expect(
            deliveries[1].error
                == "not sent: the environment variable UNSET_SECRET named by secret_env is not set; export it before the scan, "
                + "or remove secret_env to send unsigned")
        #expect(server.requests(path: "/hook").isEmpty)
    }
}

/// Counts calls across the fixture server's threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
