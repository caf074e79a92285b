import COpenSSL
import SDP

/// A certificate the peer presented (no private key): parsed, inspected, then
/// released, so this is a plain value.
///
/// Nothing here trusts the certificate. A WebRTC peer's certificate is self-signed;
/// it is authenticated only by matching a fingerprint from the remote description
/// (RFC 8122 §5, RFC 8827 §6.5), see ``matches(_:)``.
public struct DTLSPeerCertificate: Hashable, Sendable {
    private let facts: X509Facts

    /// Parses a DER-encoded X.509 certificate (RFC 5280 §4.1), e.g. from a peer's
    /// Certificate message.
    /// - Throws: `.invalidCertificate` for empty, truncated or malformed input, or
    ///   bytes left over after the certificate.
    public init(der: [UInt8]) throws(DTLSError) {
        guard !der.isEmpty else { throw DTLSError(.invalidCertificate, "empty certificate DER") }
        guard der.count < Int(Int32.max) else {
            throw DTLSError(.invalidCertificate, "certificate DER of \(der.count) bytes is too large")
        }
        OpenSSLErrors.clear()
        let parsed: (x509: OpaquePointer?, consumed: Int) = der.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return (nil, 0) }
            // d2i_X509 advances the cursor past what it read: the difference tells us
            // whether the input held exactly one certificate.
            var cursor: UnsafePointer<UInt8>? = start
            let x509 = d2i_X509(nil, &cursor, buffer.count)
            return (x509, cursor.map { $0 - start } ?? 0)
        }
        guard let x509 = parsed.x509 else {
            throw DTLSError.openSSL(.invalidCertificate, "\(der.count) bytes are not a DER certificate")
        }
        defer { X509_free(x509) }
        guard parsed.consumed == der.count else {
            throw DTLSError(.invalidCertificate, "\(der.count - parsed.consumed) bytes follow the certificate")
        }
        var facts = try X509Facts(x509)
        // Keep the bytes exactly as received: the fingerprint is over what the peer sent.
        facts.der = der
        self.facts = facts
    }

    /// Reads a certificate OpenSSL already parsed (e.g. `SSL_get0_peer_certificate`),
    /// borrowed: the caller keeps ownership.
    init(borrowing x509: OpaquePointer) throws(DTLSError) {
        facts = try X509Facts(x509)
    }

    /// The DER encoding, exactly as received.
    public var der: [UInt8] { facts.der }
    /// The subject name in RFC 2253 form, e.g. `CN=WebRTC`.
    public var subject: String { facts.subject }
    /// The start of the validity period in seconds since the Unix epoch.
    public var notBefore: Int64 { facts.notBefore }
    /// The end of the validity period in seconds since the Unix epoch.
    public var notAfter: Int64 { facts.notAfter }
    /// The key type and size: "ECDSA P-256", "RSA 2048".
    public var keyDescription: String { facts.keyDescription }

    /// Whether this certificate hashes to `fingerprint` (with the fingerprint's own
    /// hash function; an unsupported one never matches).
    public func matches(_ fingerprint: Fingerprint) -> Bool {
        fingerprint.matches(certificateDER: facts.der)
    }

    /// Whether this certificate matches any of `fingerprints` (a description may list
    /// several, e.g. one per hash function; RFC 8122 §5).
    public func matchesAny(of fingerprints: [Fingerprint]) -> Bool {
        // Every candidate is checked, so timing does not reveal which one matched.
        var matched = false
        for fingerprint in fingerprints where matches(fingerprint) { matched = true }
        return matched
    }

    /// The certificate's fingerprint with `hash`.
    /// - Throws: `.invalidArgument` for an unsupported hash function.
    public func fingerprint(_ hash: Fingerprint.HashFunction = .sha256) throws(DTLSError) -> Fingerprint {
        try Fingerprint(certificateDER: facts.der, hashFunction: hash)
    }
}
