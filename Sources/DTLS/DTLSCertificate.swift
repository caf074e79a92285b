import CShims
import COpenSSL
import SDP

/// Our DTLS identity: a certificate and its private key, owned (freed in deinit).
///
/// WebRTC endpoints normally generate a fresh self-signed certificate
/// (``generateSelfSigned(commonName:validFor:)``, ECDSA P-256 as browsers do) and
/// publish its fingerprint in SDP (RFC 8827 §6.5); no CA is involved. A certificate
/// and key can also be loaded from PEM (RSA or EC), e.g. to match a fixed
/// fingerprint across runs or to share one with `openssl s_server`.
///
/// `@unchecked Sendable` is safe because the object is immutable after init: the two
/// OpenSSL objects are never modified after construction, only read (OpenSSL's own
/// lazily cached fields are guarded by its locks) or up-referenced atomically when an
/// `SSL_CTX` takes them, and everything else is a `let` of Sendable value types.
public final class DTLSCertificate: @unchecked Sendable {
    /// The certificate (`X509*`), owned.
    internal let x509: OpaquePointer
    /// The private key (`EVP_PKEY*`), owned.
    internal let privateKey: OpaquePointer
    private let facts: X509Facts
    /// One fingerprint per `FingerprintHash`, in case order: computed up front so
    /// that `fingerprint(_:)` has no failure left to report.
    private let fingerprints: [Fingerprint]
    /// The OpenSSL contexts endpoints with this certificate share (see `DTLSContextCache`).
    let contexts = DTLSContextCache()

    /// Takes ownership of both objects, also when it throws (it then frees them).
    init(takingOwnershipOf x509: OpaquePointer, privateKey: OpaquePointer) throws(DTLSError) {
        do {
            let facts = try X509Facts(x509)
            var fingerprints: [Fingerprint] = []
            for hash in FingerprintHash.allCases {
                fingerprints.append(try Fingerprint(certificateDER: facts.der, hashFunction: hash.hashFunction))
            }
            self.facts = facts
            self.fingerprints = fingerprints
        } catch {
            X509_free(x509)
            EVP_PKEY_free(privateKey)
            throw error
        }
        self.x509 = x509
        self.privateKey = privateKey
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }

    /// The DER encoding of the certificate, the bytes fingerprints are taken over.
    public var der: [UInt8] { facts.der }
    /// The subject name in RFC 2253 form, e.g. `CN=webrtc-lab`.
    public var subject: String { facts.subject }
    /// The start of the validity period in seconds since the Unix epoch.
    public var notBefore: Int64 { facts.notBefore }
    /// The end of the validity period in seconds since the Unix epoch.
    public var notAfter: Int64 { facts.notAfter }
    /// The key type and size: "ECDSA P-256", "RSA 2048".
    public var keyDescription: String { facts.keyDescription }

    /// The certificate's fingerprint in SDP form (`a=fingerprint`).
    ///
    /// `hash` is one of the five functions this module can compute, so the call
    /// cannot fail: every value was computed when the certificate was made. For a
    /// hash function chosen at run time (e.g. read from a peer's SDP) use
    /// ``SDP/Fingerprint/init(certificateDER:hashFunction:)``, which throws for
    /// one it does not know.
    public func fingerprint(_ hash: FingerprintHash = .sha256) -> Fingerprint {
        fingerprints[hash.index]
    }

    /// The hash functions a certificate fingerprint is computed with (RFC 8122 §5,
    /// minus md2/md5): a closed set, so asking for an unknown one does not compile.
    public enum FingerprintHash: CaseIterable, Hashable, Sendable {
        case sha1, sha224, sha256, sha384, sha512

        /// The SDP name of this function (`Fingerprint.hashFunction` of the result).
        public var hashFunction: Fingerprint.HashFunction {
            switch self {
            case .sha1: return .sha1
            case .sha224: return .sha224
            case .sha256: return .sha256
            case .sha384: return .sha384
            case .sha512: return .sha512
            }
        }

        /// The position of this function's fingerprint in `fingerprints` (case order).
        var index: Int {
            switch self {
            case .sha1: return 0
            case .sha224: return 1
            case .sha256: return 2
            case .sha384: return 3
            case .sha512: return 4
            }
        }
    }

    /// Generates a self-signed certificate with a fresh ECDSA P-256 key.
    ///
    /// The serial number is 63 random bits, the signature ECDSA with SHA-256, and
    /// `notBefore` lies one day in the past so a peer whose clock runs behind ours
    /// still accepts it (browsers backdate for the same reason). Keys and serials come
    /// from OpenSSL's CSPRNG and the dates from the wall clock, on purpose: a key must
    /// never come from a seeded test generator, and peers check dates against their
    /// own wall clocks anyway.
    /// - Parameters:
    ///   - commonName: the subject and issuer CN, 1 to 64 characters (RFC 5280 ub-common-name).
    ///   - validFor: how long after now the certificate stays valid, up to 100 years.
    /// - Throws: `.invalidArgument` for a bad name or duration, `.openSSLFailure` if OpenSSL fails.
    public static func generateSelfSigned(commonName: String = "webrtc-lab",
                                          validFor: Duration = .seconds(30 * 24 * 3600)) throws(DTLSError) -> DTLSCertificate {
        let scalarCount = commonName.unicodeScalars.count
        guard (1...64).contains(scalarCount), !commonName.unicodeScalars.contains("\0") else {
            throw DTLSError(.invalidArgument, "common name must be 1 to 64 characters without NUL, got \(scalarCount)")
        }
        let lifetime = validFor.components.seconds
        guard lifetime > 0, lifetime <= 100 * 366 * 24 * 3600 else {
            throw DTLSError(.invalidArgument, "validity must be between 1 second and 100 years, got \(validFor)")
        }
        OpenSSLErrors.clear()
        guard let rawKey = lab_identity_ec_p256_generate() else {
            throw DTLSError.openSSL(.openSSLFailure, "generating an ECDSA P-256 key failed")
        }
        let key = OpaquePointer(rawKey)
        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw DTLSError.openSSL(.openSSLFailure, "X509_new failed")
        }
        do {
            try fillSelfSigned(x509, key: key, commonName: commonName, lifetime: Int(lifetime))
        } catch {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw error
        }
        return try DTLSCertificate(takingOwnershipOf: x509, privateKey: key)
    }

    /// Sets version, serial, names, validity and key on `x509`, then signs it with `key`.
    private static func fillSelfSigned(_ x509: OpaquePointer, key: OpaquePointer,
                                       commonName: String, lifetime: Int) throws(DTLSError) {
        var serialBytes = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&serialBytes, Int32(serialBytes.count)) == 1 else {
            throw DTLSError.openSSL(.openSSLFailure, "no random bytes for the serial number")
        }
        // RFC 5280 §4.1.2.2: a positive integer; clearing the top bit keeps it
        // positive in DER, and a zero serial is bumped to one.
        var serial = serialBytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & (UInt64.max >> 1)
        if serial == 0 { serial = 1 }
        let name = Array(commonName.utf8)
        guard X509_set_version(x509, Int(X509_VERSION_3)) == 1,
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial) == 1,
              let subject = X509_get_subject_name(x509),
              X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, name, Int32(name.count), -1, 0) == 1,
              X509_set_issuer_name(x509, subject) == 1,
              X509_gmtime_adj(X509_getm_notBefore(x509), -24 * 3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x509), lifetime) != nil,
              X509_set_pubkey(x509, key) == 1,
              X509_sign(x509, key, EVP_sha256()) > 0 else {
            throw DTLSError.openSSL(.openSSLFailure, "building the self-signed certificate failed")
        }
    }
}
