import Wire

/// Credentials a client uses to sign its requests (RFC 8489 §9).
public enum STUNClientCredentials: Hashable, Sendable {
    /// Short-term: USERNAME plus MESSAGE-INTEGRITY keyed with the password, on every request.
    case shortTerm(username: String, password: String)
    /// Long-term: the first request goes unsigned; the server's 401 brings REALM
    /// and NONCE, and the client retries signed with MD5(username:realm:password).
    /// A 438 Stale Nonce brings a fresh nonce and one more retry.
    case longTerm(username: String, password: String)

    /// The username.
    public var username: String {
        switch self {
        case let .shortTerm(username, _), let .longTerm(username, _): return username
        }
    }
}

/// A response matched to one of the client's transactions.
public struct STUNClientResponse: Sendable {
    /// The transaction it answers.
    public var transactionID: TransactionID
    /// Where it came from (always the address the request went to).
    public var server: TransportAddress
    /// The parsed response.
    public var message: STUNMessage
    /// The response bytes as received (for dissection and pcap).
    public var bytes: [UInt8]
    /// From the first send of the request to this response. Which send it
    /// answers cannot be known (retransmissions are identical), see `transmissions`.
    public var rtt: Duration
    /// How many times the request had been sent when the response arrived.
    public var transmissions: Int
    /// When it arrived.
    public var receivedAt: Instant
    /// The integrity check, `.absent` when the request was not signed.
    public var integrity: STUNIntegrityVerdict

    /// The reflexive address (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS).
    public var mappedAddress: TransportAddress? { message.mappedAddress }
    /// The error, for error responses.
    public var errorCode: ErrorCodeAttribute? { message.errorCode }
}

/// What a `STUNClient` reports.
public enum STUNClientEvent: Sendable {
    /// A success response completed a transaction.
    case responseReceived(STUNClientResponse)
    /// An error response completed a transaction (after any automatic long-term retry).
    case errorResponseReceived(STUNClientResponse)
    /// The request was sent again; `transmission` is its number (2 = first retransmission).
    case retransmitted(TransactionID, transmission: Int, at: Instant)
    /// No response after all retransmissions and the final wait.
    case timedOut(TransactionID, transmissions: Int, at: Instant)
    /// A long-term credential challenge (401 or 438) was answered automatically:
    /// `transactionID` ended, `retry` carries the signed request.
    case challenged(TransactionID, retry: TransactionID, code: STUNErrorCode, realm: String)
    /// A response arrived but the transaction failed anyway (e.g. it holds
    /// comprehension-required attributes this client does not understand, RFC 8489 §6.3.3).
    case failed(TransactionID, reason: String)
    /// A datagram was ignored; nothing changed. The reason says why.
    case dropped(from: TransportAddress, reason: String)
}
