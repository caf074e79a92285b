import Wire

/// What makes two local candidates share a foundation (RFC 8445 §5.1.1.3):
/// the same type, the same base IP address (the port does not count), the same
/// STUN/TURN server IP (none for host candidates), and the same transport.
public struct ICEFoundationKey: Hashable, Sendable {
    /// The candidate type.
    public var type: ICECandidateType
    /// The IP address of the candidate's base.
    public var baseIP: IPAddress
    /// The STUN or TURN server's IP the candidate was obtained from, if any.
    public var server: IPAddress?
    /// The transport protocol.
    public var transport: ICETransportProtocol

    /// Creates a key.
    public init(type: ICECandidateType, baseIP: IPAddress, server: IPAddress?, transport: ICETransportProtocol = .udp) {
        self.type = type
        self.baseIP = baseIP
        self.server = server
        self.transport = transport
    }
}

/// Hands out foundations: equal keys get equal foundations, different keys
/// different ones.
///
/// Foundations are short decimal strings "1", "2", ... in order of first use:
/// deterministic (same gathering, same SDP, which keeps tests and lessons
/// stable) and collision-free, unlike a hash truncated to 32 characters.
/// They reveal nothing about the addresses behind them.
public struct ICEFoundations: Hashable, Sendable {
    private var assigned: [ICEFoundationKey: String] = [:]

    /// An empty registry.
    public init() {}

    /// The number of distinct foundations handed out.
    public var count: Int { assigned.count }

    /// The foundation for `key`, allocating the next one on first use.
    public mutating func foundation(for key: ICEFoundationKey) -> String {
        if let existing = assigned[key] { return existing }
        let next = String(assigned.count + 1)
        assigned[key] = next
        return next
    }
}
