import CShims
import SDP

/// Certificate fingerprints (RFC 8122 §5): the hash of the certificate's DER bytes.
///
/// WebRTC certificates are self-signed, so no CA vouches for them; what binds the
/// DTLS handshake to the peer is this hash, carried in the (integrity-protected)
/// signaling channel as `a=fingerprint` (RFC 8827 §6.5, RFC 5763 §5). The peer's
/// certificate is accepted only when it hashes to a fingerprint of the remote
/// description.
extension Fingerprint {
    /// Computes the fingerprint of a DER-encoded certificate.
    ///
    /// Hash functions: sha-1, sha-224, sha-256, sha-384, sha-512 (case-insensitive).
    /// md5 and md2, which RFC 4572 once listed, are refused: RFC 8122 §5 deprecates
    /// them and accepting one would let a weak hash stand in for the certificate.
    /// - Throws: `.invalidArgument` for any other hash function, `.invalidCertificate`
    ///   for empty input, `.openSSLFailure` if OpenSSL cannot hash.
    public init(certificateDER: [UInt8], hashFunction: HashFunction = .sha256) throws(DTLSError) {
        guard let algorithm = Self.digestAlgorithm(for: hashFunction) else {
            throw DTLSError(.invalidArgument, "unsupported fingerprint hash function '\(hashFunction)' (use sha-1, sha-224, sha-256, sha-384 or sha-512)")
        }
        guard !certificateDER.isEmpty else {
            throw DTLSError(.invalidCertificate, "cannot fingerprint an empty certificate")
        }
        guard let digest = Self.digest(certificateDER, algorithm: algorithm) else {
            throw DTLSError.openSSL(.openSSLFailure, "hashing the certificate with \(hashFunction) failed")
        }
        self.init(hashFunction: hashFunction, bytes: digest)
    }

    /// Whether `certificateDER` hashes, with this fingerprint's own hash function, to
    /// exactly these bytes.
    ///
    /// The bytes are compared in full with no early exit, so the time taken does not
    /// reveal how long a matching prefix an attacker found. An unknown hash function,
    /// an empty certificate or a digest of the wrong length never matches.
    public func matches(certificateDER: [UInt8]) -> Bool {
        guard let algorithm = Self.digestAlgorithm(for: hashFunction), !certificateDER.isEmpty,
              let digest = Self.digest(certificateDER, algorithm: algorithm),
              digest.count == bytes.count else { return false }
        var difference: UInt8 = 0
        for index in digest.indices { difference |= digest[index] ^ bytes[index] }
        return difference == 0
    }

    /// `lab_digest`'s algorithm number for a hash function, nil when unsupported.
    static func digestAlgorithm(for function: HashFunction) -> Int32? {
        // HashFunction's == ignores case, so "SHA-256" selects SHA-256 too.
        switch function {
        case .sha1: return 1
        case .sha256: return 2
        case .sha224: return 3
        case .sha384: return 4
        case .sha512: return 5
        default: return nil
        }
    }

    /// One-shot digest through OpenSSL, nil on failure.
    static func digest(_ data: [UInt8], algorithm: Int32) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: 64)
        let length = data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                lab_digest(algorithm, input.baseAddress, input.count, out.baseAddress)
            }
        }
        guard length > 0, length <= 64 else { return nil }
        return Array(output.prefix(length))
    }
}

extension Fingerprint {
    /// Our hash functions, most preferred (strongest) first.
    public static let preferenceOrder: [HashFunction] = [.sha512, .sha384, .sha256, .sha224, .sha1]

    /// RFC 8122 §5: of the fingerprints a peer signaled, the ones that use our most
    /// preferred hash function among those offered; empty when none uses a hash
    /// function we support. Only these may authenticate the peer's certificate.
    public static func preferredSelection(_ fingerprints: [Fingerprint]) -> [Fingerprint] {
        guard let best = preferenceOrder.first(where: { hash in fingerprints.contains { $0.hashFunction == hash } }) else {
            return []
        }
        return fingerprints.filter { $0.hashFunction == best }
    }
}
