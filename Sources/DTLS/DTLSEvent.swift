import SDP
import Wire

/// What a `DTLSEndpoint` reports through `poll()`, besides datagrams to send.
public enum DTLSEvent: Sendable {
    /// The handshake finished and the peer's certificate matched a remote fingerprint.
    case connected(DTLSConnectionInfo)
    /// One record of application data from the peer, decrypted and authenticated.
    case applicationData([UInt8])
    /// An alert went out or came in (close_notify included).
    case alert(DTLSAlert)
    /// The connection is closed: close_notify was received, or this side sent one.
    case closed
    /// The handshake or the connection failed; nothing more will happen.
    case failed(DTLSError)
    /// One NSS key-log line ("CLIENT_RANDOM <hex> <hex>"), only with `keyLogging` on.
    case keyLog(String)
    /// The retransmission timer fired and OpenSSL resent its last flight.
    case retransmitted(DTLSRetransmission)
}

/// What the endpoint learned from a finished handshake.
public struct DTLSConnectionInfo: Hashable, Sendable {
    /// The negotiated protocol version as OpenSSL names it ("DTLSv1.2").
    public var protocolVersion: String
    /// The negotiated cipher suite's OpenSSL name ("ECDHE-ECDSA-AES128-GCM-SHA256").
    public var cipherSuite: String
    /// The peer's certificate, DER.
    public var peerCertificateDER: [UInt8]
    /// The remote fingerprint the certificate matched (its hash function is the remote description's).
    public var peerFingerprint: Fingerprint
    /// From `start(at:)` to the handshake's end, in the time the driver supplied.
    public var handshakeDuration: Duration
    /// How many times the retransmission timer resent a flight during the handshake.
    public var retransmissions: Int

    /// Creates connection facts (the endpoint fills them in; public for tests and tools).
    public init(protocolVersion: String, cipherSuite: String, peerCertificateDER: [UInt8],
                peerFingerprint: Fingerprint, handshakeDuration: Duration, retransmissions: Int) {
        self.protocolVersion = protocolVersion
        self.cipherSuite = cipherSuite
        self.peerCertificateDER = peerCertificateDER
        self.peerFingerprint = peerFingerprint
        self.handshakeDuration = handshakeDuration
        self.retransmissions = retransmissions
    }
}

/// One firing of the retransmission timer (RFC 6347 §4.2.4).
public struct DTLSRetransmission: Hashable, Sendable {
    /// How many timer-driven retransmissions this endpoint has made so far, this one included.
    public var count: Int
    /// The timeout that had just expired.
    public var expiredTimeout: Duration
    /// The timeout armed for the next retransmission (double the expired one, at most 60 s).
    public var nextTimeout: Duration

    /// Creates a retransmission record.
    public init(count: Int, expiredTimeout: Duration, nextTimeout: Duration) {
        self.count = count
        self.expiredTimeout = expiredTimeout
        self.nextTimeout = nextTimeout
    }
}
