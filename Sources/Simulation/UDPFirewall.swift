import Wire

/// A stateless, transparent firewall in front of a realm, with counters.
///
/// Restrictive networks (hotels, corporate guest Wi-Fi) often drop UDP altogether or
/// allow a few ports; ICE then falls back to a relay. The policy is judged on the
/// *remote* port: the destination for outbound datagrams, the source for inbound ones,
/// because that is the service being reached.
public struct UDPFirewall: Middlebox, Sendable {
    /// Which UDP traffic passes.
    public enum Policy: Hashable, Sendable {
        /// Everything passes except traffic whose remote port is listed.
        case blockPorts(Set<UInt16>)
        /// Nothing passes except traffic whose remote port is listed.
        case allowOnlyPorts(Set<UInt16>)
    }

    /// What the firewall has seen, per direction.
    public struct Counters: Hashable, Sendable {
        /// Datagrams passed from inside to outside.
        public var forwardedOutbound = 0
        /// Datagrams passed from outside to inside.
        public var forwardedInbound = 0
        /// Datagrams dropped on their way out.
        public var droppedOutbound = 0
        /// Datagrams dropped on their way in.
        public var droppedInbound = 0
        /// Creates zeroed counters.
        public init() {}
    }

    /// The active policy.
    public var policy: Policy
    /// Counts of forwarded and dropped datagrams.
    public private(set) var counters = Counters()

    /// Creates a firewall with `policy`.
    public init(policy: Policy) { self.policy = policy }

    /// A firewall that drops all UDP (the "UDP blocked" case of ICE).
    public static var blockingAllUDP: UDPFirewall { UDPFirewall(policy: .allowOnlyPorts([])) }

    /// True when the policy lets traffic with this remote port through.
    public func allows(remotePort port: UInt16) -> Bool {
        switch policy {
        case let .blockPorts(ports): return !ports.contains(port)
        case let .allowOnlyPorts(ports): return ports.contains(port)
        }
    }

    /// Passes or drops by the remote port, counting either way; never rewrites.
    /// TCP segments (`context.isStreamSegment`) always pass and are not counted: this firewall filters UDP only.
    public mutating func process(_ datagram: Datagram, _ direction: MiddleboxDirection,
                                 context: inout MiddleboxContext) -> MiddleboxVerdict {
        if context.isStreamSegment { return .forward(datagram) }
        let remotePort = direction == .outbound ? datagram.destination.port : datagram.source.port
        let allowed = allows(remotePort: remotePort)
        switch (direction, allowed) {
        case (.outbound, true): counters.forwardedOutbound += 1
        case (.inbound, true): counters.forwardedInbound += 1
        case (.outbound, false): counters.droppedOutbound += 1
        case (.inbound, false): counters.droppedInbound += 1
        }
        return allowed ? .forward(datagram) : .drop(reason: "UDP port \(remotePort) blocked")
    }
}
