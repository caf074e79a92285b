/// A named group (elliptic curve or finite field) from supported_groups and
/// ServerKeyExchange (RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7).
///
/// ```
///   enum { secp256r1 (23), secp384r1 (24), secp521r1 (25),
///          x25519 (29), x448 (30),
///          ffdhe2048 (256), ... (0xFFFF) } NamedGroup;      // 2 bytes
/// ```
public struct TLSNamedGroup: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes on the wire.
    public var rawValue: UInt16
    /// Wraps any value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// secp256r1 (23), also called P-256 / prime256v1.
    public static let secp256r1 = TLSNamedGroup(rawValue: 23)
    /// secp384r1 (24).
    public static let secp384r1 = TLSNamedGroup(rawValue: 24)
    /// x25519 (29): OpenSSL's first choice.
    public static let x25519 = TLSNamedGroup(rawValue: 29)

    /// The registry name, nil when unknown.
    public var name: String? {
        switch rawValue {
        case 21: return "secp224r1"
        case 22: return "secp256k1"
        case 23: return "secp256r1"
        case 24: return "secp384r1"
        case 25: return "secp521r1"
        case 26: return "brainpoolP256r1"
        case 27: return "brainpoolP384r1"
        case 28: return "brainpoolP512r1"
        case 29: return "x25519"
        case 30: return "x448"
        case 256: return "ffdhe2048"
        case 257: return "ffdhe3072"
        case 258: return "ffdhe4096"
        case 259: return "ffdhe6144"
        case 260: return "ffdhe8192"
        case 0x11EC: return "X25519MLKEM768"
        default: return TLSGrease.isGrease(rawValue) ? "GREASE (RFC 8701)" : nil
        }
    }

    /// "x25519 (0x001d)".
    public var description: String { "\(name ?? "Unknown") (\(DissectionCursor.hex(rawValue, digits: 4)))" }
}
