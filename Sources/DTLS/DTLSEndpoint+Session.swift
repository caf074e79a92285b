import COpenSSL
import CShims
import SDP
import Wire

/// Building the OpenSSL context and session, and the C callbacks OpenSSL calls
/// back into. Callbacks only record facts and queue events: they never call
/// back into OpenSSL beyond what the callback contract allows, so the state
/// machine's decisions stay in `DTLSEndpoint+Driving.swift`.
extension DTLSEndpoint {
    /// WebRTC's usual suites (ECDHE with AEAD first), plus the RSA variants so a
    /// peer with an RSA certificate (RFC 8827 allows it) can still connect.
    static let cipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
    ].joined(separator: ":")

    /// The context comes from the certificate's cache (`DTLSContextCache`: making one
    /// costs more than the rest of an endpoint's set-up); the session is this endpoint's.
    static func makeContextAndSession(_ configuration: DTLSConfiguration) throws(DTLSError)
        -> (context: OpaquePointer, ssl: OpaquePointer, bio: DatagramBIO) {
        OpenSSLErrors.clear()
        let key = DTLSContextCache.Key(keyLogging: configuration.keyLogging,
                                       srtpProfiles: configuration.srtpProfiles.compactMap(\.openSSLName),
                                       cookieExchange: configuration.cookieExchange)
        let context = try configuration.certificate.contexts.context(for: key) { () throws(DTLSError) in
            try makeContext(configuration.certificate, key)
        }
        var ssl: OpaquePointer?
        do throws(DTLSError) {
            guard let session = SSL_new(context) else {
                throw DTLSError.openSSL(.openSSLFailure, "SSL_new failed")
            }
            ssl = session
            lab_dtls_set_options(session, configuration.cookieExchange && configuration.role == .server ? 1 : 0)
            let bio = try DatagramBIO(mtu: configuration.mtu)
            SSL_set_bio(session, bio.bio, bio.bio)
            guard lab_dtls_set_link_mtu(session, configuration.mtu) == 1 else {
                throw DTLSError.openSSL(.invalidArgument, "OpenSSL refused an MTU of \(configuration.mtu)")
            }
            switch configuration.role {
            case .client: SSL_set_connect_state(session)
            case .server: SSL_set_accept_state(session)
            }
            return (context, session, bio)
        } catch {
            if let ssl { SSL_free(ssl) }
            SSL_CTX_free(context)
            throw error
        }
    }

    /// A new context for `certificate` with what `key` asks for, with no session
    /// cache and no tickets so that it can be shared (see `DTLSContextCache`).
    static func makeContext(_ certificate: DTLSCertificate, _ key: DTLSContextCache.Key) throws(DTLSError)
        -> OpaquePointer {
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw DTLSError.openSSL(.openSSLFailure, "SSL_CTX_new failed")
        }
        do throws(DTLSError) {
            guard lab_dtls_ctx_forbid_resumption(context) == 1 else {
                throw DTLSError.openSSL(.openSSLFailure, "cannot turn off session resumption")
            }
            guard lab_dtls_ctx_use_dtls12_only(context) == 1 else {
                throw DTLSError.openSSL(.openSSLFailure, "cannot restrict the context to DTLS 1.2")
            }
            guard SSL_CTX_set_cipher_list(context, cipherList) == 1 else {
                throw DTLSError.openSSL(.openSSLFailure, "no usable cipher suite")
            }
            guard SSL_CTX_use_certificate(context, certificate.x509) == 1,
                  SSL_CTX_use_PrivateKey(context, certificate.privateKey) == 1,
                  SSL_CTX_check_private_key(context) == 1 else {
                throw DTLSError.openSSL(.invalidCertificate, "OpenSSL refused the local certificate or key")
            }
            // Both sides demand a certificate: the fingerprint in the remote
            // description is the only trust anchor, so no certificate means no trust.
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
            SSL_CTX_set_cert_verify_callback(context, verifyCertificate, nil)
            if key.keyLogging {
                SSL_CTX_set_keylog_callback(context, logKey)
            }
            if !key.srtpProfiles.isEmpty {
                let names = key.srtpProfiles.joined(separator: ":")
                // Returns 0 on success (the one OpenSSL setter that does).
                guard SSL_CTX_set_tlsext_use_srtp(context, names) == 0 else {
                    throw DTLSError.openSSL(.invalidArgument, "OpenSSL refused the SRTP profiles \(names)")
                }
            }
            if key.cookieExchange {
                SSL_CTX_set_cookie_generate_cb(context, generateCookie)
                SSL_CTX_set_cookie_verify_cb(context, verifyCookie)
            }
            return context
        } catch {
            SSL_CTX_free(context)
            throw error
        }
    }

    /// Points the session's callbacks at this object. Called once `self` exists.
    func attachCallbacks() throws(DTLSError) {
        // Unretained: the endpoint owns the SSL and frees it in deinit, and
        // callbacks run only inside SSL calls the endpoint itself makes.
        guard SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque()) == 1 else {
            throw DTLSError.openSSL(.openSSLFailure, "SSL_set_ex_data failed")
        }
        SSL_set_info_callback(ssl, reportAlert)
        DTLS_set_timer_cb(ssl, nextRetransmitTimeout)
        if configuration.cookieExchange {
            cookieSecret = [UInt8](repeating: 0, count: 32)
            guard RAND_bytes(&cookieSecret, 32) == 1 else {
                throw DTLSError.openSSL(.openSSLFailure, "RAND_bytes failed for the cookie secret")
            }
        }
    }

    /// The endpoint that owns `ssl` (set by `attachCallbacks`).
    static func owner(of ssl: OpaquePointer?) -> DTLSEndpoint? {
        guard let ssl, let pointer = SSL_get_ex_data(ssl, 0) else { return nil }
        return Unmanaged<DTLSEndpoint>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: - What the callbacks decide

    /// The certificate check (RFC 8122 §5 / RFC 8842 §5): the peer's certificate
    /// must hash to one of the remote description's fingerprints. Self-signed is
    /// expected; chains, names and CAs are irrelevant.
    /// - Returns: 1 accept (or pause, after SSL_set_retry_verify), 0 refuse.
    func verifyPeer(_ store: OpaquePointer) -> Int32 {
        guard let x509 = X509_STORE_CTX_get0_cert(store),
              let der = try? X509Facts.encode(x509) else {
            verificationFailure = DTLSError(.missingPeerCertificate, "the peer's certificate cannot be read")
            X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED)
            return 0
        }
        if remoteFingerprints.isEmpty {
            if configuration.role == .client {
                // The answer with the fingerprint has not arrived yet: pause here and
                // redo this check when `setRemoteFingerprints` resumes the handshake.
                awaitingFingerprint = true
                return lab_dtls_set_retry_verify(ssl)
            }
            // A server holds the client's flight until it has a fingerprint, so
            // reaching here without one means there is nothing to check against.
            verificationFailure = DTLSError(.fingerprintMismatch, "no remote fingerprint to check the peer's certificate against")
            X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED)
            return 0
        }
        awaitingFingerprint = false
        // RFC 8122 §5: only the fingerprints of our most preferred hash function among
        // those offered count; a match under a weaker one offered beside it does not.
        let candidates = Fingerprint.preferredSelection(remoteFingerprints)
        if let match = candidates.first(where: { $0.matches(certificateDER: der) }) {
            matchedFingerprint = match
            return 1
        }
        let hash = candidates.first?.hashFunction ?? remoteFingerprints[0].hashFunction
        let actual = (try? Fingerprint(certificateDER: der, hashFunction: hash)).map { $0.description } ?? "unknown"
        verificationFailure = DTLSError(.fingerprintMismatch, candidates.isEmpty
            ? "none of the \(remoteFingerprints.count) remote fingerprint(s) uses a hash function we support, first \(remoteFingerprints[0])"
            : "the peer's certificate (\(actual)) matches none of the \(candidates.count) remote fingerprint(s) under \(hash), first \(candidates[0])")
        // CERT_REJECTED makes OpenSSL send bad_certificate (rather than certificate_unknown).
        X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED)
        return 0
    }

    /// RFC 6347 §4.2.4.1: start at the configured value, double on each expiry, cap at 60 s.
    func retransmitTimeout(after previousMicros: UInt32) -> UInt32 {
        let initial = UInt32(configuration.initialRetransmitTimeout.totalNanoseconds / 1000)
        let next = previousMicros == 0 ? initial : min(previousMicros &* 2, 60_000_000)
        armedTimerMicros = next
        return next
    }

    /// A HelloVerifyRequest cookie: HMAC-SHA256 over the peer's address under a
    /// per-endpoint secret, so only the address the cookie was sent to can echo it
    /// (RFC 6347 §4.2.1). Stateless to verify: recompute and compare.
    func cookie() -> [UInt8] {
        let peer = Array(configuration.remoteAddress.description.utf8)
        var mac = [UInt8](repeating: 0, count: 32)
        let written = lab_hmac(1, cookieSecret, cookieSecret.count, peer, peer.count, &mac)
        return Array(mac.prefix(written))
    }

    fileprivate func record(alertType type: Int32, value: Int32) {
        let direction: DTLSAlert.Direction = (type & SSL_CB_READ) != 0 ? .received : .sent
        let alert = DTLSAlert(direction: direction,
                              level: .init(rawValue: UInt8(truncatingIfNeeded: value >> 8)),
                              description: .init(rawValue: UInt8(truncatingIfNeeded: value)))
        if alert.direction == .received, alert.isFatal { receivedFatalAlert = alert }
        outputs.emit(.alert(alert))
    }

    fileprivate func record(keyLogLine line: String) {
        outputs.emit(.keyLog(line))
    }
}

// MARK: - C entry points (no captures, so they convert to C function pointers)

private func verifyCertificate(_ store: OpaquePointer?, _ argument: UnsafeMutableRawPointer?) -> Int32 {
    guard let store else { return 0 }
    let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx())
    guard let endpoint = DTLSEndpoint.owner(of: OpaquePointer(ssl)) else { return 0 }
    return endpoint.verifyPeer(store)
}

private func reportAlert(_ ssl: OpaquePointer?, _ type: Int32, _ value: Int32) {
    guard (type & SSL_CB_ALERT) != 0, let endpoint = DTLSEndpoint.owner(of: ssl) else { return }
    endpoint.record(alertType: type, value: value)
}

private func logKey(_ ssl: OpaquePointer?, _ line: UnsafePointer<CChar>?) {
    guard let line, let endpoint = DTLSEndpoint.owner(of: ssl) else { return }
    endpoint.record(keyLogLine: String(cString: line))
}

private func nextRetransmitTimeout(_ ssl: OpaquePointer?, _ previousMicros: UInt32) -> UInt32 {
    guard let endpoint = DTLSEndpoint.owner(of: ssl) else { return 1_000_000 }
    return endpoint.retransmitTimeout(after: previousMicros)
}

private func generateCookie(_ ssl: OpaquePointer?, _ cookie: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<UInt32>?) -> Int32 {
    guard let cookie, let length, let endpoint = DTLSEndpoint.owner(of: ssl) else { return 0 }
    let value = endpoint.cookie()
    guard !value.isEmpty else { return 0 }
    // OpenSSL's buffer holds DTLS1_COOKIE_LENGTH (255) bytes; ours is 32.
    for (index, byte) in value.enumerated() { cookie[index] = byte }
    length.pointee = UInt32(value.count)
    return 1
}

private func verifyCookie(_ ssl: OpaquePointer?, _ cookie: UnsafePointer<UInt8>?, _ length: UInt32) -> Int32 {
    guard let cookie, let endpoint = DTLSEndpoint.owner(of: ssl) else { return 0 }
    let expected = endpoint.cookie()
    guard !expected.isEmpty, Int(length) == expected.count else { return 0 }
    // Compare every byte regardless of where the first difference is (no early exit).
    var difference: UInt8 = 0
    for index in 0..<expected.count { difference |= expected[index] ^ cookie[index] }
    return difference == 0 ? 1 : 0
}
