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
    /// Whether any of these hosts resolves within `deadline` seconds. An address literal or `localhost`
    /// counts as resolving without a lookup. Lookups run in parallel, one thread each, at most `limit` of them:
    /// getaddrinfo blocks and cannot be cancelled, so one that outlives the deadline is left to finish alone.
    static func anyHostResolves(_ hosts: [String], within deadline: TimeInterval = 15, limit: Int = 32) -> Bool {
        let names = Array(Set(hosts.map { $0.lowercased() })).sorted().prefix(limit)
        guard !names.isEmpty else { return true }
        if names.contains(where: { isLiteral($0) || $0 == "localhost" }) { return true }
        let answers = Answers()
        for name in names {
            let thread = Thread {
                answers.record(resolves(name))
            }
            thread.name = "spscan-dns-check"
            thread.start()
        }
        return answers.wait(for: names.count, until: Date(timeIntervalSinceNow: deadline))
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
