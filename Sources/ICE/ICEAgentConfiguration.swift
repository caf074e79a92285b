import STUN
import Wire

/// Everything an `ICEAgent` is told before it starts (RFC 8445 §5, §14; RFC 7675).
///
/// Addresses are given, not discovered: enumerating interfaces and binding
/// sockets is a driver's job (`ICEHostGathering` turns an interface list into
/// host addresses under a policy). Each base here is one bound UDP port.
public struct ICEAgentConfiguration: Sendable {
    /// The role the agent starts in (the offerer usually controls, §6.1.1).
    public var role: ICERole
    /// Our ufrag and password (the peer signs its checks with the password).
    public var credentials: ICECredentials
    /// The host base addresses (one bound socket each); every datagram the agent
    /// sends leaves from one of them.
    public var hostAddresses: [TransportAddress]
    /// STUN servers asked for a server-reflexive address from every base of the same family.
    public var stunServers: [TransportAddress]
    /// The component id of every candidate (1: a data channel has one component).
    public var componentID: Int
    /// Ta, the interval between new checks (§14.2); below 5 ms the agent refuses to start.
    public var ta: Duration
    /// How many times a check is sent in all before its pair fails (Rc, RFC 8489 §6.2.1).
    public var checkTransmissions: Int
    /// Retransmissions of the gathering Binding requests (RFC 8489 defaults).
    public var gatheringPolicy: STUNRetransmissionPolicy
    /// Regular nomination (§8.1.1): the controlling agent nominates the best
    /// valid pair once no higher-priority pair can still succeed, or at the
    /// latest this long after the first valid pair appeared.
    public var nominationDelay: Duration
    /// Binding indications on the selected pair keep NAT bindings open (§11: 15 s).
    public var keepaliveInterval: Duration
    /// The mean interval of consent checks (RFC 7675 §5.1: 5 s, randomised 0.8-1.2).
    public var consentInterval: Duration
    /// No consent for this long: state `disconnected` (a WebRTC notion, not an RFC timer;
    /// the path may recover, so data still flows).
    public var disconnectedTimeout: Duration
    /// No consent for this long: consent expired, state `failed`, no more data (RFC 7675 §5.1: 30 s).
    public var consentTimeout: Duration
    /// Our tie-breaker, or nil to draw it from the agent's random generator (§7.1.3).
    public var tieBreaker: UInt64?
    /// TURN servers (RFC 8656) to allocate a relayed candidate on, from every
    /// base of the same address family (§5.1.1.2). TURN over UDP only.
    public var turnServers: [ICETURNServer]

    /// Creates a configuration with the RFC defaults.
    public init(role: ICERole, credentials: ICECredentials, hostAddresses: [TransportAddress],
                stunServers: [TransportAddress] = [], componentID: Int = 1, ta: Duration = ICEDefaults.ta,
                checkTransmissions: Int = 7, gatheringPolicy: STUNRetransmissionPolicy = .rfc8489,
                nominationDelay: Duration = .seconds(1), keepaliveInterval: Duration = .seconds(15),
                consentInterval: Duration = .seconds(5), disconnectedTimeout: Duration = .seconds(10),
                consentTimeout: Duration = .seconds(30), tieBreaker: UInt64? = nil,
                turnServers: [ICETURNServer] = []) {
        self.role = role
        self.credentials = credentials
        self.hostAddresses = hostAddresses
        self.stunServers = stunServers
        self.componentID = componentID
        self.ta = ta
        self.checkTransmissions = checkTransmissions
        self.gatheringPolicy = gatheringPolicy
        self.nominationDelay = nominationDelay
        self.keepaliveInterval = keepaliveInterval
        self.consentInterval = consentInterval
        self.disconnectedTimeout = disconnectedTimeout
        self.consentTimeout = consentTimeout
        self.tieBreaker = tieBreaker
        self.turnServers = turnServers
    }
}

/// A TURN server and the long-term credentials to allocate on it (RFC 8656 §7,
/// RFC 8489 §9.2), as WebRTC's `RTCIceServer` gives them for a `turn:` URL.
public struct ICETURNServer: Hashable, Sendable {
    /// The server's UDP transport address.
    public var address: TransportAddress
    /// The long-term username.
    public var username: String
    /// The long-term password.
    public var password: String

    /// Creates a server entry.
    public init(address: TransportAddress, username: String, password: String) {
        self.address = address
        self.username = username
        self.password = password
    }
}
