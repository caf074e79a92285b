import Wire

/// Check pacing (RFC 8445 §14.2) and the RTO of a connectivity check (§14.3).
///
/// Ta spaces new checks so that ICE does not flood the path (checks are
/// congestion-unaware). RTO spaces retransmissions of one check; it grows
/// with the number of outstanding checks so that retransmissions of all of
/// them together stay within the same budget.
public struct ICEPacing: Hashable, Sendable {
    /// The interval between two new checks (ordinary or triggered).
    public var ta: Duration

    /// Creates a pacing with `ta` (default 50 ms); below 5 ms is `.invalidArgument`
    /// because §14.2 caps a host at one new STUN transaction per 5 ms.
    public init(ta: Duration = ICEDefaults.ta) throws {
        guard ta >= ICEDefaults.minimumTransactionInterval else {
            throw ICEError(.invalidArgument, "Ta of \(ta) is below the 5 ms floor")
        }
        self.ta = ta
    }

    /// The Ta both agents use when they proposed different values: the larger (§14.2).
    public static func negotiated(local: Duration, remote: Duration) throws -> ICEPacing {
        try ICEPacing(ta: max(local, remote))
    }

    /// The Ta each of `agents` concurrent agents on one host must use so that
    /// together they stay at one new transaction per 5 ms at most (§14.2).
    public func sharedAmong(agents: Int) -> ICEPacing {
        var copy = self
        let floor = ICEDefaults.minimumTransactionInterval * max(1, agents)
        copy.ta = max(ta, floor)
        return copy
    }

    /// RTO = MAX(500 ms, Ta * (Num-Waiting + Num-In-Progress)) (§14.3).
    public func checkRTO(waiting: Int, inProgress: Int) -> Duration {
        max(ICEDefaults.minimumCheckRTO, ta * (waiting + inProgress))
    }

    /// When the next new check may leave, given when the last one left.
    public func nextCheckTime(after lastCheck: Instant?, now: Instant) -> Instant {
        guard let lastCheck else { return now }
        return max(now, lastCheck + ta)
    }
}
