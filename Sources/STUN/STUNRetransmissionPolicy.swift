/// The client's retransmission parameters over UDP (RFC 8489 §6.2.1).
///
/// The request is sent at 0, then again after RTO, 2·RTO, 4·RTO... (the
/// interval doubles) until Rc requests have been sent; after the last one the
/// client waits Rm·RTO more and gives up. With the defaults (RTO 500 ms,
/// Rc 7, Rm 16) the sends happen at 0, 500, 1500, 3500, 7500, 15500 and
/// 31500 ms and the transaction fails at 39500 ms.
public struct STUNRetransmissionPolicy: Hashable, Sendable {
    /// The first retransmission timeout (RFC default 500 ms; SHOULD be larger than the RTT).
    public var initialRTO: Duration
    /// Rc: how many times the request is sent in all (first send included).
    public var maxTransmissions: Int
    /// Rm: the final wait after the last send, in multiples of the initial RTO.
    public var finalWaitMultiplier: Int

    /// Creates a policy. Values are clamped to sane ranges rather than trusted,
    /// because timer arithmetic must never overflow: the RTO to 1 ms...1 day,
    /// Rc to 1...32 (a transaction always sends once), Rm to 1...1024.
    public init(initialRTO: Duration = .milliseconds(500), maxTransmissions: Int = 7, finalWaitMultiplier: Int = 16) {
        self.initialRTO = min(max(initialRTO, .milliseconds(1)), Self.maximumRTO)
        self.maxTransmissions = min(max(1, maxTransmissions), 32)
        self.finalWaitMultiplier = min(max(1, finalWaitMultiplier), 1024)
    }

    /// The doubling stops here (one day), so a long schedule cannot overflow.
    public static let maximumRTO = Duration.seconds(86_400)

    /// RFC 8489's defaults: RTO 500 ms, Rc 7, Rm 16.
    public static let rfc8489 = STUNRetransmissionPolicy()

    /// The interval before send number `transmission + 1`, after send number `transmission` (1-based):
    /// RTO doubled `transmission - 1` times (capped at `maximumRTO`).
    public func interval(afterTransmission transmission: Int) -> Duration {
        var rto = initialRTO
        for _ in 1..<max(1, min(transmission, maxTransmissions)) where rto < Self.maximumRTO { rto = min(rto * 2, Self.maximumRTO) }
        return rto
    }

    /// The final wait after the last send: Rm × initial RTO.
    public var finalWait: Duration { initialRTO * finalWaitMultiplier }

    /// When each send happens and when the transaction gives up, as offsets from
    /// the first send (for documentation, tools and tests).
    public var schedule: (sends: [Duration], giveUp: Duration) {
        var sends: [Duration] = [.zero]
        var at = Duration.zero
        for transmission in 1..<maxTransmissions {
            at += interval(afterTransmission: transmission)
            sends.append(at)
        }
        return (sends, at + finalWait)
    }
}
