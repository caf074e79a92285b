import Wire

/// How a `STUNServer` authenticates requests (RFC 8489 §9).
public enum STUNServerAuthentication: Sendable {
    /// Anyone may ask (a public STUN server). Signed requests are still answered,
    /// unsigned: without credentials the server cannot check or sign anything.
    case none
    /// Short-term credentials (§9.1): USERNAME and MESSAGE-INTEGRITY on every
    /// request, keyed with the password of `users[username]`.
    case shortTerm(users: [String: String])
    /// Long-term credentials (§9.2): unsigned requests are challenged with 401
    /// + REALM + NONCE; signed ones are checked with MD5(username:realm:password);
    /// a nonce older than `nonceLifetime` gets 438 Stale Nonce.
    case longTerm(realm: String, users: [String: String], nonceLifetime: Duration = .seconds(600))
}

/// One answered request, for logs and tools.
public struct STUNServerAnswer: Hashable, Sendable, CustomStringConvertible {
    /// Who asked (the source address of the request, also where the answer went).
    public var client: TransportAddress
    /// The request's transaction id.
    public var transactionID: TransactionID
    /// The request's type.
    public var request: STUNMessageType
    /// The response's type.
    public var response: STUNMessageType
    /// The error code for error responses.
    public var errorCode: STUNErrorCode?
    /// The reflexive address reported, for success responses.
    public var mappedAddress: TransportAddress?
    /// The authenticated username, when credentials were checked and valid.
    public var username: String?
    /// Why the server answered this way, in a few words.
    public var reason: String
    /// True when the request was an RFC 3489 one (no magic cookie) and got a classic answer.
    public var isClassic: Bool = false
    /// The CHANGE-REQUEST of a classic request, when it carried one.
    public var changeRequest: ChangeRequest? = nil

    /// "127.0.0.1:5000 Binding Request -> Binding Success Response (mapped 127.0.0.1:5000): ...", or for a
    /// classic client "127.0.0.1:5000 Binding Request (RFC 3489, no magic cookie, CHANGE-REQUEST 0x0)
    /// -> Binding Success Response (MAPPED-ADDRESS 127.0.0.1:5000): ...".
    public var description: String {
        var text = "\(client) \(request)"
        if isClassic {
            text += " (RFC 3489, no magic cookie"
            if let changeRequest { text += ", CHANGE-REQUEST 0x\(String(changeRequest.flags, radix: 16))" }
            text += ")"
        }
        text += " -> \(response)"
        if let errorCode { text += " \(errorCode)" }
        if let mappedAddress { text += isClassic ? " (MAPPED-ADDRESS \(mappedAddress))" : " (mapped \(mappedAddress))" }
        if let username { text += " user \"\(username)\"" }
        return text + ": \(reason)"
    }
}

/// What a `STUNServer` reports.
public enum STUNServerEvent: Sendable, CustomStringConvertible {
    /// A request was answered (success or error response).
    case answered(STUNServerAnswer)
    /// A datagram got no answer; the reason says why (garbage, indication, response, bad fingerprint...).
    case dropped(from: TransportAddress, reason: String)

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case let .answered(answer): return "answered \(answer)"
        case let .dropped(from, reason): return "dropped datagram from \(from): \(reason)"
        }
    }
}
