#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// Host name resolution through getaddrinfo(3).
///
/// Resolution is I/O (it may read /etc/hosts, ask a DNS server, or wait), so it
/// lives in the driver and never in a protocol layer. A literal IP address is
/// returned as is without any lookup.
public enum HostResolver {
    /// Which address families to ask for.
    public enum Family: Sendable {
        /// IPv4 and IPv6, in the order getaddrinfo(3) prefers (RFC 6724).
        case any
        /// IPv4 only.
        case ipv4
        /// IPv6 only.
        case ipv6
    }

    /// Resolves `host` to UDP transport addresses with `port`, without duplicates,
    /// in getaddrinfo's preference order.
    ///
    /// Throws `SocketError` with code `.unresolvableHost` when the name has no
    /// address (NXDOMAIN, no such entry, no network to ask).
    public static func resolve(host: String, port: UInt16, family: Family = .any) throws -> [TransportAddress] {
        if let literal = IPAddress(host) {
            guard matches(literal, family) else {
                throw SocketError(.unresolvableHost, reason: "\(host) is not an address of the requested family")
            }
            return [TransportAddress(literal, port)]
        }
        guard !host.isEmpty, !host.utf8.contains(0) else {
            throw SocketError(.invalidArgument, reason: "empty or invalid host name")
        }
        // RFC 6761 §6.4: resolvers SHOULD answer names under "invalid." negatively
        // at once. glibc asks DNS anyway; answering here keeps the promise and
        // lets tests exercise this path without a packet leaving the machine.
        let lowered = host.lowercased()
        if lowered == "invalid" || lowered == "invalid." || lowered.hasSuffix(".invalid") || lowered.hasSuffix(".invalid.") {
            throw SocketError(.unresolvableHost, reason: "cannot resolve host \(host): names under .invalid never resolve (RFC 6761 §6.4)")
        }
        var hints = addrinfo()
        switch family {
        case .any: hints.ai_family = AF_UNSPEC
        case .ipv4: hints.ai_family = AF_INET
        case .ipv6: hints.ai_family = AF_INET6
        }
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        #else
        hints.ai_socktype = SOCK_DGRAM
        #endif
        hints.ai_protocol = Int32(IPPROTO_UDP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            let text = status == 0 ? "no addresses" : String(cString: gai_strerror(status))
            throw SocketError(.unresolvableHost, osError: status, reason: "cannot resolve host \(host): \(text)")
        }
        defer { freeaddrinfo(first) }
        var results: [TransportAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let pointer = entry.pointee.ai_addr,
               let address = SocketAddress.transportAddress(from: pointer, length: entry.pointee.ai_addrlen) {
                let withPort = TransportAddress(address.ip, port)
                if !results.contains(withPort) { results.append(withPort) }
            }
            cursor = entry.pointee.ai_next
        }
        guard !results.isEmpty else {
            throw SocketError(.unresolvableHost, reason: "cannot resolve host \(host): no IPv4 or IPv6 address")
        }
        return results
    }

    private static func matches(_ address: IPAddress, _ family: Family) -> Bool {
        switch family {
        case .any: return true
        case .ipv4: return address.isIPv4
        case .ipv6: return !address.isIPv4
        }
    }
}
