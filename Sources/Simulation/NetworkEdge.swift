import Wire

/// What stands between a host and the internet in a simulated scenario: nothing, one of
/// the four classic NAT types, or a firewall that blocks UDP. Tools name them on the
/// command line (`ice-check --simulate symmetric,full-cone`) and lessons tabulate them.
public enum NetworkEdge: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// No NAT, no filtering: the host's own address is public.
    case open = "open"
    /// EIM + EIF.
    case fullCone = "full-cone"
    /// EIM + ADF.
    case restrictedCone = "restricted-cone"
    /// EIM + APDF.
    case portRestrictedCone = "port-restricted-cone"
    /// APDM + APDF.
    case symmetric = "symmetric"
    /// Every UDP datagram is dropped, both ways (ICE must fall back to TURN over TCP/TLS).
    case udpBlocked = "udp-blocked"

    /// The NAT behaviour, for the four NAT cases; nil for `open` and `udpBlocked`.
    public var natConfiguration: NATConfiguration? {
        switch self {
        case .open, .udpBlocked: return nil
        case .fullCone: return .fullCone
        case .restrictedCone: return .restrictedCone
        case .portRestrictedCone: return .portRestrictedCone
        case .symmetric: return .symmetric
        }
    }

    /// The gateway's middlebox. NATs get `publicAddress`; `open` is a transparent
    /// firewall that blocks nothing and `udpBlocked` one that blocks everything: both keep
    /// the host's own address, so give hosts behind them public addresses.
    public func middlebox(publicAddress: IPAddress) -> any Middlebox {
        if let configuration = natConfiguration { return NATBox(configuration, publicAddress: publicAddress) }
        return self == .udpBlocked ? UDPFirewall.blockingAllUDP : UDPFirewall(policy: .blockPorts([]))
    }

    /// The command-line name, e.g. "port-restricted-cone".
    public var description: String { rawValue }
}
