/// Three one-byte registries that only appear inside hello and certificate
/// messages. They share a file because each is a handful of lines; each is still
/// an open struct so an unknown value survives.
///
/// ```
///   enum { null(0), (255) } CompressionMethod;                       // RFC 5246 §7.4.1.2
///   enum { uncompressed (0), deprecated (1..2), (255) } ECPointFormat; // RFC 8422 §5.1.2
///   enum { rsa_sign(1), dss_sign(2), rsa_fixed_dh(3), dss_fixed_dh(4),
///          ecdsa_sign(64), rsa_fixed_ecdh(65), ecdsa_fixed_ecdh(66), (255)
///   } ClientCertificateType;                                          // RFC 5246 §7.4.4, RFC 8422
/// ```
public struct TLSCompressionMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8
    /// Wraps any byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// null (0): the only method anyone still uses (compression leaks secrets: CRIME).
    public static let null = TLSCompressionMethod(rawValue: 0)
    /// "null (0)", "DEFLATE (1)", "Unknown (n)".
    public var description: String {
        "\(rawValue == 0 ? "null" : rawValue == 1 ? "DEFLATE" : "Unknown") (\(rawValue))"
    }
}

/// An EC point format from ec_point_formats (RFC 8422 §5.1.2).
public struct TLSECPointFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8
    /// Wraps any byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// uncompressed (0).
    public static let uncompressed = TLSECPointFormat(rawValue: 0)
    /// "uncompressed (0)".
    public var description: String {
        let names = ["uncompressed", "ansiX962_compressed_prime", "ansiX962_compressed_char2"]
        return "\(Int(rawValue) < names.count ? names[Int(rawValue)] : "Unknown") (\(rawValue))"
    }
}

/// A certificate type a server accepts in CertificateRequest (RFC 5246 §7.4.4, RFC 8422 §5.5).
public struct TLSClientCertificateType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8
    /// Wraps any byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// rsa_sign (1).
    public static let rsaSign = TLSClientCertificateType(rawValue: 1)
    /// ecdsa_sign (64).
    public static let ecdsaSign = TLSClientCertificateType(rawValue: 64)
    /// The RFC name, nil when unknown.
    public var name: String? {
        switch rawValue {
        case 1: return "rsa_sign"
        case 2: return "dss_sign"
        case 3: return "rsa_fixed_dh"
        case 4: return "dss_fixed_dh"
        case 64: return "ecdsa_sign"
        case 65: return "rsa_fixed_ecdh"
        case 66: return "ecdsa_fixed_ecdh"
        default: return nil
        }
    }
    /// "ecdsa_sign (64)".
    public var description: String { "\(name ?? "Unknown") (\(rawValue))" }
}
