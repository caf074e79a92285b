import Wire

/// A TURN request kind and what it was about, for events and failures.
public enum TURNOperation: Hashable, Sendable, CustomStringConvertible {
    /// Allocate: create the allocation (RFC 8656 §7).
    case allocate
    /// Refresh with the requested lifetime in seconds; 0 deletes the allocation (§8).
    case refresh(lifetime: UInt32)
    /// CreatePermission for these peer IPs (§10).
    case createPermission([IPAddress])
    /// ChannelBind of `channel` to `peer` (§12).
    case channelBind(channel: UInt16, peer: TransportAddress)

    /// The STUN method carrying it.
    public var method: STUNMethod {
        switch self {
        case .allocate: return .allocate
        case .refresh: return .refresh
        case .createPermission: return .createPermission
        case .channelBind: return .channelBind
        }
    }

    /// "CreatePermission 127.0.0.1" and the like.
    public var description: String {
        switch self {
        case .allocate: return "Allocate"
        case let .refresh(lifetime): return lifetime == 0 ? "Refresh (deallocate)" : "Refresh \(lifetime)s"
        case let .createPermission(peers): return "CreatePermission " + peers.map(\.description).joined(separator: ", ")
        case let .channelBind(channel, peer): return "ChannelBind 0x\(STUNFormat.hex(channel, digits: 4)) -> \(peer)"
        }
    }
}

/// A granted allocation (RFC 8656 §7.3).
public struct TURNAllocation: Hashable, Sendable {
    /// The relayed transport address: where peers send to reach the client.
    public var relayedAddress: TransportAddress
    /// The client's reflexive address as the server saw it (XOR-MAPPED-ADDRESS), when sent.
    public var mappedAddress: TransportAddress?
    /// The lifetime the server granted.
    public var lifetime: Duration
    /// When it was granted or last refreshed.
    public var grantedAt: Instant

    /// When it expires unless refreshed.
    public var expiresAt: Instant { grantedAt + lifetime }
}

/// How application data reached the client (RFC 8656 §11.6, §12.6).
public enum TURNDataPath: Hashable, Sendable {
    /// In a Data indication (XOR-PEER-ADDRESS + DATA).
    case dataIndication
    /// In a ChannelData message on this channel.
    case channel(UInt16)
}

/// Why a TURN request failed, by what the caller should do about it.
public struct TURNFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Hashable, Sendable {
        /// 401 to a signed request, or 441: the username or password is wrong.
        case wrongCredentials
        /// 437: the 5-tuple has no (or another) allocation.
        case allocationMismatch
        /// 486: the user has too many allocations.
        case quotaReached
        /// 508: the server has no relay ports or bandwidth left.
        case insufficientCapacity
        /// 403: the request was understood and refused (e.g. a peer address the server forbids).
        case forbidden
        /// Too many 401/438 challenges in a row: the server keeps changing its nonce.
        case challengeLoop
        /// Any other error response.
        case errorResponse
        /// No response after all retransmissions (RFC 8489 §6.2.1 schedule).
        case timedOut
        /// A success response lacked a required attribute or held an unknown one.
        case malformedResponse
        /// TURN over TCP/TLS: the connection closed or its bytes could not be framed
        /// (RFC 8656 §3.1: the allocation dies with the connection).
        case connectionLost
    }

    /// The request that failed.
    public var operation: TURNOperation
    /// The kind of failure.
    public var kind: Kind
    /// The ERROR-CODE, for error responses.
    public var code: STUNErrorCode?
    /// Human-readable detail (the server's reason phrase when there is one).
    public var reason: String
    /// When it was reported.
    public var at: Instant

    /// The kind an error code stands for (`wasSigned`: the request carried MESSAGE-INTEGRITY).
    static func kind(for code: STUNErrorCode, wasSigned: Bool) -> Kind {
        switch code {
        case .unauthenticated where wasSigned, .wrongCredentials: return .wrongCredentials
        case .allocationMismatch: return .allocationMismatch
        case .allocationQuotaReached: return .quotaReached
        case .insufficientCapacity: return .insufficientCapacity
        case .forbidden: return .forbidden
        default: return .errorResponse
        }
    }

    /// "Allocate failed (wrongCredentials, 401 Unauthenticated): ...".
    public var description: String {
        let codeText = code.map { ", \($0)" } ?? ""
        return "\(operation) failed (\(kind.rawValue)\(codeText)): \(reason)"
    }
}

/// What a `TURNClient` reports.
public enum TURNClientEvent: Sendable {
    /// The allocation was granted.
    case allocated(TURNAllocation)
    /// A 401 (first contact) or 438 (stale nonce) was answered by re-sending `operation`
    /// signed with the realm's long-term key and the server's new nonce.
    case challenged(TURNOperation, code: STUNErrorCode, realm: String, at: Instant)
    /// A Refresh extended the allocation.
    case refreshed(TURNAllocation)
    /// Permissions for these peer IPs are installed (or refreshed) for 5 minutes.
    case permissionCreated([IPAddress], at: Instant)
    /// `channel` is bound (or re-bound) to `peer` for 10 minutes; data to the peer now uses ChannelData.
    case channelBound(channel: UInt16, peer: TransportAddress, at: Instant)
    /// Application data from a peer, through the relay.
    case dataReceived(from: TransportAddress, data: [UInt8], path: TURNDataPath, at: Instant)
    /// The allocation was deleted (Refresh with LIFETIME 0 answered).
    case deallocated(at: Instant)
    /// A request failed. Allocate and Refresh failures end the allocation (`state` is `.failed`);
    /// permission and channel failures only drop that permission or channel.
    case failed(TURNFailure)
    /// A request was sent again (STUN's schedule); `transmission` 2 is the first retransmission.
    case retransmitted(TURNOperation, transmission: Int, at: Instant)
    /// A datagram was ignored; nothing changed. The reason says why.
    case dropped(from: TransportAddress, reason: String)
}
