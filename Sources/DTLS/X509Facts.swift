import CShims
import COpenSSL

/// What the DTLS module reads out of an `X509*`, shared by our own certificate
/// (``DTLSCertificate``) and the peer's (``DTLSPeerCertificate``).
///
/// Everything is read once, when a certificate is created, so both types are
/// plain immutable values afterwards and never touch OpenSSL again to answer a
/// question (that is what lets them be `Sendable`).
struct X509Facts: Hashable, Sendable {
    /// The DER encoding (RFC 5280 §4.1), the bytes a fingerprint is taken over (RFC 8122 §5).
    var der: [UInt8]
    /// The subject name in RFC 2253 form, e.g. `CN=webrtc-lab`.
    var subject: String
    /// The start of the validity period, seconds since the Unix epoch.
    var notBefore: Int64
    /// The end of the validity period, seconds since the Unix epoch.
    var notAfter: Int64
    /// The public key, e.g. "ECDSA P-256" or "RSA 2048".
    var keyDescription: String

    /// Reads the facts of `x509` (borrowed, not freed).
    init(_ x509: OpaquePointer) throws(DTLSError) {
        der = try Self.encode(x509)
        subject = Self.subject(of: x509)
        guard let start = Self.unixTime(X509_get0_notBefore(x509)),
              let end = Self.unixTime(X509_get0_notAfter(x509)) else {
            throw DTLSError.openSSL(.invalidCertificate, "the certificate's validity dates cannot be read")
        }
        notBefore = start
        notAfter = end
        guard let key = X509_get0_pubkey(x509) else {
            throw DTLSError.openSSL(.invalidCertificate, "the certificate's public key cannot be decoded")
        }
        keyDescription = Self.describe(key: key)
    }

    /// The DER encoding of `x509`.
    static func encode(_ x509: OpaquePointer) throws(DTLSError) -> [UInt8] {
        let length = Int(i2d_X509(x509, nil))
        guard length > 0 else {
            throw DTLSError.openSSL(.openSSLFailure, "the certificate cannot be DER-encoded")
        }
        var bytes = [UInt8](repeating: 0, count: length)
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            // i2d_X509 advances the pointer it is given; give it a copy.
            var cursor = buffer.baseAddress
            return i2d_X509(x509, &cursor)
        }
        guard Int(written) == length else {
            throw DTLSError.openSSL(.openSSLFailure, "the certificate's DER encoding changed length")
        }
        return bytes
    }

    /// The subject in RFC 2253 form with UTF-8 left readable (what
    /// `openssl x509 -subject -nameopt RFC2253,-esc_msb` prints).
    static func subject(of x509: OpaquePointer) -> String {
        guard let name = X509_get_subject_name(x509), let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, lab_identity_name_print_flags()) >= 0 else { return "" }
        return memoryBIOString(bio) ?? ""
    }

    /// `asn1Time` as seconds since the Unix epoch, nil when it cannot be parsed.
    static func unixTime(_ asn1Time: UnsafePointer<ASN1_TIME>?) -> Int64? {
        guard let asn1Time else { return nil }
        var seconds: Int64 = 0
        guard lab_identity_asn1_time_to_unix(UnsafeRawPointer(asn1Time), &seconds) == 1 else { return nil }
        return seconds
    }

    /// A short human description of a public key: "ECDSA P-256", "RSA 2048", "Ed25519".
    static func describe(key: OpaquePointer) -> String {
        let bits = EVP_PKEY_get_bits(key)
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            return "RSA \(bits)"
        case EVP_PKEY_EC:
            return "ECDSA \(curveName(of: key) ?? "\(bits)-bit curve")"
        case EVP_PKEY_ED25519:
            return "Ed25519"
        case EVP_PKEY_ED448:
            return "Ed448"
        case let id:
            let name = OBJ_nid2sn(id).map { String(cString: $0) } ?? "key type \(id)"
            return "\(name) \(bits)"
        }
    }

    /// The NIST name of an EC key's curve ("P-256"), or OpenSSL's name for curves NIST did not name.
    static func curveName(of key: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        let ok = buffer.withUnsafeMutableBufferPointer {
            EVP_PKEY_get_group_name(key, $0.baseAddress, $0.count, &length)
        }
        guard ok == 1 else { return nil }
        let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch name {
        case "prime256v1", "P-256": return "P-256"
        case "secp384r1", "P-384": return "P-384"
        case "secp521r1", "P-521": return "P-521"
        default: return name
        }
    }

    /// The contents of a memory BIO as text, nil when `bio` is not a memory BIO.
    static func memoryBIOString(_ bio: OpaquePointer) -> String? {
        var data: UnsafePointer<CChar>?
        let length = lab_identity_bio_mem_contents(UnsafeMutableRawPointer(bio), &data)
        guard length >= 0 else { return nil }
        guard length > 0, let data else { return "" }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
        return String(decoding: bytes, as: UTF8.self)
    }
}
