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
    /// base of the same address family (§5.1.1.2). Each says how it is reached
    /// (UDP, TCP or TLS, `ICETURNServer.transport`); the relayed address is UDP either way.
    public var turnServers: [ICETURNServer]
    /// Who decides the ordinary checks (initial states, the next pair, unfreezing):
    /// nil, the default, for the library's own RFC 8445 rules; the lab sets a
    /// student's checklist here (see `ICEChecklistStrategy`).
    public var checklistStrategy: (any ICEChecklistStrategy)?
    /// Who times the agent's own STUN transactions (checks, nominations, consent
    /// checks): nil, the default, for `STUNClientTransaction`; the lab sets a
    /// student's exercise 09 transaction here (see `ICECheckTransactionFactory`).
    public var checkTransactions: (any ICECheckTransactionFactory)?

    /// Creates a configuration with the RFC defaults.
    public init(role: ICERole, credentials: ICECredentials, hostAddresses: [TransportAddress],
                stunServers: [TransportAddress] = [], componentID: Int = 1, ta: Duration = ICEDefaults.ta,
                checkTransmissions: Int = 7, gatheringPolicy: STUNRetransmissionPolicy = .rfc8489,
                nominationDelay: Duration = .seconds(1), keepaliveInterval: Duration = .seconds(15),
                consentInterval: Duration = .seconds(5), disconnectedTimeout: Duration = .seconds(10),
                consentTimeout: Duration = .seconds(30), tieBreaker: UInt64? = nil,
                turnServers: [ICETURNServer] = [], checklistStrategy: (any ICEChecklistStrategy)? = nil,
                checkTransactions: (any ICECheckTransactionFactory)? = nil) {
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
        self.checklistStrategy = checklistStrategy
        self.checkTransactions = checkTransactions
    }
}

/// A TURN server and the long-term credentials to allocate on it (RFC 8656 §7,
/// RFC 8489 §9.2), as WebRTC's `RTCIceServer` gives them for a `turn:` or `turns:` URL.
public struct ICETURNServer: Hashable, Sendable {
    /// The server's transport address (on `transport`).
    public var address: TransportAddress
    /// The long-term username.
    public var username: String
    /// The long-term password.
    public var password: String
    /// How the agent reaches the server: UDP (the default), TCP or TLS (RFC 8656 §3.1).
    /// Over TCP/TLS the agent's datagrams to `address` are the connection's bytes:
    /// the driver carries them on the stream.
    public var transport: TURNTransport

    /// Creates a server entry.
    public init(address: TransportAddress, username: String, password: String, transport: TURNTransport = .udp) {
        self.address = address
        self.username = username
        self.password = password
        self.transport = transport
    }

    /// Parses an RFC 7065 URI: `turn:HOST[:PORT][?transport=udp|tcp]` or
    /// `turns:HOST[:PORT][?transport=tcp]` (TLS). HOST is an IP literal (IPv6 in
    /// brackets): resolving names is I/O, done before the agent is configured.
    /// The default ports are 3478 (turn) and 5349 (turns). `turns` over UDP would
    /// be DTLS, which this agent does not speak: `.invalidArgument`.
    public init(url: String, username: String, password: String) throws {
        let (scheme, rest) = try Self.split(url, at: ":", what: "scheme")
        let secure: Bool
        switch scheme.lowercased() {
        case "turn": secure = false
        case "turns": secure = true
        default: throw STUNError(.invalidArgument, "\(url): the scheme must be turn or turns (RFC 7065)")
        }
        var hostPort = rest, query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            hostPort = rest[..<mark]
            query = rest[rest.index(after: mark)...]
        }
        var transport: TURNTransport = secure ? .tls : .udp
        if let query {
            guard query.lowercased().hasPrefix("transport=") else {
                throw STUNError(.invalidArgument, "\(url): the only query RFC 7065 defines is transport=udp|tcp")
            }
            switch query.dropFirst("transport=".count).lowercased() {
            case "udp" where !secure: transport = .udp
            case "tcp": transport = secure ? .tls : .tcp
            case "udp": throw STUNError(.invalidArgument, "\(url): turns over UDP is DTLS, which is not supported")
            default: throw STUNError(.invalidArgument, "\(url): transport must be udp or tcp")
            }
        }
        let address: TransportAddress
        do {
            address = try TransportAddress(parsing: String(hostPort), defaultPort: secure ? 5349 : 3478)
        } catch {
            throw STUNError(.invalidArgument, "\(url): the host must be an IP address (names are resolved by the caller): \(error)")
        }
        self.init(address: address, username: username, password: password, transport: transport)
    }

    /// The RFC 7065 URI naming this server: `turn:192.0.2.2:443?transport=tcp`.
    public var url: String {
        let host = address.ip.isIPv4 ? "\(address.ip)" : "[\(address.ip)]"
        switch transport {
        case .udp: return "turn:\(host):\(address.port)?transport=udp"
        case .tcp: return "turn:\(host):\(address.port)?transport=tcp"
        case .tls: return "turns:\(host):\(address.port)?transport=tcp"
        }
    }

    private static func split(_ text: String, at separator: Character, what: String) throws -> (Substring, Substring) {
        guard let index = text.firstIndex(of: separator) else {
            throw STUNError(.invalidArgument, "\(text): no \(what)")
        }
        return (text[..<index], text[text.index(after: index)...])
    }
}
