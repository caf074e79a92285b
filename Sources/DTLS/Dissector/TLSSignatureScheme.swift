/// A signature algorithm: TLS 1.2's SignatureAndHashAlgorithm pair (RFC 5246 §7.4.1.4.1)
/// read as one TLS 1.3 SignatureScheme (RFC 8446 §4.2.3), which is how the registry
/// now names them.
///
/// ```
///   struct {
///         HashAlgorithm hash;            // none(0), md5(1), sha1(2), sha224(3),
///                                        // sha256(4), sha384(5), sha512(6)
///         SignatureAlgorithm signature;  // anonymous(0), rsa(1), dsa(2), ecdsa(3)
///   } SignatureAndHashAlgorithm;         // = uint16 SignatureScheme
/// ```
///
/// Values with a RFC 8446 name get it ("ecdsa_secp256r1_sha256"); other legacy
/// pairs are spelled from their halves ("SHA224 ECDSA", as Wireshark does).
public struct TLSSignatureScheme: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes on the wire (hash byte first).
    public var rawValue: UInt16
    /// Wraps any value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// ecdsa_secp256r1_sha256 (0x0403): what a P-256 certificate signs with.
    public static let ecdsaSecp256r1SHA256 = TLSSignatureScheme(rawValue: 0x0403)
    /// rsa_pkcs1_sha256 (0x0401).
    public static let rsaPKCS1SHA256 = TLSSignatureScheme(rawValue: 0x0401)
    /// rsa_pss_rsae_sha256 (0x0804).
    public static let rsaPSSRSAESHA256 = TLSSignatureScheme(rawValue: 0x0804)

    /// The name, nil when neither a RFC 8446 scheme nor a legacy hash/signature pair.
    public var name: String? {
        switch rawValue {
        case 0x0201: return "rsa_pkcs1_sha1"
        case 0x0203: return "ecdsa_sha1"
        case 0x0401: return "rsa_pkcs1_sha256"
        case 0x0501: return "rsa_pkcs1_sha384"
        case 0x0601: return "rsa_pkcs1_sha512"
        case 0x0403: return "ecdsa_secp256r1_sha256"
        case 0x0503: return "ecdsa_secp384r1_sha384"
        case 0x0603: return "ecdsa_secp521r1_sha512"
        case 0x0804: return "rsa_pss_rsae_sha256"
        case 0x0805: return "rsa_pss_rsae_sha384"
        case 0x0806: return "rsa_pss_rsae_sha512"
        case 0x0807: return "ed25519"
        case 0x0808: return "ed448"
        case 0x0809: return "rsa_pss_pss_sha256"
        case 0x080A: return "rsa_pss_pss_sha384"
        case 0x080B: return "rsa_pss_pss_sha512"
        default: break
        }
        let hashes = ["MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512"]
        let signatures = ["RSA", "DSA", "ECDSA"]
        let hash = Int(rawValue >> 8), signature = Int(rawValue & 0xFF)
        if (1...6).contains(hash), (1...3).contains(signature) {
            return "\(hashes[hash - 1]) \(signatures[signature - 1])"
        }
        return TLSGrease.isGrease(rawValue) ? "GREASE (RFC 8701)" : nil
    }

    /// "ecdsa_secp256r1_sha256 (0x0403)".
    public var description: String { "\(name ?? "Unknown") (\(DissectionCursor.hex(rawValue, digits: 4)))" }
}
