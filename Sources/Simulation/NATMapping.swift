import Wire

/// One NAT binding: an internal transport address seen outside as `external`
/// (RFC 4787 §3: X:x → X':x').
public struct NATMapping: Hashable, Sendable, CustomStringConvertible {
    /// The internal endpoint, X:x.
    public var internalAddress: TransportAddress
    /// Its public face, X':x'.
    public var externalAddress: TransportAddress
    /// The remote the mapping is specific to: nil for endpoint-independent mapping, a
    /// remote IP (port 0) for address-dependent, a remote IP:port for
    /// address-and-port-dependent.
    public var scope: TransportAddress?
    /// When the first outbound datagram created it.
    public var created: Instant
    /// When it expires unless outbound traffic refreshes it first.
    public var expires: Instant
    /// The remotes the internal endpoint sent to through this mapping, each with the
    /// instant its filter permission expires (filtering admits only these, unless
    /// filtering is endpoint-independent).
    public var permissions: [TransportAddress: Instant]

    /// `192.168.1.2:4000 -> 203.0.113.5:4000` plus the scope when there is one.
    public var description: String {
        let base = "\(internalAddress) -> \(externalAddress)"
        guard let scope else { return base }
        return base + " (toward \(scope.port == 0 ? scope.ip.description : scope.description))"
    }
}

/// A change in a NAT's mapping table, with the virtual time it took effect.
public enum NATEvent: Hashable, Sendable, CustomStringConvertible {
    /// An outbound datagram toward `remote` created `mapping`.
    case created(NATMapping, toward: TransportAddress)
    /// `mapping` saw no outbound traffic for the timeout and was removed (at `mapping.expires`).
    case expired(NATMapping)

    /// When the event took effect.
    public var time: Instant {
        switch self {
        case let .created(mapping, _): return mapping.created
        case let .expired(mapping): return mapping.expires
        }
    }

    public var description: String {
        switch self {
        case let .created(mapping, remote):
            return "\(time) new mapping \(mapping.internalAddress) -> \(mapping.externalAddress) for \(remote)"
        case let .expired(mapping):
            return "\(time) mapping \(mapping.internalAddress) -> \(mapping.externalAddress) expired"
        }
    }
}

/// What a NAT box has done so far.
public struct NATCounters: Hashable, Sendable {
    /// Outbound datagrams forwarded with their source rewritten.
    public var translatedOutbound = 0
    /// Inbound datagrams forwarded with their destination rewritten.
    public var translatedInbound = 0
    /// Mappings created.
    public var mappingsCreated = 0
    /// Mappings removed after their timeout.
    public var mappingsExpired = 0
    /// Inbound datagrams to an external address with no live mapping.
    public var droppedNoMapping = 0
    /// Inbound datagrams a mapping exists for, stopped by the filtering behaviour.
    public var droppedFiltered = 0
    /// Outbound datagrams to the NAT's own public address while hairpinning is off.
    public var droppedHairpin = 0
    /// Outbound datagrams that needed a new mapping when no external port was free.
    public var droppedNoFreePort = 0
    /// Creates zeroed counters.
    public init() {}
}
