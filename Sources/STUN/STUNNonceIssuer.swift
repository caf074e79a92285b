import Wire

/// Issues and checks long-term-credential nonces without remembering them.
///
/// A nonce is its expiry instant and a MAC over it:
/// `<16 hex digits: expiry in ms>` + `<20 hex digits: HMAC-SHA1(secret, expiry), first 10 bytes>`.
/// The server keeps only the secret (drawn once from the injected generator),
/// so nonces survive no restart and cost no memory per client; a client cannot
/// extend one because it cannot forge the MAC. Time comes from the `Instant`
/// fed to the server, so tests expire nonces in virtual time.
///
/// Not implemented: RFC 8489 §9.2's "nonce cookie" prefix (obMatJos2...) that
/// advertises the security features PASSWORD-ALGORITHMS and USERHASH, which
/// this server does not offer.
struct STUNNonceIssuer: Sendable {
    enum Check: Equatable {
        case valid
        case expired
        case forged
    }

    let secret: [UInt8]
    let lifetime: Duration

    init(secret: [UInt8], lifetime: Duration) {
        self.secret = secret
        self.lifetime = lifetime
    }

    func issue(at now: Instant) -> String {
        let expiry = (now + lifetime).nanoseconds / 1_000_000
        let stamp = STUNFormat.hex(UInt64(bitPattern: expiry), digits: 16)
        return stamp + mac(stamp)
    }

    func check(_ nonce: String, at now: Instant) -> Check {
        let characters = Array(nonce.utf8)
        guard characters.count == 36 else { return .forged }
        let stamp = String(decoding: characters[0..<16], as: UTF8.self)
        let tag = String(decoding: characters[16...], as: UTF8.self)
        guard STUNCrypto.constantTimeEqual(Array(tag.utf8), Array(mac(stamp).utf8)),
              let expiry = UInt64(stamp, radix: 16) else { return .forged }
        return Int64(bitPattern: expiry) > now.nanoseconds / 1_000_000 ? .valid : .expired
    }

    private func mac(_ stamp: String) -> String {
        Hex.encode(STUNCrypto.hmacSHA1(key: secret, data: Array(stamp.utf8)).prefix(10))
    }
}
