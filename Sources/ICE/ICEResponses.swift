import STUN
import Wire

/// Answers to checks we received, and the validation of answers to ours
/// (RFC 8445 §7.3.1, §7.2.5; RFC 8489 §9.1.4).
public enum ICEResponses {
    /// The success response to a valid check: XOR-MAPPED-ADDRESS is the
    /// request's source (what lets the peer discover its peer-reflexive
    /// address), signed with OUR password (the one the request verified with),
    /// then FINGERPRINT. It goes back from the address the request came to.
    public static func success(to check: ICEInboundCheck, source: TransportAddress, local: ICECredentials) throws -> [UInt8] {
        var message = STUNMessage(type: .bindingSuccess, transactionID: check.transactionID)
        message.append(XORMappedAddress(source))
        return try sign(message, local: local)
    }

    /// 487 (Role Conflict) to a check whose role clashes with ours when we keep ours (§7.3.1.1).
    public static func roleConflict(to check: ICEInboundCheck, local: ICECredentials) throws -> [UInt8] {
        var message = STUNMessage(type: .bindingError, transactionID: check.transactionID)
        message.append(try errorCode(.roleConflict, reason: nil))
        return try sign(message, local: local)
    }

    /// The error response for a rejected check: 420 lists the unknown attributes;
    /// it is signed only when the request authenticated (the peer could not
    /// verify anything else), and always carries FINGERPRINT.
    public static func error(for rejection: ICECheckRejection, local: ICECredentials) throws -> [UInt8] {
        var message = STUNMessage(type: .bindingError, transactionID: rejection.transactionID)
        message.append(try errorCode(rejection.code, reason: nil))
        if !rejection.unknownAttributes.isEmpty { message.append(UnknownAttributes(rejection.unknownAttributes)) }
        if rejection.authenticated { return try sign(message, local: local) }
        do { return try message.encode(fingerprint: true) } catch {
            throw ICEError(.invalidArgument, "the error response does not encode: \(error)")
        }
    }

    private static func errorCode(_ code: STUNErrorCode, reason: String?) throws -> ErrorCodeAttribute {
        do { return try ErrorCodeAttribute(code, reason: reason) } catch {
            throw ICEError(.invalidArgument, "error code \(code.rawValue) is not a STUN error: \(error)")
        }
    }

    private static func sign(_ message: STUNMessage, local: ICECredentials) throws -> [UInt8] {
        do { return try message.encode(integrityKey: .shortTerm(password: local.password), fingerprint: true) } catch {
            throw ICEError(.invalidArgument, "the response does not encode: \(error)")
        }
    }
}

/// What we remember about a check in flight, to judge its response.
public struct ICEPendingCheck: Hashable, Sendable {
    /// The check as sent.
    public var check: ICEConnectivityCheck
    /// The local base it left from.
    public var sentFrom: TransportAddress
    /// The remote candidate it went to.
    public var sentTo: TransportAddress

    /// Creates the record.
    public init(check: ICEConnectivityCheck, sentFrom: TransportAddress, sentTo: TransportAddress) {
        self.check = check
        self.sentFrom = sentFrom
        self.sentTo = sentTo
    }
}

/// The outcome of a response to one of our checks.
public enum ICEResponseVerdict: Hashable, Sendable {
    /// Success; `mappedAddress` is how the peer saw us. If it is not a known
    /// local candidate, it is a new peer-reflexive one (§7.2.5.3.1).
    case succeeded(mappedAddress: TransportAddress)
    /// 487: decide with `ICERoleConflict.decideAfter487` and retry (§7.2.5.1).
    case roleConflict
    /// The check failed for good: the pair goes to Failed (§7.2.5.2, §7.2.5.4).
    case failed(code: STUNErrorCode?, reason: String)
    /// Not a usable answer to this check: ignore it; retransmissions go on.
    case discard(reason: String)
}

extension ICEPendingCheck {
    /// Judges a datagram received on `receivedOn` from `source` as the answer
    /// to this check. Checked in order: STUN framing, a Binding response with
    /// our transaction id, FINGERPRINT (when present), MESSAGE-INTEGRITY
    /// verifying with the remote password (absent or wrong: as if nothing
    /// arrived, RFC 8489 §9.1.4, so a forged error cannot kill a pair), the
    /// addresses symmetric to the request (§7.2.5.2.1: else Failed), then the
    /// class: a success needs XOR-MAPPED-ADDRESS; 487 is a role conflict; any
    /// other error fails the pair.
    public func judge(_ bytes: [UInt8], from source: TransportAddress, receivedOn: TransportAddress) -> ICEResponseVerdict {
        let message: STUNMessage
        do { message = try STUNMessage(parsing: bytes) } catch { return .discard(reason: "not STUN: \(error)") }
        guard message.messageType.method == .binding, message.messageType.messageClass.isResponse else {
            return .discard(reason: "\(message.messageType) is not a Binding response")
        }
        guard message.transactionID == check.transactionID else {
            return .discard(reason: "transaction \(message.transactionID) is not \(check.transactionID)")
        }
        switch STUNMessage.verifyFingerprint(of: bytes) {
        case .valid, .absent: break
        case .invalid, .malformed: return .discard(reason: "FINGERPRINT does not match")
        }
        guard STUNMessage.verifyIntegrity(of: bytes, key: .shortTerm(password: check.remote.password)).isValid else {
            return .discard(reason: "MESSAGE-INTEGRITY is absent or does not verify with the remote password")
        }
        guard source == sentTo, receivedOn == sentFrom else {
            return .failed(code: nil, reason: "non-symmetric: sent \(sentFrom) -> \(sentTo), answered \(source) -> \(receivedOn)")
        }
        if message.messageType.messageClass == .errorResponse {
            guard let error = message.errorCode else {
                return .failed(code: nil, reason: "error response without a readable ERROR-CODE")
            }
            if error.code == .roleConflict { return .roleConflict }
            return .failed(code: error.code, reason: "\(error.code) \(error.reason)")
        }
        guard let mapped = try? message.attribute(XORMappedAddress.self)?.address else {
            return .failed(code: nil, reason: "success response without a readable XOR-MAPPED-ADDRESS")
        }
        return .succeeded(mappedAddress: mapped)
    }
}
