import STUN
import Wire

/// A connectivity check received and found valid (RFC 8445 §7.3).
public struct ICEInboundCheck: Hashable, Sendable {
    /// Its transaction id, echoed in the response.
    public var transactionID: TransactionID
    /// The peer's ufrag: the part of USERNAME after the colon.
    public var remoteUfrag: String
    /// Its PRIORITY: the priority of the peer-reflexive candidate it would create (§7.3.1.3).
    public var priority: UInt32
    /// The role the peer claims, with its tie-breaker.
    public var claimedRole: ICEClaimedRole
    /// True when USE-CANDIDATE is present (a nomination, §7.3.1.5).
    public var useCandidate: Bool
    /// The parsed message, for logs and dissection.
    public var message: STUNMessage
}

/// A check refused with an error response (RFC 8489 §9.1.3, RFC 8445 §7.3).
public struct ICECheckRejection: Hashable, Sendable {
    /// The transaction id to answer.
    public var transactionID: TransactionID
    /// 400, 401 or 420.
    public var code: STUNErrorCode
    /// Why, for logs and the reason phrase.
    public var reason: String
    /// For 420: the comprehension-required attributes we do not understand.
    public var unknownAttributes: [STUNAttributeType]
    /// True when the request passed authentication, so the answer may be signed
    /// with our password; 400/401 answers to unauthenticated requests are not.
    public var authenticated: Bool
}

/// What to do with a datagram that might be a check.
public enum ICEInboundVerdict: Hashable, Sendable {
    /// A valid check: apply `ICERoleConflict.decide`, learn a peer-reflexive
    /// candidate if the source is new, answer, and trigger a check.
    case check(ICEInboundCheck)
    /// A Binding indication: a keepalive (§11). No answer.
    case keepalive
    /// Answer with an error response (`ICEResponses.error(for:localPassword:)`).
    case reject(ICECheckRejection)
    /// Drop silently: not STUN, not a Binding request, or a bad FINGERPRINT
    /// (then it was never meant for STUN). Nobody to answer safely.
    case discard(reason: String)
}

extension ICEConnectivityCheck {
    /// Attributes an ICE agent understands in a check. Anything else below
    /// 0x8000 (comprehension-required) earns a 420.
    public static let understoodAttributes: Set<STUNAttributeType> = [
        .username, .messageIntegrity, .messageIntegritySHA256, .fingerprint,
        .priority, .useCandidate, .iceControlling, .iceControlled,
    ]

    /// Validates a received datagram as a check addressed to `local` (§7.3,
    /// with the short-term credential checks of RFC 8489 §9.1.3), in order:
    /// STUN framing, Binding request, FINGERPRINT (when present), USERNAME and
    /// MESSAGE-INTEGRITY present (400), USERNAME's first part is our ufrag
    /// (401), integrity verifies with our password (401), no unknown
    /// comprehension-required attribute (420), exactly one role attribute and
    /// a PRIORITY (400).
    public static func validate(_ bytes: [UInt8], local: ICECredentials) -> ICEInboundVerdict {
        let message: STUNMessage
        do { message = try STUNMessage(parsing: bytes) } catch {
            return .discard(reason: "not STUN: \(error)")
        }
        guard message.messageType.method == .binding else {
            return .discard(reason: "\(message.messageType) is not a Binding request")
        }
        switch message.messageType.messageClass {
        case .request: break
        case .indication: return .keepalive
        case .successResponse, .errorResponse:
            return .discard(reason: "a response is matched to its request, not validated as a check")
        }
        switch STUNMessage.verifyFingerprint(of: bytes) {
        case .valid, .absent: break
        case .invalid, .malformed: return .discard(reason: "FINGERPRINT does not match")
        }
        let id = message.transactionID
        func reject(_ code: STUNErrorCode, _ reason: String, authenticated: Bool,
                    unknown: [STUNAttributeType] = []) -> ICEInboundVerdict {
            .reject(ICECheckRejection(transactionID: id, code: code, reason: reason,
                                      unknownAttributes: unknown, authenticated: authenticated))
        }

        guard message.contains(.username),
              message.contains(.messageIntegrity) || message.contains(.messageIntegritySHA256) else {
            return reject(.badRequest, "a check needs USERNAME and MESSAGE-INTEGRITY", authenticated: false)
        }
        guard let username = try? message.attribute(Username.self)?.value else {
            return reject(.badRequest, "USERNAME is malformed", authenticated: false)
        }
        let parts = username.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == local.ufrag else {
            return reject(.unauthenticated, "USERNAME \"\(username)\" is not for ufrag \(local.ufrag)", authenticated: false)
        }
        guard STUNMessage.verifyIntegrity(of: bytes, key: .shortTerm(password: local.password)).isValid else {
            return reject(.unauthenticated, "MESSAGE-INTEGRITY does not verify with our password", authenticated: false)
        }
        let unknown = message.unknownComprehensionRequired(understood: understoodAttributes)
        guard unknown.isEmpty else {
            return reject(.unknownAttribute, "unknown comprehension-required attribute(s)", authenticated: true, unknown: unknown)
        }
        let claimed: ICEClaimedRole
        do {
            let controlling = try message.attribute(ICEControlling.self)
            let controlled = try message.attribute(ICEControlled.self)
            switch (controlling, controlled) {
            case let (attribute?, nil): claimed = ICEClaimedRole(.controlling, tieBreaker: attribute.tieBreaker)
            case let (nil, attribute?): claimed = ICEClaimedRole(.controlled, tieBreaker: attribute.tieBreaker)
            case (nil, nil):
                return reject(.badRequest, "a check needs ICE-CONTROLLING or ICE-CONTROLLED", authenticated: true)
            case (_?, _?):
                return reject(.badRequest, "a check carries only one of ICE-CONTROLLING and ICE-CONTROLLED", authenticated: true)
            }
        } catch {
            return reject(.badRequest, "role attribute is malformed: \(error)", authenticated: true)
        }
        let priority: UInt32
        let useCandidate: Bool
        do {
            guard let value = try message.attribute(ICEPriority.self) else {
                return reject(.badRequest, "a check needs PRIORITY", authenticated: true)
            }
            priority = value.value
            useCandidate = try message.attribute(ICEUseCandidate.self) != nil
        } catch {
            return reject(.badRequest, "PRIORITY or USE-CANDIDATE is malformed: \(error)", authenticated: true)
        }
        return .check(ICEInboundCheck(transactionID: id, remoteUfrag: String(parts[1]), priority: priority,
                                      claimedRole: claimed, useCandidate: useCandidate, message: message))
    }
}
