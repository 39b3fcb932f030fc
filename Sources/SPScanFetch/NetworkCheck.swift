import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One look, before any transfer starts, at whether the network is there at all.
///
/// Without it, a scan on a machine with no network starts every transfer, logs a failure per source and
/// appends a `failed` record to every source's log before it can tell that nothing was reachable. Resolving
/// the sources' host names first costs a DNS round trip on a working network and spares all of that
/// offline. A host that resolves proves nothing about its server: that is still for the transfer to find out.
enum NetworkCheck {
    /// How long a decision takes at most. On a working network one of the names answers in tens of
    /// milliseconds and ends the wait; without one, a resolver waits out its own timeout (5 s per try by
    /// default in resolv.conf), which used to be the whole cost of an offline scan. A second without a single
    /// answer is taken as no network: a scan with a real but slower resolver then stands on its snapshots and
    /// says so, and the next scan fetches again.
    static let defaultDeadline: TimeInterval = 0.9

    /// Whether any of these hosts resolves within `deadline` seconds. An address literal or `localhost`
    /// counts as resolving without a lookup. Lookups run in parallel, one thread each, at most `limit` of them:
    /// getaddrinfo blocks and cannot be cancelled, so one that outlives the deadline is left to finish alone.
    /// The answer is kept for `reuse` seconds for the same hosts, so that one run asks once.
    static func anyHostResolves(
        _ hosts: [String], within deadline: TimeInterval = defaultDeadline, limit: Int = 32, reuse: TimeInterval = 60
    ) -> Bool {
        let names = Array(Set(hosts.map { $0.lowercased() })).sorted().prefix(limit)
        guard !names.isEmpty else { return true }
        if names.contains(where: { isLiteral($0) || $0 == "localhost" }) { return true }
        let key = names.joined(separator: " ")
        if let cached = cache.answer(for: key, maxAge: reuse) { return cached }
        let answers = Answers()
        for name in names {
            let thread = Thread {
                answers.record(resolves(name))
            }
            thread.name = "spscan-dns-check"
            thread.start()
        }
        let answer = answers.wait(for: names.count, until: Date(timeIntervalSinceNow: deadline))
        cache.store(answer, for: key)
        return answer
    }

    private static let cache = Cache()

    /// The last answers by host list, with their time.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [String: (answer: Bool, at: Date)] = [:]

        func answer(for key: String, maxAge: TimeInterval) -> Bool? {
            lock.lock()
            defer { lock.unlock() }
            guard let entry = answers[key], Date().timeIntervalSince(entry.at) < maxAge else { return nil }
            return entry.answer
        }

        func store(_ answer: Bool, for key: String) {
            lock.lock()
            defer { lock.unlock() }
            answers[key] = (answer, Date())
        }
    }

    private static func isLiteral(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }

    private static func resolves(_ host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return false }
        if let list { freeaddrinfo(list) }
        return true
    }

    /// The lookups' answers as they come: the first yes ends the wait.
    private final class Answers: @unchecked Sendable {
        private let condition = NSCondition()
        private var answered = 0
        private var anyYes = false

        func record(_ resolved: Bool) {
            condition.lock()
            answered += 1
            anyYes = anyYes || resolved
            condition.broadcast()
            condition.unlock()
        }

        func wait(for count: Int, until deadline: Date) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while !anyYes, answered < count, condition.wait(until: deadline) {}
            return anyYes
        }
    }
}
