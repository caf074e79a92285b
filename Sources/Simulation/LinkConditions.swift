import Wire

/// What one direction of one link does to the datagrams crossing it.
///
/// For each datagram entering the link, in this order:
/// 1. **MTU**: if the IP packet (payload + 8 bytes of UDP header + 20 bytes of IPv4 or
///    40 bytes of IPv6 header) is larger than `mtu`, it is dropped as `.tooBig`
///    (no fragmentation: WebRTC sets DF and keeps datagrams under ~1200 bytes).
/// 2. **Loss**: dropped with probability `loss`.
/// 3. **Latency**: `delay` plus a jitter drawn uniformly from `0...jitter` (whole
///    nanoseconds), so a datagram never arrives before `delay`. Because jitter is drawn
///    independently per datagram it can reorder datagrams sent closer together than
///    `jitter`, as on a real path.
/// 4. **Reordering**: with probability `reordering` the datagram is held back an extra
///    `reorderingDelay`, so datagrams sent just after it overtake it.
/// 5. **Duplication**: with probability `duplication` a copy (a new packet number in the
///    trace) is made and gets its own independent latency draw (steps 3 and 4), so the
///    copy may arrive first. Copies are not duplicated again.
///
/// Random draws happen only for features that are switched on, so `perfect` links
/// consume no randomness.
public struct LinkConditions: Hashable, Sendable {
    /// Fixed one-way propagation delay.
    public var delay: Duration
    /// Upper bound of the uniform extra delay added to each datagram.
    public var jitter: Duration
    /// Probability in 0...1 that a datagram is lost.
    public var loss: Double
    /// Probability in 0...1 that a datagram is delivered twice.
    public var duplication: Double
    /// Probability in 0...1 that a datagram is held back by `reorderingDelay`.
    public var reordering: Double
    /// Extra delay of a reordered datagram.
    public var reorderingDelay: Duration
    /// Largest IP packet (headers included) the link carries, in bytes.
    public var mtu: Int

    /// Creates link conditions; everything defaults to a perfect 1500-byte-MTU link.
    public init(
        delay: Duration = .zero, jitter: Duration = .zero, loss: Double = 0,
        duplication: Double = 0, reordering: Double = 0, reorderingDelay: Duration = .zero,
        mtu: Int = 1500
    ) {
        self.delay = delay
        self.jitter = jitter
        self.loss = loss
        self.duplication = duplication
        self.reordering = reordering
        self.reorderingDelay = reorderingDelay
        self.mtu = mtu
    }

    /// No delay, no loss, 1500-byte MTU.
    public static let perfect = LinkConditions()

    /// A perfect link with a fixed one-way delay.
    public static func delay(_ delay: Duration) -> LinkConditions { LinkConditions(delay: delay) }

    /// The size of the IP packet that carries `datagram` (IP + UDP headers + payload).
    public static func ipPacketSize(of datagram: Datagram) -> Int {
        (datagram.destination.ip.isIPv4 ? 20 : 40) + 8 + datagram.payload.count
    }

    /// Throws `SimulationError.invalidConditions` unless every field is in range.
    public func validate() throws {
        for (name, probability) in [("loss", loss), ("duplication", duplication), ("reordering", reordering)]
        where !(0...1).contains(probability) {
            throw SimulationError(.invalidConditions, "\(name) must be within 0...1, got \(probability)")
        }
        for (name, duration) in [("delay", delay), ("jitter", jitter), ("reorderingDelay", reorderingDelay)]
        where duration < .zero {
            throw SimulationError(.invalidConditions, "\(name) must not be negative, got \(duration)")
        }
        guard mtu >= 28 else {
            throw SimulationError(.invalidConditions, "mtu must hold at least the IPv4 + UDP headers (28), got \(mtu)")
        }
    }

    /// Draws one datagram's latency (steps 3 and 4 above).
    func sampleLatency(using random: inout SplitMix64) -> Duration {
        var nanoseconds = delay.totalNanoseconds
        let spread = jitter.totalNanoseconds
        if spread > 0 { nanoseconds += random.uniform(upTo: spread) }
        if reordering > 0, random.chance(reordering) { nanoseconds += reorderingDelay.totalNanoseconds }
        return .nanoseconds(nanoseconds)
    }
}

extension SplitMix64 {
    /// A uniform integer in 0...bound (multiply-high reduction; bias below 2^-40 here).
    mutating func uniform(upTo bound: Int64) -> Int64 {
        Int64(next().multipliedFullWidth(by: UInt64(bound) + 1).high)
    }
}
