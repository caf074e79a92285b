// TURN server (RFC 8656), sans-IO, UDP relays only.
//
// Theory of operation
// -------------------
// The server listens on one or more addresses for clients and owns a pool of
// relayed transport addresses (one IP, a port range). Each datagram is routed
// by its destination:
// - to a relayed address of a live allocation: a peer's packet (§11.3). It is
//   forwarded to the client only if a permission for the peer's IP exists, as
//   ChannelData when a channel is bound to the peer's transport address, else
//   as a Data indication;
// - to any other address: client traffic on the 5-tuple (client, server). STUN
//   requests are authenticated with long-term credentials exactly like
//   `STUNServer` (RFC 8489 §9.2: 401 challenge with REALM and a stateless
//   NONCE, 438 when stale) and then dispatched: Allocate (§7.2), Refresh (§7.5),
//   CreatePermission (§10.2), ChannelBind (§12.2), Binding (answered unsigned,
//   the plain STUN service a TURN server also offers). Send indications (§11.2)
//   and ChannelData (§12.5) are relayed from the relayed address to the peer.
//
// Everything carries a lifetime in virtual time: allocations (default 600 s,
// at most 3600 s), permissions (300 s), channel bindings (600 s, then 300 s of
// cool-off during which neither the number nor the peer can be re-bound to
// something else). `nextTimeout` is the earliest of them; expiry is also
// applied before each datagram, so a late timer never lets stale state act.
//
// Nothing is answered that is not a parseable request from a client: garbage,
// responses and unauthorised peer traffic are dropped with a reason event.
// In a simulation, attach the server at its listening address plus every
// address of `Configuration.relayAddresses` so peers' packets reach it.
import Wire

/// A TURN server endpoint for UDP allocations (RFC 8656), behind Wire's sans-IO
/// `DatagramEndpoint` contract.
public struct TURNServer: DatagramEndpoint {
    /// The events this endpoint reports.
    public typealias Event = TURNServerEvent

    /// Server settings.
    public struct Configuration: Sendable {
        /// The long-term credential realm.
        public var realm: String
        /// Passwords by username.
        public var users: [String: String]
        /// The IP of every relayed transport address.
        public var relayIP: IPAddress
        /// The ports relayed addresses are taken from, lowest free first after the last one used.
        public var relayPorts: ClosedRange<UInt16>
        /// Lifetime granted when the client asks for less or nothing (RFC 8656 §7.2: 600 s).
        public var defaultLifetime: Duration
        /// The longest lifetime granted (RFC 8656 §7.2 suggests 3600 s).
        public var maximumLifetime: Duration
        /// How long a nonce stays fresh before 438 Stale Nonce.
        public var nonceLifetime: Duration
        /// SOFTWARE in every response, or nil for none.
        public var software: String?

        /// Creates a configuration.
        public init(realm: String, users: [String: String], relayIP: IPAddress,
                    relayPorts: ClosedRange<UInt16> = 49_152...65_535,
                    defaultLifetime: Duration = .seconds(600), maximumLifetime: Duration = .seconds(3600),
                    nonceLifetime: Duration = .seconds(600), software: String? = "webrtc-lab TURN server") {
            self.realm = realm
            self.users = users
            self.relayIP = relayIP
            self.relayPorts = relayPorts
            self.defaultLifetime = defaultLifetime
            self.maximumLifetime = maximumLifetime
            self.nonceLifetime = nonceLifetime
            self.software = software
        }

        /// Every relayed address the server may hand out: bind them all up front
        /// when the transport cannot bind on the fly (keep `relayPorts` small then).
        public var relayAddresses: [TransportAddress] { relayPorts.map { TransportAddress(relayIP, $0) } }
    }

    /// How long a permission lives (RFC 8656 §9).
    public static let permissionLifetime = Duration.seconds(300)
    /// How long a channel binding lives (RFC 8656 §12).
    public static let channelLifetime = Duration.seconds(600)
    /// How long an expired channel's number and peer stay reserved (RFC 8656 §12).
    public static let channelCoolOff = Duration.seconds(300)

    /// Attribute types below 0x8000 the server acts on; any other one gets 420.
    /// DONT-FRAGMENT, EVEN-PORT and RESERVATION-TOKEN are deliberately absent: this
    /// server offers none of them, and RFC 8656 §7.2 says to answer 420 then.
    static let understood: Set<STUNAttributeType> = [
        .username, .messageIntegrity, .messageIntegritySHA256, .realm, .nonce, .errorCode,
        .requestedTransport, .lifetime, .xorPeerAddress, .channelNumber, .data, .requestedAddressFamily,
    ]

    /// The settings in use.
    public let configuration: Configuration
    /// Long-term credential checks and nonces, shared with `STUNServer`.
    let authenticator: STUNServer
    var random: any RandomNumberGenerator & Sendable
    var allocationsByTuple: [TURNFiveTuple: Allocation] = [:]
    var tupleByRelay: [TransportAddress: TURNFiveTuple] = [:]
    var nextPort: UInt16
    var outputs = OutputQueue<Event>()

    /// Server state for one allocation.
    struct Allocation: Sendable {
        var fiveTuple: TURNFiveTuple
        var relayed: TransportAddress
        var username: String
        var key: STUNKey
        var transactionID: TransactionID
        var expiresAt: Instant
        var permissions: [IPAddress: Instant] = [:]
        /// Channel bindings, active or cooling off (expired less than 5 minutes ago).
        var channels: [UInt16: TURNServerChannel] = [:]
        /// Channels whose expiry was already reported (they are cooling off).
        var coolingChannels: Set<UInt16> = []

        /// The bindings that relay data now: not expired.
        func activeChannels(at now: Instant) -> [UInt16: TURNServerChannel] {
            channels.filter { $0.value.expiresAt > now }
        }

        var snapshot: TURNServerAllocation {
            TURNServerAllocation(fiveTuple: fiveTuple, relayedAddress: relayed, username: username,
                                 expiresAt: expiresAt, permissions: permissions,
                                 channels: channels.filter { !coolingChannels.contains($0.key) })
        }
    }

    /// Creates a server. `random` draws the nonce secret and the transaction ids of
    /// Data indications: inject a seeded generator for reproducible runs.
    public init(configuration: Configuration,
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.configuration = configuration
        var generator = random
        self.authenticator = STUNServer(
            configuration: STUNServer.Configuration(
                software: configuration.software,
                authentication: .longTerm(realm: configuration.realm, users: configuration.users,
                                          nonceLifetime: configuration.nonceLifetime),
                understoodAttributes: Self.understood, answersClassicClients: false),
            random: &generator)
        self.random = generator
        self.nextPort = configuration.relayPorts.lowerBound
    }

    // MARK: - Inspection

    /// Every live allocation, ordered by relayed port.
    public var allocations: [TURNServerAllocation] {
        allocationsByTuple.values.map(\.snapshot).sorted { $0.relayedAddress.port < $1.relayedAddress.port }
    }

    /// The allocation of a 5-tuple, if any.
    public func allocation(for fiveTuple: TURNFiveTuple) -> TURNServerAllocation? {
        allocationsByTuple[fiveTuple]?.snapshot
    }

    /// The relayed addresses in use now (what a caller must have bound).
    public var relayedAddresses: [TransportAddress] { allocations.map(\.relayedAddress) }

    // MARK: - DatagramEndpoint

    /// Feeds a received datagram or the news that time has passed (`DatagramEndpoint`).
    public mutating func handle(_ input: EndpointInput) {
        switch input {
        case let .timeout(now):
            expire(at: now)
        case let .datagram(datagram, now):
            expire(at: now)
            if let tuple = tupleByRelay[datagram.destination] {
                receiveFromPeer(datagram, tuple: tuple, at: now)
            } else if datagram.destination.ip == configuration.relayIP,
                      configuration.relayPorts.contains(datagram.destination.port) {
                drop(datagram, "no allocation at relayed address \(datagram.destination)")
            } else {
                receiveFromClient(datagram, at: now)
            }
        }
    }

    /// The next datagram to send or event to report; nil when drained (`DatagramEndpoint`).
    public mutating func poll() -> EndpointOutput<Event>? { outputs.pop() }

    /// The earliest expiry of an allocation, permission, channel binding or channel cool-off.
    public var nextTimeout: Instant? {
        var earliest: Instant?
        func consider(_ instant: Instant) { if earliest.map({ instant < $0 }) ?? true { earliest = instant } }
        for allocation in allocationsByTuple.values {
            consider(allocation.expiresAt)
            for expiry in allocation.permissions.values { consider(expiry) }
            for (number, channel) in allocation.channels {
                consider(allocation.coolingChannels.contains(number) ? channel.expiresAt + Self.channelCoolOff
                                                                     : channel.expiresAt)
            }
        }
        return earliest
    }

    // MARK: - Expiry

    /// Removes what has expired at `now`, in a fixed order so event logs are reproducible.
    mutating func expire(at now: Instant) {
        let tuples = allocationsByTuple.values.sorted { $0.relayed.port < $1.relayed.port }.map(\.fiveTuple)
        for tuple in tuples {
            guard var allocation = allocationsByTuple[tuple] else { continue }
            if allocation.expiresAt <= now {
                delete(tuple, reason: .expired, at: now)
                continue
            }
            let relayed = allocation.relayed
            for peer in allocation.permissions.keys.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                guard let expiry = allocation.permissions[peer], expiry <= now else { continue }
                allocation.permissions[peer] = nil
                outputs.emit(.permissionExpired(relayedAddress: relayed, peer: peer, at: now))
            }
            for number in allocation.channels.keys.sorted() {
                guard let channel = allocation.channels[number] else { continue }
                if channel.expiresAt <= now, !allocation.coolingChannels.contains(number) {
                    allocation.coolingChannels.insert(number)
                    outputs.emit(.channelExpired(relayedAddress: relayed, channel: number, at: now))
                }
                if channel.expiresAt + Self.channelCoolOff <= now {
                    allocation.channels[number] = nil
                    allocation.coolingChannels.remove(number)
                }
            }
            allocationsByTuple[tuple] = allocation
        }
    }

    mutating func delete(_ tuple: TURNFiveTuple, reason: TURNServerDeletion, at now: Instant) {
        guard let allocation = allocationsByTuple.removeValue(forKey: tuple) else { return }
        tupleByRelay[allocation.relayed] = nil
        outputs.emit(.allocationDeleted(relayedAddress: allocation.relayed, reason: reason, at: now))
    }

    mutating func drop(_ datagram: Datagram, _ reason: String) {
        outputs.emit(.dropped(from: datagram.source, to: datagram.destination, reason: reason))
    }
}
