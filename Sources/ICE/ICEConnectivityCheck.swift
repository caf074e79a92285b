import STUN
import Wire

/// A connectivity check to send (RFC 8445 §7.2.2): a STUN Binding request
/// from one local candidate's base to one remote candidate.
///
/// ```
/// Binding request
///   USERNAME            "<remote ufrag>:<local ufrag>"   (who it is for : who asks)
///   PRIORITY            the would-be peer-reflexive priority of the local candidate
///   ICE-CONTROLLING or ICE-CONTROLLED   our 64-bit tie-breaker
///   USE-CANDIDATE       only when the controlling agent nominates
///   MESSAGE-INTEGRITY   HMAC-SHA1 keyed with the REMOTE password
///   FINGERPRINT         so the peer can tell STUN from media on a shared port
/// ```
/// The request is signed with the peer's password because the peer checks
/// it with its own: a valid check proves the sender read the peer's SDP.
public struct ICEConnectivityCheck: Hashable, Sendable {
    /// The STUN transaction id (fresh per check, reused by retransmissions).
    public var transactionID: TransactionID
    /// Our credentials (the ufrag goes second in USERNAME).
    public var local: ICECredentials
    /// The peer's credentials (ufrag first in USERNAME; password keys the HMAC).
    public var remote: ICECredentials
    /// Our role, sent as ICE-CONTROLLING or ICE-CONTROLLED.
    public var role: ICERole
    /// Our tie-breaker.
    public var tieBreaker: UInt64
    /// The PRIORITY attribute: `ICECandidate.peerReflexivePriority` of the local candidate.
    public var priority: UInt32
    /// Whether to send USE-CANDIDATE (controlling only).
    public var nominates: Bool

    /// Describes a check. Nominating while controlled is `.invalidArgument`
    /// (§7.1.2: the controlled agent MUST NOT send USE-CANDIDATE).
    public init(transactionID: TransactionID, local: ICECredentials, remote: ICECredentials, role: ICERole,
                tieBreaker: UInt64, priority: UInt32, nominates: Bool = false) throws {
        guard !(nominates && role == .controlled) else {
            throw ICEError(.invalidArgument, "the controlled agent must not send USE-CANDIDATE")
        }
        self.transactionID = transactionID
        self.local = local
        self.remote = remote
        self.role = role
        self.tieBreaker = tieBreaker
        self.priority = priority
        self.nominates = nominates
    }

    /// Describes the check for `pair` as our agent would send it now.
    public init(pair: ICECandidatePair, transactionID: TransactionID, local: ICECredentials, remote: ICECredentials,
                role: ICERole, tieBreaker: UInt64, nominates: Bool = false) throws {
        try self.init(transactionID: transactionID, local: local, remote: remote, role: role,
                      tieBreaker: tieBreaker, priority: pair.local.peerReflexivePriority, nominates: nominates)
    }

    /// "remoteUfrag:localUfrag".
    public var username: String { "\(remote.ufrag):\(local.ufrag)" }

    /// The request without MESSAGE-INTEGRITY and FINGERPRINT (those are
    /// computed over the encoded bytes by `encode()`).
    public func message() throws -> STUNMessage {
        var message = STUNMessage.bindingRequest(transactionID: transactionID)
        do {
            message.append(try Username(username))
        } catch {
            throw ICEError(.invalidArgument, "USERNAME \"\(username)\" does not fit: \(error)")
        }
        message.append(ICEPriority(priority))
        switch role {
        case .controlling: message.append(ICEControlling(tieBreaker: tieBreaker))
        case .controlled: message.append(ICEControlled(tieBreaker: tieBreaker))
        }
        if nominates { message.append(ICEUseCandidate()) }
        return message
    }

    /// The datagram payload: the request signed with the remote password, then FINGERPRINT.
    public func encode() throws -> [UInt8] {
        do {
            return try message().encode(integrityKey: .shortTerm(password: remote.password), fingerprint: true)
        } catch let error as ICEError {
            throw error
        } catch {
            throw ICEError(.invalidArgument, "the check does not encode: \(error)")
        }
    }
}
