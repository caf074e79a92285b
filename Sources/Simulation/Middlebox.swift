import Wire

/// Which way a datagram crosses a middlebox.
public enum MiddleboxDirection: Hashable, Sendable, CustomStringConvertible {
    /// From the private realm behind the box toward the outer realm.
    case outbound
    /// From the outer realm toward the private realm behind the box.
    case inbound

    public var description: String { self == .outbound ? "outbound" : "inbound" }
}

/// What a middlebox decided about one datagram.
public enum MiddleboxVerdict: Hashable, Sendable {
    /// Pass the datagram on, possibly rewritten (a NAT rewrites addresses).
    case forward(Datagram)
    /// Swallow it; `reason` ends up in the trace (e.g. "UDP blocked", "no mapping").
    case drop(reason: String)
}

/// What a middlebox may use besides the datagram: the time, and randomness drawn from
/// the network's one seeded generator (so runs stay reproducible by seed).
public struct MiddleboxContext {
    /// The current virtual time (for mapping lifetimes and filter state).
    public let now: Instant
    /// The middlebox's name in the topology and the trace.
    public let name: String
    /// The network's generator; draws made here are part of the seeded run.
    public var random: SplitMix64
    /// True when the datagram is a segment of a TCP connection (the network carries
    /// traffic to and from some services as a stream, `SimulatedNetwork.carryAsStream`).
    /// A UDP firewall lets these pass; a NAT maps them like any other flow.
    public var isStreamSegment = false
}

/// The hook between a private realm and the rest of the network: every datagram that
/// enters or leaves the realm passes through `process`, in virtual time order.
///
/// A middlebox is a value; the network owns it and calls it, and tests read it back
/// with `SimulatedNetwork.middlebox(of:as:)` (e.g. for counters or a NAT's mappings).
/// State changes only inside `process`: there are no middlebox timers, because expiry
/// (NAT mapping timeouts) can be computed lazily from `context.now` on the next datagram.
/// The module documentation (Simulation.swift) explains how NAT boxes plug in.
public protocol Middlebox {
    /// Addresses the outer realm routes to this box.
    ///
    /// A NAT returns its public addresses (and hides the private ones). Empty (the
    /// default) means a transparent box, a firewall or router: the outer realm routes the
    /// hosts' own addresses to it. Read once, when the realm is created.
    var externalAddresses: [IPAddress] { get }

    /// Decides the fate of one datagram crossing the box at `context.now`.
    mutating func process(_ datagram: Datagram, _ direction: MiddleboxDirection,
                          context: inout MiddleboxContext) -> MiddleboxVerdict
}

extension Middlebox {
    /// Transparent by default: the hosts behind the box keep their own addresses.
    public var externalAddresses: [IPAddress] { [] }
}
