// TURN client (RFC 8656), sans-IO.
//
// Theory of operation
// -------------------
// A TURN server relays UDP for a client that cannot be reached directly. The
// client asks for an *allocation* (Allocate, §7) and gets a relayed transport
// address on the server; peers send there and the server forwards to the client.
// Everything the client asks is a STUN transaction signed with long-term
// credentials (RFC 8489 §9.2): the first Allocate goes unsigned, the server's
// 401 brings REALM and NONCE, and every later request carries USERNAME, REALM,
// NONCE and MESSAGE-INTEGRITY keyed with MD5(username:realm:password). A 438
// Stale Nonce brings a fresh NONCE and the request is sent again.
//
// State lives for limited times and the client must refresh it:
// - the allocation for its LIFETIME (default 600 s): Refresh about a minute
//   before expiry (§8); Refresh with LIFETIME 0 deletes it;
// - a permission per peer IP for 300 s (§9): CreatePermission again at 240 s;
//   without one the server drops the peer's packets;
// - a channel binding for 600 s (§12): ChannelBind again at 540 s. A bound
//   channel carries data in 4-byte ChannelData framing instead of a Send or
//   Data indication (36+ bytes). A ChannelBind also installs the permission.
//
// `TURNClient` keeps those timers and drives the requests through an inner
// `STUNClient`, so retransmissions follow STUN's RFC 8489 §6.2.1 schedule and
// responses are matched, integrity-checked and de-duplicated the same way.
//
// Over TCP or TLS (`transport`, RFC 8656 §3.1) only the leg to the server
// changes: the driver owns the connection, writes each transmitted payload to
// it and feeds whatever it reads back as "datagrams" from the server. The
// client frames those bytes itself (`TURNStreamFramer`), sends each request
// once and waits Ti = 39.5 s (RFC 8489 §6.2.2), and pads ChannelData to 4
// bytes (§12.5). Unframeable bytes or `streamClosed(at:)` end the allocation
// (`connectionLost`): the server deletes it with the connection.
import Wire

/// A TURN client endpoint for one allocation on one server, behind Wire's
/// sans-IO `DatagramEndpoint` contract (RFC 8656).
///
/// Call `allocate(at:)`, drain `poll()`, feed datagrams from the server and
/// `.timeout(now)` at `nextTimeout`. Once `.allocated`, create permissions,
/// bind channels and `send(_:to:at:)` application data; data from peers arrives
/// as `.dataReceived`. Garbage, strays and datagrams from anyone but the server
/// are reported as `.dropped` and change nothing.
public struct TURNClient: DatagramEndpoint {
    /// The events this endpoint reports.
    public typealias Event = TURNClientEvent

    /// Where the client stands, named by what it waits for.
    public enum State: Hashable, Sendable {
        /// Waiting for `allocate(at:)`.
        case expectAllocateCall
        /// An Allocate (or its signed retry after a 401/438) is in flight.
        case expectAllocateResponse
        /// Allocated: waiting for application calls and refresh deadlines.
        case allocated
        /// A Refresh with LIFETIME 0 is in flight.
        case expectDeallocateResponse
        /// The allocation was deleted; nothing more happens.
        case deallocated
        /// The allocation was refused or lost.
        case failed(TURNFailure)
    }

    struct PendingRequest: Sendable {
        var operation: TURNOperation
        var challenges: Int
        var signed: Bool
    }

    struct Channel: Sendable {
        var peer: TransportAddress
        var isBound: Bool
        /// When to re-bind; nil while a ChannelBind is in flight.
        var refreshAt: Instant?
    }

    /// The server's address.
    public let server: TransportAddress
    /// How the server is reached (RFC 8656 §3.1). Over TCP/TLS every datagram
    /// fed from the server is a chunk of the byte stream, framed inside the client.
    public let transport: TURNTransport
    /// The address requests are sent from.
    public var localAddress: TransportAddress { stun.localAddress }
    /// The long-term username.
    public let username: String
    /// The lifetime asked for in Allocate and Refresh, or nil to take the server's default.
    public var requestedLifetime: UInt32?
    /// SOFTWARE to put in requests, or nil for none.
    public var software: String?

    /// The current state.
    public internal(set) var state: State = .expectAllocateCall
    /// The allocation once granted (kept after deallocation for inspection).
    public internal(set) var allocation: TURNAllocation?
    /// The realm learned from the server's 401, once known.
    public internal(set) var realm: String?

    let password: String
    var nonce: String?
    var stun: STUNClient
    var random: any RandomNumberGenerator & Sendable
    var pending: [TransactionID: PendingRequest] = [:]
    var allocationRefreshAt: Instant?
    /// Wanted permissions and when to refresh each (nil while a CreatePermission is in flight).
    var permissions: [IPAddress: Instant?] = [:]
    var channels: [UInt16: Channel] = [:]
    var nextChannel: UInt16 = ChannelNumber.validRange.lowerBound
    var outputs = OutputQueue<Event>()
    /// Cuts the server's byte stream into messages (TCP/TLS only).
    var framer: TURNStreamFramer?
    /// The TCP/TLS connection is gone (closed, or unframeable bytes).
    var streamEnded = false

    /// How long a permission lives on the server (RFC 8656 §9).
    public static let permissionLifetime = Duration.seconds(300)
    /// When a permission is refreshed, after it was installed: a minute of margin.
    public static let permissionRefreshInterval = Duration.seconds(240)
    /// How long a channel binding lives on the server (RFC 8656 §12).
    public static let channelLifetime = Duration.seconds(600)
    /// When a channel is re-bound, after it was bound: a minute of margin.
    public static let channelRefreshInterval = Duration.seconds(540)
    /// 401/438 retries in a row per request before giving up (a hostile server could loop us).
    public static let maximumChallenges = 3

    /// Creates a client for `server`. `random` draws transaction ids: inject a
    /// seeded generator in tests. `policy` is STUN's retransmission schedule over
    /// UDP; over TCP/TLS (`transport`) requests are sent once and time out after
    /// `streamTimeout` (RFC 8489 §6.2.2, Ti = 39.5 s).
    public init(localAddress: TransportAddress, server: TransportAddress,
                username: String, password: String,
                requestedLifetime: UInt32? = nil, software: String? = nil,
                transport: TURNTransport = .udp, streamTimeout: Duration = .milliseconds(39_500),
                policy: STUNRetransmissionPolicy = .rfc8489,
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.server = server
        self.transport = transport
        self.framer = transport.isStream ? TURNStreamFramer() : nil
        let policy = transport.isStream ? STUNRetransmissionPolicy.reliableTransport(timeout: streamTimeout) : policy
        self.username = username
        self.password = password
        self.requestedLifetime = requestedLifetime
        self.software = software
        self.random = random
        self.stun = STUNClient(localAddress: localAddress, policy: policy, addsFingerprint: true, random: random)
    }

    /// When the allocation is next refreshed, or nil when none is scheduled.
    public var allocationRefreshDeadline: Instant? { allocationRefreshAt }

    /// When the permission for `peer` is next refreshed, or nil when none is scheduled.
    public func permissionRefreshDeadline(for peer: IPAddress) -> Instant? { permissions[peer] ?? nil }

    /// When `channel` is next re-bound, or nil when none is scheduled.
    public func channelRefreshDeadline(for channel: UInt16) -> Instant? { channels[channel]?.refreshAt }

    /// Peer IPs with an installed or requested permission.
    public var permittedPeers: Set<IPAddress> { Set(permissions.keys) }

    /// The channel bound (confirmed by the server) to `peer`, if any.
    public func boundChannel(for peer: TransportAddress) -> UInt16? {
        channels.first { $0.value.peer == peer && $0.value.isBound }?.key
    }

    /// Requests in flight.
    public var pendingRequestCount: Int { pending.count }

    // MARK: - Application calls

    /// Sends the first (unsigned) Allocate. Only valid in `.expectAllocateCall`.
    public mutating func allocate(at now: Instant) throws {
        guard state == .expectAllocateCall else {
            throw STUNError(.invalidArgument, "allocate() needs state expectAllocateCall, the client is \(state)")
        }
        try startRequest(.allocate, at: now)
        state = .expectAllocateResponse
    }

    /// Installs permissions for `peers` (one CreatePermission; refreshed every 4 minutes while allocated).
    public mutating func createPermission(for peers: [IPAddress], at now: Instant) throws {
        try requireAllocated("createPermission")
        guard !peers.isEmpty else { throw STUNError(.invalidArgument, "createPermission needs at least one peer") }
        try startRequest(.createPermission(peers), at: now)
        for peer in peers { permissions[peer] = .some(nil) }
    }

    /// Binds the next free channel to `peer` and returns its number. Data to `peer`
    /// switches to ChannelData once the server confirms (`.channelBound`).
    @discardableResult
    public mutating func bindChannel(to peer: TransportAddress, at now: Instant) throws -> UInt16 {
        try requireAllocated("bindChannel")
        if let existing = channels.first(where: { $0.value.peer == peer })?.key {
            throw STUNError(.invalidArgument, "\(peer) already has channel 0x\(STUNFormat.hex(existing, digits: 4))")
        }
        guard let channel = ChannelNumber.validRange.first(where: { channels[$0] == nil && $0 >= nextChannel })
                ?? ChannelNumber.validRange.first(where: { channels[$0] == nil }) else {
            throw STUNError(.invalidArgument, "all 4096 channel numbers are in use")
        }
        nextChannel = channel == ChannelNumber.validRange.upperBound ? ChannelNumber.validRange.lowerBound : channel + 1
        try startRequest(.channelBind(channel: channel, peer: peer), at: now)
        channels[channel] = Channel(peer: peer, isBound: false, refreshAt: nil)
        return channel
    }

    /// Sends application data to `peer` through the relay: ChannelData when a
    /// channel is bound to it, else a Send indication (RFC 8656 §11, §12).
    /// The server drops it unless a permission for the peer's IP is installed.
    public mutating func send(_ data: [UInt8], to peer: TransportAddress, at now: Instant) throws {
        try requireAllocated("send")
        if let channel = boundChannel(for: peer) {
            let message = try ChannelData(channelNumber: channel, data: data)
            // RFC 8656 §12.5: over a stream the padding is what keeps the next frame aligned.
            outputs.transmit(Datagram(from: localAddress, to: server, payload: message.encoded(padded: transport.isStream)))
            return
        }
        var indication = STUNMessage(type: STUNMessageType(method: .send, messageClass: .indication),
                                     transactionID: TransactionID(using: &random))
        indication.append(XORPeerAddress(peer))
        indication.append(DataAttribute(data))
        outputs.transmit(Datagram(from: localAddress, to: server, payload: try indication.encode()))
    }

    /// Deletes the allocation: a Refresh with LIFETIME 0 (RFC 8656 §8).
    public mutating func deallocate(at now: Instant) throws {
        try requireAllocated("deallocate")
        try startRequest(.refresh(lifetime: 0), at: now)
        state = .expectDeallocateResponse
        allocationRefreshAt = nil
        permissions.removeAll()
        channels.removeAll()
    }

    private func requireAllocated(_ call: String) throws {
        guard state == .allocated else {
            throw STUNError(.invalidArgument, "\(call)() needs an allocation, the client is \(state)")
        }
    }

    // MARK: - DatagramEndpoint

    /// Feeds a received datagram or the news that time has passed (`DatagramEndpoint`).
    public mutating func handle(_ input: EndpointInput) {
        switch input {
        case let .datagram(datagram, now): receive(datagram, at: now)
        case let .timeout(now): advance(to: now)
        }
    }

    /// The next datagram to send or event to report; nil when drained (`DatagramEndpoint`).
    public mutating func poll() -> EndpointOutput<Event>? { outputs.pop() }

    /// The earliest retransmission or refresh deadline.
    public var nextTimeout: Instant? {
        var deadlines: [Instant] = []
        if let deadline = stun.nextTimeout { deadlines.append(deadline) }
        if state == .allocated {
            if let deadline = allocationRefreshAt { deadlines.append(deadline) }
            deadlines += permissions.values.compactMap { $0 }
            deadlines += channels.values.compactMap(\.refreshAt)
        }
        return deadlines.min()
    }

    private mutating func advance(to now: Instant) {
        stun.handle(.timeout(now))
        drainSTUN(at: now)
        guard state == .allocated else { return }
        if let due = allocationRefreshAt, due <= now {
            allocationRefreshAt = nil
            try? startRequest(.refresh(lifetime: refreshLifetime), at: now)
        }
        let duePeers = permissions.filter { ($0.value.map { $0 <= now }) ?? false }.keys
            .sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        if !duePeers.isEmpty {
            for peer in duePeers { permissions[peer] = .some(nil) }
            try? startRequest(.createPermission(duePeers), at: now)
        }
        for channel in channels.keys.sorted() {
            guard let entry = channels[channel], let due = entry.refreshAt, due <= now else { continue }
            channels[channel]?.refreshAt = nil
            try? startRequest(.channelBind(channel: channel, peer: entry.peer), at: now)
        }
    }

    /// What a Refresh asks for: the configured lifetime, else what the server granted last.
    var refreshLifetime: UInt32 {
        requestedLifetime ?? UInt32(clamping: (allocation?.lifetime ?? .seconds(600)).components.seconds)
    }

    // MARK: - Requests

    /// Builds, signs (once realm and nonce are known) and starts a request.
    mutating func startRequest(_ operation: TURNOperation, at now: Instant, challenges: Int = 0) throws {
        var request = STUNMessage(type: STUNMessageType(method: operation.method, messageClass: .request),
                                  transactionID: TransactionID(using: &random))
        switch operation {
        case .allocate:
            request.append(RequestedTransport.udp)
            if let requestedLifetime { request.append(Lifetime(seconds: requestedLifetime)) }
        case let .refresh(lifetime):
            request.append(Lifetime(seconds: lifetime))
        case let .createPermission(peers):
            // The port is ignored by the server: permissions are per IP (§9).
            for peer in peers { request.append(XORPeerAddress(TransportAddress(peer, 0))) }
        case let .channelBind(channel, peer):
            request.append(ChannelNumber(channel))
            request.append(XORPeerAddress(peer))
        }
        if let software, let value = try? Software(software) { request.append(value) }
        var key: STUNKey?
        if let realm, let nonce, let name = try? Username(username), let realmValue = try? Realm(realm),
           let nonceValue = try? Nonce(nonce) {
            request.append(name)
            request.append(realmValue)
            request.append(nonceValue)
            key = .longTerm(username: username, realm: realm, password: password)
        }
        // Only an oversized request throws here (thousands of peers in one CreatePermission): API misuse.
        let id = try stun.send(request, to: server, at: now, integrityKey: key)
        pending[id] = PendingRequest(operation: operation, challenges: challenges, signed: key != nil)
        drainSTUN(at: now)
    }
}
