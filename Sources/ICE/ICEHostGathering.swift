import Wire

/// One address on one network interface, as a driver's `getifaddrs` walk reports it.
public struct ICENetworkInterface: Hashable, Sendable {
    /// The interface name ("lo", "eth0").
    public var name: String
    /// One of its addresses.
    public var address: IPAddress
    /// False for an interface that is down: it gets no candidates.
    public var isUp: Bool

    /// Creates an entry.
    public init(name: String, address: IPAddress, isUp: Bool = true) {
        self.name = name
        self.address = address
        self.isUp = isUp
    }
}

/// Which interface addresses become host candidates.
public enum ICEInterfacePolicy: Hashable, Sendable {
    /// 127.0.0.0/8 and ::1 only. The default everywhere in this project: tests,
    /// demos and lessons never send beyond loopback.
    case loopbackOnly
    /// Every usable address, for real use. Loopback is left out as RFC 8445
    /// §5.1.1.1 requires; link-local addresses only when asked, since they work
    /// on one link only and their scope id is not part of a candidate.
    case allInterfaces(includeLinkLocal: Bool)

    /// All interfaces without link-local addresses.
    public static let allInterfaces = ICEInterfacePolicy.allInterfaces(includeLinkLocal: false)
}

/// An address to bind for a host candidate, with its local preference.
public struct ICEHostAddress: Hashable, Sendable {
    /// The address to bind a UDP socket on.
    public var ip: IPAddress
    /// The interface it belongs to.
    public var interfaceName: String
    /// Its local preference (§5.1.2.2), distinct for every address.
    public var localPreference: UInt16
}

/// Host candidate gathering (RFC 8445 §5.1.1.1) as pure functions: which
/// addresses to bind, with which local preference, and the candidate once a
/// driver has bound a port. Enumerating interfaces and binding are I/O.
public enum ICEHostGathering {
    /// The addresses to bind under `policy`, each once, in interface order, with
    /// local preferences from `localPreferences(for:)`.
    ///
    /// Never used, whatever the policy: unspecified addresses, IPv4-mapped and
    /// IPv4-compatible IPv6 addresses and IPv6 site-local addresses (§5.1.1.1),
    /// and addresses of interfaces that are down.
    public static func hostAddresses(from interfaces: [ICENetworkInterface], policy: ICEInterfacePolicy) -> [ICEHostAddress] {
        var seen = Set<IPAddress>()
        var chosen: [(ip: IPAddress, name: String)] = []
        for interface in interfaces where interface.isUp && isAllowed(interface.address, by: policy) {
            if seen.insert(interface.address).inserted { chosen.append((interface.address, interface.name)) }
        }
        let preferences = localPreferences(for: chosen.map(\.ip))
        return zip(chosen, preferences).map { ICEHostAddress(ip: $0.ip, interfaceName: $0.name, localPreference: $1) }
    }

    /// Whether `address` may become a host candidate under `policy`.
    public static func isAllowed(_ address: IPAddress, by policy: ICEInterfacePolicy) -> Bool {
        if address.isUnspecified || isIPv4MappedOrCompatible(address) || isSiteLocal(address) { return false }
        switch policy {
        case .loopbackOnly:
            return address.isLoopback
        case let .allInterfaces(includeLinkLocal):
            if address.isLoopback { return false }
            return includeLinkLocal || !isLinkLocal(address)
        }
    }

    /// Local preferences for a multihomed or dual-stack host (§5.1.2.2 with
    /// RFC 8421 §4): a single address gets 65535; otherwise the families are
    /// interleaved, IPv6 first, and preferences count down from 65535 in that
    /// interleaved order (v6, v4, v6, v4, ..., then the rest of the longer
    /// family). Why: the checklist is walked in priority order, so a broken
    /// IPv6 path must not hold back every IPv4 check; interleaving gives each
    /// family an early turn. Every value is distinct, which keeps the
    /// priorities of same-type candidates distinct as §5.1.2.1 requires.
    /// Results are in the order of `addresses`.
    public static func localPreferences(for addresses: [IPAddress]) -> [UInt16] {
        let v6 = addresses.indices.filter { !addresses[$0].isIPv4 }
        let v4 = addresses.indices.filter { addresses[$0].isIPv4 }
        var order: [Int] = []
        for rank in 0..<max(v6.count, v4.count) {
            if rank < v6.count { order.append(v6[rank]) }
            if rank < v4.count { order.append(v4[rank]) }
        }
        var result = [UInt16](repeating: 0, count: addresses.count)
        for (rank, index) in order.enumerated() {
            // More than 65536 addresses is not a host; saturate rather than trap.
            result[index] = UInt16(max(0, 65_535 - rank))
        }
        return result
    }

    /// The host candidate for `host` once a socket is bound on `port`: its own
    /// base, the recommended host type preference, the address's local preference.
    public static func candidate(for host: ICEHostAddress, port: UInt16, componentID: Int,
                                 foundations: inout ICEFoundations) throws -> ICECandidate {
        let priority = try ICECandidatePriority.compute(type: .host, localPreference: host.localPreference,
                                                        componentID: componentID)
        let key = ICEFoundationKey(type: .host, baseIP: host.ip, server: nil)
        return ICECandidate(type: .host, address: TransportAddress(host.ip, port), componentID: componentID,
                            foundation: foundations.foundation(for: key), priority: priority)
    }

    /// fe80::/10 and 169.254.0.0/16.
    public static func isLinkLocal(_ address: IPAddress) -> Bool {
        switch address {
        case let .v4(a, b, _, _): return a == 169 && b == 254
        case let .v6(high, _): return high >> 54 == 0x3FA
        }
    }

    /// fec0::/10, deprecated by RFC 3879.
    static func isSiteLocal(_ address: IPAddress) -> Bool {
        if case let .v6(high, _) = address { return high >> 54 == 0x3FB }
        return false
    }

    /// ::ffff:0:0/96 and the deprecated ::a.b.c.d (other than :: and ::1).
    static func isIPv4MappedOrCompatible(_ address: IPAddress) -> Bool {
        guard case let .v6(high, low) = address, high == 0 else { return false }
        let top = low >> 32
        return top == 0xFFFF || (top == 0 && low > 1)
    }
}
