import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The private-address check for requests that go through a proxy from the environment.
///
/// libcurl takes proxies from `http_proxy`, `https_proxy`, `all_proxy` and `no_proxy` (either case, except
/// `http_proxy`, lower case only). Through a proxy the socket connects to the proxy, often on a private or
/// loopback address, so the socket-level check would refuse every request; instead the target host is
/// checked here, before the request: an address literal directly, a name after local DNS resolution. A name
/// that only the proxy can resolve is left to the proxy.
struct ProxyPolicy: Sendable {
    private let environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The proxy libcurl will use for this URL, or nil for a direct connection.
    func proxy(for url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        let names = scheme == "http" ? ["http_proxy"] : ["\(scheme)_proxy", "\(scheme)_proxy".uppercased()]
        let candidates = names + ["all_proxy", "ALL_PROXY"]
        guard let proxy = candidates.lazy.compactMap({ self.environment[$0] }).first(where: { !$0.isEmpty }) else {
            return nil
        }
        return bypassed(host) ? nil : proxy
    }

    /// Whether `no_proxy` names the host: `*`, the host itself, or a domain suffix (`example.org`, `.example.org`).
    private func bypassed(_ host: String) -> Bool {
        let list = (environment["no_proxy"] ?? environment["NO_PROXY"] ?? "").lowercased()
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            if entry == "*" { return true }
            let domain = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
            if host == domain || host.hasSuffix("." + domain) { return true }
        }
        return false
    }

    /// Why a proxied target is private: the address it is or resolves to, or its name alone.
    enum PrivateTarget: Sendable, Hashable {
        case address(String)
        case name(String)
    }

    /// What makes the target host private, if anything: what to refuse before a proxied request.
    ///
    /// An address literal is judged directly (IPv6 forms carrying IPv4 included); a name that spells a local
    /// or private place (`localhost.`, `127.0.0.1.nip.io`) is refused without DNS, since the proxy would
    /// resolve it on its own network; any other name is resolved here and each address checked.
    static func privateTarget(of host: String) -> PrivateTarget? {
        if let bytes = AddressPolicy.parse(host) {
            return AddressPolicy.isPrivate(bytes) ? .address(AddressPolicy.format(bytes)) : nil
        }
        if AddressPolicy.isPrivateName(host) { return .name(host) }
        return privateAddress(of: host).map(PrivateTarget.address)
    }

    /// The first private address the host name resolves to locally, if any.
    static func privateAddress(of host: String) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(first) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ai_next }
            guard let address = entry.pointee.ai_addr else { continue }
            var bytes: [UInt8] = []
            if entry.pointee.ai_family == AF_INET {
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    bytes = withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                }
            } else if entry.pointee.ai_family == AF_INET6 {
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    bytes = withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
            }
            if !bytes.isEmpty, AddressPolicy.isPrivate(bytes) { return AddressPolicy.format(bytes) }
        }
        return nil
    }
}
