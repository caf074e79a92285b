/// A candidate type (RFC 8445 §5.1.1, names as in RFC 8839's `typ` field).
///
/// An open struct: a type we do not know (some future `typ`) still survives a
/// round trip through SDP; it gets type preference 0, the least preferred.
public struct ICECandidateType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The SDP token: "host", "srflx", "prflx", "relay".
    public let rawValue: String

    /// Creates a type from its SDP token.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// An address on one of our interfaces.
    public static let host = ICECandidateType(rawValue: "host")
    /// Our address as a STUN (or TURN) server saw it: the outside of our NAT.
    public static let serverReflexive = ICECandidateType(rawValue: "srflx")
    /// Our address as the peer saw it in a connectivity check.
    public static let peerReflexive = ICECandidateType(rawValue: "prflx")
    /// An address allocated on a TURN server.
    public static let relayed = ICECandidateType(rawValue: "relay")

    /// The RFC's recommended type preference (§5.1.2.2): host 126, prflx 110,
    /// srflx 100, relay 0. Peer-reflexive sits above server-reflexive because it
    /// was learnt from the peer itself and so is known to reach it; relay is last
    /// because it costs a server and adds latency. Unknown types get 0.
    public var recommendedTypePreference: UInt8 {
        switch self {
        case .host: return 126
        case .peerReflexive: return 110
        case .serverReflexive: return 100
        default: return 0
        }
    }

    /// True for the two reflexive types, whose base differs from their address.
    public var isReflexive: Bool { self == .serverReflexive || self == .peerReflexive }

    /// The SDP token.
    public var description: String { rawValue }
}

/// A candidate's transport protocol (RFC 8445 §5.1.1.3 counts it in the foundation).
public struct ICETransportProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The SDP token, lower case: "udp", "tcp".
    public let rawValue: String
    /// Creates a protocol from its token (lower-cased: SDP tokens are case-insensitive).
    public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
    /// UDP: the only transport this stack gathers.
    public static let udp = ICETransportProtocol(rawValue: "udp")
    /// TCP (RFC 6544), kept so that peers' TCP candidates survive.
    public static let tcp = ICETransportProtocol(rawValue: "tcp")
    /// The token.
    public var description: String { rawValue }
}
