import Wire

/// The 5-tuple an allocation belongs to (RFC 8656 §2, §7): over UDP, the
/// client's source address and the server address the client sent to.
public struct TURNFiveTuple: Hashable, Sendable, CustomStringConvertible {
    /// The client's address as the server sees it (its NAT's external mapping, if any).
    public var client: TransportAddress
    /// The server's listening address the client talks to.
    public var server: TransportAddress

    /// Creates a 5-tuple (the protocol is always UDP here).
    public init(client: TransportAddress, server: TransportAddress) {
        self.client = client
        self.server = server
    }

    /// "UDP 203.0.113.5:4000 -> 198.51.100.1:3478".
    public var description: String { "UDP \(client) -> \(server)" }
}

/// A snapshot of one allocation held by a `TURNServer`.
public struct TURNServerAllocation: Hashable, Sendable, CustomStringConvertible {
    /// The client side of the allocation.
    public var fiveTuple: TURNFiveTuple
    /// The relayed transport address peers send to.
    public var relayedAddress: TransportAddress
    /// The long-term username that created it; later requests must use the same one.
    public var username: String
    /// When it is deleted unless refreshed.
    public var expiresAt: Instant
    /// Installed permissions by peer IP, with their expiry.
    public var permissions: [IPAddress: Instant]
    /// Active channel bindings by number: the peer and the binding's expiry.
    public var channels: [UInt16: TURNServerChannel]

    /// "relay 198.51.100.1:49152 for UDP 203.0.113.5:4000 -> ... user lab until 600.000s".
    public var description: String {
        "relay \(relayedAddress) for \(fiveTuple) user \"\(username)\" until \(expiresAt)"
    }
}

/// One channel binding on the server (RFC 8656 §12).
public struct TURNServerChannel: Hashable, Sendable {
    /// The peer transport address the channel is bound to.
    public var peer: TransportAddress
    /// When the binding expires unless refreshed; it then cools off for 5 minutes
    /// during which neither the number nor the peer may be bound to anything else.
    public var expiresAt: Instant
}

/// Why an allocation ended.
public enum TURNServerDeletion: String, Hashable, Sendable {
    /// The client sent Refresh with LIFETIME 0.
    case refreshedToZero = "deleted by Refresh with LIFETIME 0"
    /// Its lifetime ran out without a Refresh.
    case expired = "expired"
}

/// What a `TURNServer` reports. Callers that route datagrams by address (the
/// simulated network, a socket driver) bind `relayedAddress` on
/// `.allocationCreated` and release it on `.allocationDeleted`.
public enum TURNServerEvent: Sendable, CustomStringConvertible {
    /// A request was answered (success or error response).
    case answered(STUNServerAnswer)
    /// An allocation was created: datagrams to its relayed address must now reach this endpoint.
    case allocationCreated(TURNServerAllocation, at: Instant)
    /// An allocation's lifetime was extended.
    case allocationRefreshed(TURNServerAllocation, at: Instant)
    /// An allocation ended; its relayed address (and port) is free again.
    case allocationDeleted(relayedAddress: TransportAddress, reason: TURNServerDeletion, at: Instant)
    /// A permission for `peer` on the allocation at `relayedAddress` was installed or refreshed.
    case permissionInstalled(relayedAddress: TransportAddress, peer: IPAddress, expiresAt: Instant)
    /// A permission expired.
    case permissionExpired(relayedAddress: TransportAddress, peer: IPAddress, at: Instant)
    /// `channel` was bound (or re-bound) to `peer`.
    case channelBound(relayedAddress: TransportAddress, channel: UInt16, peer: TransportAddress, expiresAt: Instant)
    /// A channel binding expired (the number and peer now cool off for 5 minutes).
    case channelExpired(relayedAddress: TransportAddress, channel: UInt16, at: Instant)
    /// Application data from the client went out from the relayed address to `peer`.
    case relayedToPeer(relayedAddress: TransportAddress, peer: TransportAddress, bytes: Int, path: TURNDataPath)
    /// Application data from `peer` went to the client.
    case relayedToClient(relayedAddress: TransportAddress, peer: TransportAddress, bytes: Int, path: TURNDataPath)
    /// A datagram was discarded without an answer; the reason says why.
    case dropped(from: TransportAddress, to: TransportAddress, reason: String)

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case let .answered(answer): return "answered \(answer)"
        case let .allocationCreated(allocation, at): return "\(at) allocated \(allocation)"
        case let .allocationRefreshed(allocation, at): return "\(at) refreshed \(allocation)"
        case let .allocationDeleted(relayed, reason, at): return "\(at) relay \(relayed) \(reason.rawValue)"
        case let .permissionInstalled(relayed, peer, expiresAt):
            return "relay \(relayed): permission for \(peer) until \(expiresAt)"
        case let .permissionExpired(relayed, peer, at): return "\(at) relay \(relayed): permission for \(peer) expired"
        case let .channelBound(relayed, channel, peer, expiresAt):
            return "relay \(relayed): channel 0x\(STUNFormat.hex(channel, digits: 4)) -> \(peer) until \(expiresAt)"
        case let .channelExpired(relayed, channel, at):
            return "\(at) relay \(relayed): channel 0x\(STUNFormat.hex(channel, digits: 4)) expired"
        case let .relayedToPeer(relayed, peer, bytes, path):
            return "relay \(relayed) -> peer \(peer): \(bytes) byte(s) from \(path)"
        case let .relayedToClient(relayed, peer, bytes, path):
            return "peer \(peer) -> relay \(relayed) -> client: \(bytes) byte(s) as \(path)"
        case let .dropped(from, to, reason): return "dropped datagram \(from) -> \(to): \(reason)"
        }
    }
}
