import CUsrsctp

/// How one message is delivered: the four WebRTC delivery modes are the product of
/// `unordered` and `reliability` (RFC 8831 §6.6, RFC 3758 for the partial ones).
public struct SCTPSendOptions: Hashable, Sendable {
    /// Deliver as soon as it arrives instead of in stream order (the DATA chunk's U bit).
    public var unordered: Bool
    /// How hard the sender tries before abandoning the message.
    public var reliability: SCTPReliability

    /// Creates options; the default is reliable and ordered.
    public init(unordered: Bool = false, reliability: SCTPReliability = .reliable) {
        self.unordered = unordered
        self.reliability = reliability
    }
}

/// Partial reliability (PR-SCTP, RFC 3758 §3; usrsctp's SCTP_PR_SCTP_* policies).
public enum SCTPReliability: Hashable, Sendable {
    /// Retransmit until acknowledged or the association dies.
    case reliable
    /// Abandon after this many retransmissions (0 = send once), policy SCTP_PR_SCTP_RTX.
    case maxRetransmits(UInt32)
    /// Abandon once the message is this old, policy SCTP_PR_SCTP_TTL ("timed reliability").
    case maxLifetime(milliseconds: UInt32)

    /// The usrsctp PR policy and value this maps to (`pr_policy`, `pr_value`).
    public var policy: (policy: UInt16, value: UInt32) {
        switch self {
        case .reliable: return (UInt16(SCTP_PR_SCTP_NONE), 0)
        case let .maxRetransmits(count): return (UInt16(SCTP_PR_SCTP_RTX), count)
        case let .maxLifetime(ms): return (UInt16(SCTP_PR_SCTP_TTL), ms)
        }
    }
}
