/// A protocol version as carried in records and hellos (RFC 6347 §4.1, §4.2.1).
///
/// ```
///   struct { uint8 major; uint8 minor; } ProtocolVersion;
///   DTLS 1.0 = {254, 255} (0xFEFF), DTLS 1.2 = {254, 253} (0xFEFD)
/// ```
///
/// DTLS counts down (the one's complement of the TLS version it mirrors) so that
/// its versions never collide with TLS's. OpenSSL sends the first ClientHello and
/// HelloVerifyRequest in 1.0 records on purpose (RFC 6347 §4.2.1: any version can
/// ask for a cookie), so 0xFEFF in those records is normal, not a downgrade.
public struct DTLSProtocolVersion: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes on the wire.
    public var rawValue: UInt16
    /// Wraps any value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// DTLS 1.0 (0xFEFF).
    public static let dtls10 = DTLSProtocolVersion(rawValue: 0xFEFF)
    /// DTLS 1.2 (0xFEFD).
    public static let dtls12 = DTLSProtocolVersion(rawValue: 0xFEFD)
    /// DTLS 1.3 (0xFEFC, RFC 9147), named so that a newer peer's hello reads sensibly.
    public static let dtls13 = DTLSProtocolVersion(rawValue: 0xFEFC)

    /// "DTLS 1.2", a TLS name for TLS values, nil when unknown.
    public var name: String? {
        switch rawValue {
        case 0xFEFF: return "DTLS 1.0"
        case 0xFEFD: return "DTLS 1.2"
        case 0xFEFC: return "DTLS 1.3"
        case 0x0100: return "DTLS 1.0 (OpenSSL pre-standard)"
        case 0x0300: return "SSL 3.0"
        case 0x0301: return "TLS 1.0"
        case 0x0302: return "TLS 1.1"
        case 0x0303: return "TLS 1.2"
        case 0x0304: return "TLS 1.3"
        default: return nil
        }
    }

    /// "DTLS 1.2 (0xfefd)".
    public var description: String {
        "\(name ?? "Unknown") (\(DissectionCursor.hex(rawValue, digits: 4)))"
    }
}
