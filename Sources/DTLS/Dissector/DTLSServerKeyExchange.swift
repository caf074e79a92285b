import Wire

/// ServerKeyExchange for ECDHE suites (RFC 8422 §5.4, signed as in RFC 5246 §7.4.3).
///
/// ```
///   struct {
///       ECCurveType    curve_type;          // named_curve (3)
///       NamedCurve     namedcurve;          // e.g. x25519 (29)
///       opaque point <1..2^8-1>;            // the server's ephemeral public key
///   } ServerECDHParams;
///   struct {
///       ServerECDHParams params;
///       SignatureAndHashAlgorithm algorithm;  // TLS 1.2
///       opaque signature<0..2^16-1>;          // over client_random + server_random + params
///   } ServerKeyExchange;
///
///   +-------+-------------+-----+--------------+-----------+-----------+-------------+
///   | type  | named curve | len | public key   | sig. alg. | sig. len  | signature   |
///   |  (1)  |     (2)     | (1) |              |    (2)    |    (2)    |             |
///   +-------+-------------+-----+--------------+-----------+-----------+-------------+
/// ```
///
/// The signature is what ties the ephemeral key to the certificate; in WebRTC the
/// certificate is in turn tied to the signaled fingerprint. Other key exchanges
/// (DHE, PSK) need the negotiated suite to parse, so their bytes are kept opaque.
public struct DTLSServerKeyExchange: Hashable, Sendable {
    /// ECCurveType: only named_curve (3) is allowed since RFC 8422.
    public struct CurveType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public var rawValue: UInt8
        /// Wraps any byte.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// named_curve (3).
        public static let namedCurve = CurveType(rawValue: 3)
        /// "named_curve (0x03)".
        public var description: String {
            let names = [1: "explicit_prime", 2: "explicit_char2", 3: "named_curve"]
            return "\(names[Int(rawValue)] ?? "Unknown") (\(DissectionCursor.hex(rawValue, digits: 2)))"
        }
    }

    /// The decoded parameters.
    public enum Parameters: Hashable, Sendable {
        /// ECDHE with a named curve, signed.
        case ecdhe(curve: TLSNamedGroup, publicKey: [UInt8], signatureAlgorithm: TLSSignatureScheme, signature: [UInt8])
        /// Not ECDHE named_curve: the bytes as received.
        case opaque([UInt8])
    }

    /// The parameters.
    public var parameters: Parameters

    /// Creates the message.
    public init(parameters: Parameters) { self.parameters = parameters }

    /// Parses a complete ServerKeyExchange body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        guard !cursor.isAtEnd, cursor.bytes[cursor.offset] == CurveType.namedCurve.rawValue else {
            parameters = .opaque(try cursor.bytes("Parameters", count: cursor.remaining) {
                "\($0.count) bytes (not ECDHE named_curve: DHE/PSK parameters depend on the negotiated suite)"
            })
            return
        }
        cursor.open("EC Diffie-Hellman Server Params")
        _ = try cursor.uint8("Curve Type") { CurveType(rawValue: $0).description }
        let curve = TLSNamedGroup(rawValue: try cursor.uint16("Named Curve") { TLSNamedGroup(rawValue: $0).description })
        let key = try cursor.opaque("Pubkey", lengthWidth: 1)
        let algorithm = TLSSignatureScheme(rawValue: try cursor.uint16("Signature Algorithm") { TLSSignatureScheme(rawValue: $0).description })
        let signature = try cursor.opaque("Signature", lengthWidth: 2)
        cursor.close(value: "\(curve.name ?? "curve \(curve.rawValue)"), \(key.count)-byte public key, \(algorithm.name ?? "algorithm") signature")
        parameters = .ecdhe(curve: curve, publicKey: key, signatureAlgorithm: algorithm, signature: signature)
    }

    /// Writes the body.
    public func encode(into writer: inout ByteWriter) {
        switch parameters {
        case let .ecdhe(curve, publicKey, signatureAlgorithm, signature):
            writer.writeUInt8(CurveType.namedCurve.rawValue)
            writer.writeUInt16(curve.rawValue)
            writer.writeUInt8(UInt8(truncatingIfNeeded: publicKey.count))
            writer.writeBytes(publicKey)
            writer.writeUInt16(signatureAlgorithm.rawValue)
            writer.writeUInt16(UInt16(truncatingIfNeeded: signature.count))
            writer.writeBytes(signature)
        case let .opaque(bytes):
            writer.writeBytes(bytes)
        }
    }
}
