import SDP
import Wire

/// Everything a `DTLSEndpoint` needs to know before its first datagram.
///
/// The defaults are WebRTC's: a 1200-byte MTU (RFC 8831 §5 assumes an IPv6
/// minimum path less tunnel headroom), RFC 6347 §4.2.4.1's 1-second initial
/// retransmission timer, and a 30-second handshake deadline.
public struct DTLSConfiguration: Sendable {
    /// Client (sends the ClientHello) or server; from the SDP `setup` attributes.
    public var role: DTLSRole
    /// This endpoint's certificate and key; its fingerprint goes into the local description.
    public var certificate: DTLSCertificate
    /// Fingerprints from the remote description (`a=fingerprint`). May be empty at
    /// first: the handshake then waits at certificate verification until
    /// `DTLSEndpoint.setRemoteFingerprints(_:at:)` supplies them.
    public var remoteFingerprints: [Fingerprint]
    /// The address outgoing datagrams come from.
    public var localAddress: TransportAddress
    /// The address outgoing datagrams go to.
    public var remoteAddress: TransportAddress
    /// The largest UDP payload the endpoint ever emits, 256 to 16384 bytes.
    public var mtu: Int
    /// The first retransmission timeout; each expiry doubles it (RFC 6347 §4.2.4.1), up to 60 s.
    public var initialRetransmitTimeout: Duration
    /// How long the handshake may take, from `start(at:)`, before it fails with `.handshakeTimeout`.
    public var handshakeDeadline: Duration
    /// Server only: answer the first ClientHello with a HelloVerifyRequest cookie
    /// (RFC 6347 §4.2.1) before committing any state to the client.
    public var cookieExchange: Bool
    /// Emit `.keyLog` events with NSS key-log lines (SSLKEYLOGFILE format) so
    /// Wireshark/tshark can decrypt a capture. Off by default: the lines are secrets.
    public var keyLogging: Bool
    /// SRTP protection profiles to offer (client) or accept (server) in the
    /// use_srtp extension (RFC 5764 §4.1.1). A DataChannel needs none, but WebRTC
    /// stacks negotiate it on every DTLS transport and some (aiortc) fail the
    /// handshake without it; the peer connection offers WebRTC's usual two. Empty
    /// by default: plain DTLS sends no such extension.
    public var srtpProfiles: [SRTPProtectionProfile] = []

    /// Creates a configuration with WebRTC's defaults for everything not given.
    public init(role: DTLSRole,
                certificate: DTLSCertificate,
                remoteFingerprints: [Fingerprint] = [],
                localAddress: TransportAddress,
                remoteAddress: TransportAddress,
                mtu: Int = 1200,
                initialRetransmitTimeout: Duration = .seconds(1),
                handshakeDeadline: Duration = .seconds(30),
                cookieExchange: Bool = false,
                keyLogging: Bool = false) {
        self.role = role
        self.certificate = certificate
        self.remoteFingerprints = remoteFingerprints
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
        self.mtu = mtu
        self.initialRetransmitTimeout = initialRetransmitTimeout
        self.handshakeDeadline = handshakeDeadline
        self.cookieExchange = cookieExchange
        self.keyLogging = keyLogging
    }

    /// Checks the values OpenSSL would otherwise reject later or silently clamp.
    func validate() throws(DTLSError) {
        guard (256...16384).contains(mtu) else {
            throw DTLSError(.invalidArgument, "mtu must be 256 to 16384 bytes, got \(mtu)")
        }
        let initialMicros = initialRetransmitTimeout.totalNanoseconds / 1000
        guard initialMicros >= 1000, initialMicros <= 60_000_000 else {
            throw DTLSError(.invalidArgument, "initial retransmit timeout must be 1 ms to 60 s, got \(initialRetransmitTimeout)")
        }
        for profile in srtpProfiles where profile.openSSLName == nil {
            throw DTLSError(.invalidArgument, "SRTP profile \(profile) has no OpenSSL name (RFC 5764, RFC 7714 profiles only)")
        }
        guard handshakeDeadline > .zero else {
            throw DTLSError(.invalidArgument, "handshake deadline must be positive, got \(handshakeDeadline)")
        }
    }
}

extension SRTPProtectionProfile {
    /// OpenSSL's name for the profile (`SSL_CTX_set_tlsext_use_srtp`), nil when it has none.
    var openSSLName: String? {
        switch rawValue {
        case 0x0001: return "SRTP_AES128_CM_SHA1_80"
        case 0x0002: return "SRTP_AES128_CM_SHA1_32"
        case 0x0007: return "SRTP_AEAD_AES_128_GCM"
        case 0x0008: return "SRTP_AEAD_AES_256_GCM"
        default: return nil
        }
    }
}
