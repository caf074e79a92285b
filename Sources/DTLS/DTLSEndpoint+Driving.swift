import COpenSSL
import CShims
import SDP
import Wire

/// The state machine's transitions: every input ends in `advance()`, which lets
/// OpenSSL consume what the BIO holds, then turns OpenSSL's answer into a state,
/// events, datagrams and the next timeout.
extension DTLSEndpoint {
    /// A received datagram.
    func receive(_ payload: [UInt8], at now: Instant) {
        lastNow = now
        if state == .awaitingStart {
            state = .handshaking
            handshakeStartedAt = now
        }
        guard state == .handshaking || state == .connected || (state == .closed && sentCloseNotify) else {
            droppedDatagramCount += 1
            return
        }
        // RFC 7983: only first bytes 20...63 are DTLS. STUN and friends share the
        // port; they are the ICE layer's business, and never OpenSSL's.
        guard DemuxedProtocol.classify(payload) == .dtls else {
            droppedDatagramCount += 1
            refreshTimeout()
            return
        }
        if holdsClientFlight, !Self.needsNoFingerprint(payload) {
            if heldDatagrams.count < Self.heldDatagramLimit {
                heldDatagrams.append(payload)
            } else {
                droppedDatagramCount += 1
            }
            refreshTimeout()
            return
        }
        for held in heldDatagrams { bio.push(held) }
        heldDatagrams.removeAll()
        let newRound = state == .connected && opensRetransmissionRound(payload)
        bio.push(payload)
        advance()
        if newRound { repeatFinalFlight() }
    }

    /// A server that has sent ServerHelloDone but has no fingerprint yet keeps
    /// the client's next flight (Certificate onward) unread. OpenSSL can pause a
    /// *client* at verification (SSL_set_retry_verify) but not a server, and a
    /// server that read the Certificate without a fingerprint could only refuse
    /// it. Holding the flight is the server's pause: the client keeps
    /// retransmitting, and `setRemoteFingerprints` releases the held datagrams.
    var holdsClientFlight: Bool {
        configuration.role == .server && state == .handshaking && remoteFingerprints.isEmpty
            && lab_dtls_server_awaits_client_flight(ssl) == 1
    }

    /// True when OpenSSL can judge this datagram without the fingerprint, so
    /// holding it would only delay the verdict until the deadline: a plaintext
    /// alert (the client refused our certificate) or an empty Certificate
    /// message (no certificate to check: OpenSSL fails it at once, RFC 5246
    /// §7.4.6, with SSL_VERIFY_FAIL_IF_NO_PEER_CERT). The held datagrams go first.
    static func needsNoFingerprint(_ datagram: [UInt8]) -> Bool {
        for record in DTLSRecord.scan(datagram: datagram).records where !record.isEncrypted {
            if record.contentType == .alert { return true }
            guard record.contentType == .handshake,
                  let messages = try? DTLSHandshakeMessage.parseAll(recordFragment: record.fragment) else { continue }
            // An empty certificate_list is the 3-byte length 0 and nothing else.
            if messages.contains(where: { $0.header.messageType == .certificate && $0.header.length == 3 }) { return true }
        }
        return false
    }

    /// Time passed: the handshake deadline, then OpenSSL's retransmission timer.
    func expireTimers(at now: Instant) {
        lastNow = now
        switch state {
        case .handshaking:
            if let start = handshakeStartedAt, now >= start + configuration.handshakeDeadline {
                abandonHandshake(DTLSError(.handshakeTimeout,
                                           "no handshake within \(configuration.handshakeDeadline) (\(retransmissionCount) retransmission(s))"))
                flushOutbound()
                return
            }
        case .connected:
            break
        case .awaitingStart, .closed, .failed:
            refreshTimeout()
            return
        }
        let expired = armedTimerMicros
        OpenSSLErrors.clear()
        let result = lab_dtls_handle_timeout(ssl)
        if result > 0 {
            retransmissionCount += 1
            outputs.emit(.retransmitted(DTLSRetransmission(count: retransmissionCount,
                                                          expiredTimeout: .microseconds(Int64(expired)),
                                                          nextTimeout: .microseconds(Int64(armedTimerMicros)))))
        } else if result < 0 {
            if state == .handshaking {
                abandonHandshake(DTLSError.openSSL(.handshakeTimeout, "OpenSSL gave up after \(retransmissionCount) retransmission(s)"))
            } else {
                fail(DTLSError.openSSL(.protocolViolation, "OpenSSL's retransmission timer failed"))
            }
        }
        advance()
    }

    /// Lets OpenSSL run on what is queued, then publishes its outputs.
    func advance() {
        switch state {
        case .handshaking: driveHandshake()
        case .connected, .closed: readRecords()
        case .awaitingStart, .failed: break
        }
        flushOutbound()
    }

    func driveHandshake() {
        OpenSSLErrors.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            becomeConnected()
            if state == .connected { readRecords() }
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return
        case SSL_ERROR_WANT_RETRY_VERIFY:
            // Paused in verifyPeer for want of a fingerprint; resumed by setRemoteFingerprints.
            return
        default:
            fail(handshakeFailure())
        }
    }

    /// Names the reason OpenSSL failed the handshake, most specific first.
    func handshakeFailure() -> DTLSError {
        if let verificationFailure {
            OpenSSLErrors.clear()
            return verificationFailure
        }
        if let alert = receivedFatalAlert {
            return DTLSError.openSSL(.alertReceived, "the peer sent a fatal \(alert.alertDescription.name) alert")
        }
        let code = ERR_peek_error()
        if code != 0, ERR_GET_REASON(code) == lab_dtls_reason_no_peer_certificate() {
            return DTLSError.openSSL(.missingPeerCertificate, "the peer sent no certificate, so its fingerprint cannot be checked")
        }
        return DTLSError.openSSL(.protocolViolation, "the handshake failed")
    }

    func becomeConnected() {
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            fail(DTLSError(.missingPeerCertificate, "the handshake finished without a peer certificate"))
            return
        }
        defer { X509_free(peer) }
        guard let der = try? X509Facts.encode(peer), let fingerprint = matchedFingerprint,
              fingerprint.matches(certificateDER: der) else {
            fail(DTLSError(.fingerprintMismatch, "the handshake finished without a verified fingerprint match"))
            return
        }
        let cipher = SSL_get_current_cipher(ssl).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? "unknown"
        let version = SSL_get_version(ssl).map { String(cString: $0) } ?? "unknown"
        state = .connected
        finishedInThisBurst = true
        outputs.emit(.connected(DTLSConnectionInfo(
            protocolVersion: version, cipherSuite: cipher, peerCertificateDER: der,
            peerFingerprint: fingerprint, handshakeDuration: lastNow - (handshakeStartedAt ?? lastNow),
            retransmissions: retransmissionCount)))
    }

    /// Reads every queued record. OpenSSL drops what fails its checks (bad MAC,
    /// replayed sequence number, wrong epoch, malformed header) without an error,
    /// as RFC 6347 §4.1.2.7 asks, so only a real failure ends the association.
    func readRecords() {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        // Bounded by the queued datagrams: each SSL_read consumes at least one record or returns.
        while true {
            OpenSSLErrors.clear()
            let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 {
                if state == .connected { outputs.emit(.applicationData(Array(buffer[0..<Int(count)]))) }
                // Data from the peer proves it finished too: our last flight arrived.
                finalFlight.datagrams.removeAll()
                continue
            }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                // The peer's close_notify. RFC 5246 §7.2.1: answer with our own.
                if state == .connected {
                    OpenSSLErrors.clear()
                    _ = SSL_shutdown(ssl)
                    OpenSSLErrors.clear()
                    finish(as: .closed)
                } else {
                    sentCloseNotify = false
                    bio.discardInbound()
                }
                return
            default:
                if state == .connected {
                    let error = receivedFatalAlert.map {
                        DTLSError(.alertReceived, "the peer sent a fatal \($0.alertDescription.name) alert")
                    } ?? DTLSError.openSSL(.protocolViolation, "reading a record failed")
                    fail(error)
                } else {
                    sentCloseNotify = false
                    bio.discardInbound()
                }
                return
            }
        }
    }

    /// Ends the association with an error (reported once).
    func fail(_ error: DTLSError) {
        guard state != .failed, state != .closed else { return }
        finish(as: .failed)
        outputs.emit(.failed(error))
    }

    /// Moves to a final state; `.closed` is reported here, `.failed` by `fail`.
    func finish(as final: State) {
        let wasEnded = state == .closed || state == .failed
        state = final
        awaitingFingerprint = false
        heldDatagrams.removeAll()
        if final == .failed { bio.discardInbound() }
        if final == .closed, !wasEnded { outputs.emit(.closed) }
        refreshTimeout()
    }

    /// Moves what OpenSSL wrote to the output queue, packed (see `packed`), then
    /// recomputes the timeout. The burst that finished the handshake is kept as
    /// our last flight (+FinalFlight).
    func flushOutbound() {
        let payloads = Self.packed(bio.takeOutbound(), mtu: configuration.mtu)
        if finishedInThisBurst {
            finishedInThisBurst = false
            finalFlight.datagrams = payloads
        }
        for payload in payloads {
            if state == .handshaking { noteSentRecords(payload) }
            outputs.transmit(Datagram(from: configuration.localAddress, to: configuration.remoteAddress, payload: payload))
        }
        refreshTimeout()
    }

    /// Packs datagrams written in one burst into as few datagrams of at most `mtu`
    /// bytes as possible, in order (RFC 6347 §4.1.1: several records may share a
    /// datagram; a record never spans two).
    ///
    /// Why: OpenSSL 3.0 packs a flight's first transmission (through its buffering
    /// BIO) but resends a flight one message per datagram (it flushes after each
    /// message), and answers a peer's resent Finished with ChangeCipherSpec and
    /// Finished in two datagrams. The receiver needs every message of a flight, so
    /// each extra datagram is one more way to lose it: a resent client flight 5 was
    /// five datagrams, and the ChangeCipherSpec of the server's answer travelled
    /// alone. Packed, a resent flight is lost only when its one datagram is.
    /// Application data keeps one record per datagram and is never packed.
    static func packed(_ datagrams: [[UInt8]], mtu: Int) -> [[UInt8]] {
        let applicationData = DTLSContentType.applicationData.rawValue
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        for datagram in datagrams {
            // OpenSSL writes application data as one record per write, so its first byte tells.
            let isApplicationData = datagram.first == applicationData
            if !current.isEmpty, !isApplicationData, current.count + datagram.count <= mtu {
                current += datagram
                continue
            }
            if !current.isEmpty { result.append(current) }
            current = []
            if isApplicationData { result.append(datagram) } else { current = datagram }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// OpenSSL answers "how long until the timer fires" from the wall clock; the
    /// answer is anchored to the last `now` the driver gave (DTLS.swift explains).
    func refreshTimeout() {
        guard state == .handshaking || state == .connected else {
            cachedTimeout = nil
            return
        }
        var earliest: Instant?
        let remaining = lab_dtls_get_timeout_us(ssl)
        if remaining >= 0 {
            earliest = lastNow + .microseconds(remaining)
        }
        if state == .handshaking, let start = handshakeStartedAt {
            let deadline = start + configuration.handshakeDeadline
            earliest = min(earliest ?? deadline, deadline)
        }
        cachedTimeout = earliest
    }
}
