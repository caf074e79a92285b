/// The HMAC key for MESSAGE-INTEGRITY(-SHA256) (RFC 8489 §9.1.2, §9.2.2).
///
/// Short-term credentials (ICE, a server with a fixed user table): the key is
/// the password itself, after the OpaqueString profile of PRECIS (RFC 8265).
/// This module does not implement PRECIS: it uses the UTF-8 bytes as given,
/// which is exactly right for ASCII passwords (OpaqueString leaves printable
/// ASCII unchanged) and for ICE's random ice-pwd values.
///
/// Long-term credentials (TURN, a realm of users): the key is
/// MD5(username ":" realm ":" password), with the password through SASLprep
/// (RFC 4013) in RFC 5389 and OpaqueString in RFC 8489. Again no normalisation
/// is applied here, so pass the already-normalised password (RFC 5769 §2.4's
/// "The<U+00AD>M<U+00AA>tr<U+2168>" becomes "TheMatrIX").
public struct STUNKey: Hashable, Sendable, CustomStringConvertible {
    /// The raw key bytes.
    public let bytes: [UInt8]

    /// A key from raw bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Short-term key: the password's UTF-8 bytes.
    public static func shortTerm(password: String) -> STUNKey {
        STUNKey(bytes: Array(password.utf8))
    }

    /// Long-term key: MD5(username ":" realm ":" password), 16 bytes.
    public static func longTerm(username: String, realm: String, password: String) -> STUNKey {
        STUNKey(bytes: STUNCrypto.md5(Array("\(username):\(realm):\(password)".utf8)))
    }

    /// Never prints the key itself.
    public var description: String { "STUNKey(\(bytes.count) bytes)" }
}

/// Which integrity attribute(s) to add or found.
public enum STUNIntegrityAlgorithm: String, Hashable, Sendable, CaseIterable {
    /// MESSAGE-INTEGRITY: HMAC-SHA1, 20 bytes.
    case hmacSHA1 = "HMAC-SHA1"
    /// MESSAGE-INTEGRITY-SHA256: HMAC-SHA256, 32 bytes when we send it.
    case hmacSHA256 = "HMAC-SHA256"

    /// The attribute type carrying this algorithm.
    public var attributeType: STUNAttributeType {
        self == .hmacSHA1 ? .messageIntegrity : .messageIntegritySHA256
    }
}
