import COpenSSL
import CShims
import SDP
import Wire

/// One end of a DTLS 1.2 association, sans-IO: fed datagrams and the time,
/// drained of datagrams to send and of events.
///
/// ```swift
/// let endpoint = try DTLSEndpoint(configuration: config)
/// endpoint.start(at: now)                       // the client sends its ClientHello
/// while let output = endpoint.poll() { ... }    // .transmit(datagram) / .event(event)
/// endpoint.handle(.datagram(received, at: now)) // then poll() again
/// endpoint.handle(.timeout(now))                // at or after nextTimeout
/// ```
///
/// The handshake is OpenSSL's; this class owns the I/O around it (`DatagramBIO`),
/// the fingerprint check that replaces a CA (RFC 8122 §5, RFC 8842 §5), the
/// handshake deadline and the translation of OpenSSL's outcomes into events.
/// See DTLS.swift for the exceptions to sans-IO (OpenSSL's timers read the wall
/// clock). Not thread-safe: drive one endpoint from one task at a time.
public final class DTLSEndpoint: DatagramEndpoint {
    /// The states, named by what the endpoint waits for.
    enum State: Equatable {
        /// Created; waits for `start(at:)` or a first datagram.
        case awaitingStart
        /// Handshake flights are being exchanged.
        case handshaking
        /// Application data flows.
        case connected
        /// close_notify went out or came in; only the peer's close_notify is still read.
        case closed
        /// A fatal error ended the association; every input is ignored.
        case failed
    }

    /// The configuration given at creation (its `remoteFingerprints` is the initial list).
    public let configuration: DTLSConfiguration
    /// The fingerprints the peer's certificate is checked against (RFC 8122 §5).
    public private(set) var remoteFingerprints: [Fingerprint]
    /// Timer-driven retransmissions so far (each also reported as `.retransmitted`).
    public internal(set) var retransmissionCount = 0
    /// Datagrams ignored: not DTLS by RFC 7983's first-byte rule, arriving after a
    /// failure, or beyond the hold queue while waiting for a fingerprint.
    public internal(set) var droppedDatagramCount = 0

    var state: State = .awaitingStart
    let context: OpaquePointer
    let ssl: OpaquePointer
    let bio: DatagramBIO
    var outputs = OutputQueue<DTLSEvent>()
    /// The time the driver last gave us; OpenSSL's remaining-time answers are added to it.
    var lastNow = Instant.zero
    var handshakeStartedAt: Instant?
    var cachedTimeout: Instant?
    /// The retransmission timeout OpenSSL currently has armed, in microseconds (set by the timer callback).
    var armedTimerMicros: UInt32 = 0
    /// Why the verify callback refused the peer, reported when OpenSSL then fails the handshake.
    var verificationFailure: DTLSError?
    /// The remote fingerprint the peer's certificate matched.
    var matchedFingerprint: Fingerprint?
    /// The fatal alert the peer sent, if any (explains a failed handshake).
    var receivedFatalAlert: DTLSAlert?
    /// The client paused at certificate verification (SSL_set_retry_verify) for want of a fingerprint.
    var awaitingFingerprint = false
    /// A server without a fingerprint keeps the client's second flight here (see `handle`).
    var heldDatagrams: [[UInt8]] = []
    /// This side sent close_notify and still reads the peer's reply.
    var sentCloseNotify = false
    /// What our own handshake records looked like (for an alert written by hand, see +Abort).
    var sentRecords = SentRecordLog()
    /// The HMAC key for HelloVerifyRequest cookies (random per endpoint).
    var cookieSecret: [UInt8] = []
    /// Our last flight, repeated when the peer's retransmissions show it was lost (+FinalFlight).
    var finalFlight = FinalFlight()
    /// Set when the handshake finished; the next flush records the last flight.
    var finishedInThisBurst = false

    /// How many datagrams a server holds while it waits for a late fingerprint: a
    /// client flight is a handful of datagrams, and retransmissions repeat it.
    static let heldDatagramLimit = 64

    /// Creates an endpoint. Nothing is sent until `start(at:)` or a first datagram.
    /// - Throws: `.invalidArgument` for an out-of-range configuration value,
    ///   `.openSSLFailure` when OpenSSL refuses the certificate or cannot allocate.
    public init(configuration: DTLSConfiguration) throws(DTLSError) {
        try configuration.validate()
        self.configuration = configuration
        self.remoteFingerprints = configuration.remoteFingerprints
        let made = try Self.makeContextAndSession(configuration)
        self.context = made.context
        self.ssl = made.ssl
        self.bio = made.bio
        try attachCallbacks()
    }

    deinit {
        // SSL_free releases the BIO too (SSL_set_bio handed it over); the
        // DatagramBIO object it points at is ours and outlives that call.
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    // MARK: - DatagramEndpoint

    /// Starts the handshake: a client sends its ClientHello, a server starts
    /// waiting for one. Both arm the handshake deadline, so call it when the
    /// transport below is ready (ICE connected). A first datagram starts an
    /// endpoint implicitly. Idempotent.
    public func start(at now: Instant) {
        lastNow = now
        guard state == .awaitingStart else { return }
        state = .handshaking
        handshakeStartedAt = now
        advance()
    }

    /// Feeds a received datagram or the news that time has passed.
    public func handle(_ input: EndpointInput) {
        switch input {
        case let .datagram(datagram, now):
            receive(datagram.payload, at: now)
        case let .timeout(now):
            expireTimers(at: now)
        }
    }

    /// The next datagram to send or event to report; nil when drained.
    public func poll() -> EndpointOutput<DTLSEvent>? { outputs.pop() }

    /// When to call `handle(.timeout(_:))`: the earlier of OpenSSL's retransmission
    /// timer and the handshake deadline; nil once closed or failed.
    public var nextTimeout: Instant? { cachedTimeout }

    // MARK: - Application API

    /// True once the handshake finished and until the association closes or fails.
    public var isConnected: Bool { state == .connected }

    /// Supplies (or replaces) the remote description's fingerprints. If the
    /// handshake was waiting for them at certificate verification, it resumes now.
    /// Once the peer's certificate was verified the list no longer matters.
    public func setRemoteFingerprints(_ fingerprints: [Fingerprint], at now: Instant) {
        lastNow = now
        remoteFingerprints = fingerprints
        guard state == .handshaking, !fingerprints.isEmpty else { return }
        for datagram in heldDatagrams { bio.push(datagram) }
        heldDatagrams.removeAll()
        advance()
    }

    /// The largest payload `send(_:)` accepts: what fits one record in one datagram of `mtu` bytes.
    public var maximumApplicationDataSize: Int {
        state == .connected ? Int(DTLS_get_data_mtu(ssl)) : 0
    }

    /// Sends one application-data record, in one datagram.
    /// - Throws: `.invalidState` before the handshake finished or after close/failure,
    ///   `.invalidArgument` for an empty payload or one above `maximumApplicationDataSize`,
    ///   `.openSSLFailure` if OpenSSL refuses to write.
    public func send(_ payload: [UInt8]) throws(DTLSError) {
        guard state == .connected else {
            throw DTLSError(.invalidState, "cannot send application data while \(state)")
        }
        let limit = maximumApplicationDataSize
        guard !payload.isEmpty, payload.count <= limit else {
            throw DTLSError(.invalidArgument, "payload must be 1 to \(limit) bytes (one record in one \(configuration.mtu)-byte datagram), got \(payload.count)")
        }
        OpenSSLErrors.clear()
        let written = payload.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        flushOutbound()
        guard written == Int32(payload.count) else {
            throw DTLSError.openSSL(.openSSLFailure, "SSL_write wrote \(written) of \(payload.count) bytes")
        }
    }

    /// Closes the association: sends close_notify if the handshake finished, then
    /// reports `.closed`. Idempotent; during the handshake it just stops.
    public func close() {
        switch state {
        case .connected:
            OpenSSLErrors.clear()
            _ = SSL_shutdown(ssl)
            OpenSSLErrors.clear()
            sentCloseNotify = true
            finish(as: .closed)
            flushOutbound()
        case .awaitingStart, .handshaking:
            finish(as: .closed)
        case .closed, .failed:
            break
        }
    }

    /// Derives keying material from the master secret (RFC 5705), e.g. label
    /// "EXTRACTOR-dtls_srtp" for SRTP keys (RFC 5764 §4.2).
    /// - Parameters:
    ///   - label: the exporter label, ASCII.
    ///   - context: a context value, or nil for none (RFC 5705 §4 tells the two apart).
    ///   - length: 1 to 1024 bytes.
    /// - Throws: `.invalidState` before the handshake finished or after failure,
    ///   `.invalidArgument` for a bad length, `.openSSLFailure` if OpenSSL refuses.
    public func exportKeyingMaterial(label: String, context: [UInt8]? = nil, length: Int) throws(DTLSError) -> [UInt8] {
        guard state == .connected || (state == .closed && handshakeFinished) else {
            throw DTLSError(.invalidState, "keying material exists only after the handshake finished (state \(state))")
        }
        guard (1...1024).contains(length) else {
            throw DTLSError(.invalidArgument, "export length must be 1 to 1024 bytes, got \(length)")
        }
        guard !label.isEmpty, label.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw DTLSError(.invalidArgument, "export label must be non-empty printable ASCII, got \"\(label)\"")
        }
        var output = [UInt8](repeating: 0, count: length)
        let labelLength = label.utf8.count
        // A one-byte buffer stands in for an empty context so OpenSSL never sees a
        // nil pointer with use_context = 1; the length passed stays 0.
        let contextBytes = context ?? []
        let contextStorage = contextBytes.isEmpty ? [0] : contextBytes
        OpenSSLErrors.clear()
        let ok = output.withUnsafeMutableBufferPointer { out in
            label.withCString { labelPointer in
                contextStorage.withUnsafeBufferPointer { contextBuffer in
                    SSL_export_keying_material(ssl, out.baseAddress, length, labelPointer, labelLength,
                                               contextBuffer.baseAddress, contextBytes.count, context == nil ? 0 : 1)
                }
            }
        }
        guard ok == 1 else { throw DTLSError.openSSL(.openSSLFailure, "SSL_export_keying_material failed") }
        return output
    }

    /// True once OpenSSL completed a handshake (stays true after close).
    var handshakeFinished: Bool { SSL_is_init_finished(ssl) == 1 }
}
