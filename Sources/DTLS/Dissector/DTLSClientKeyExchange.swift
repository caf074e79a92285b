import Wire

/// ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7).
///
/// ```
///   ECDHE:   struct { opaque point <1..2^8-1>; } ClientECDiffieHellmanPublic;
///   RSA/DHE: opaque encrypted_pre_master_secret / dh_Yc <0..2^16-1>;
///
///   +-----+--------------------+        +---------+----------------------+
///   | len | public key (ECDHE) |   or   | len (2) | RSA / DHE value      |
///   | (1) |                    |        |         |                      |
///   +-----+--------------------+        +---------+----------------------+
/// ```
///
/// Which layout applies depends on the negotiated suite, which this message does
/// not carry. The dissector picks the one whose length field matches the body.
public struct DTLSClientKeyExchange: Hashable, Sendable {
    /// How the key was encoded.
    public enum Encoding: Hashable, Sendable {
        /// A 1-byte length: an ECDHE public point.
        case ecdhePoint
        /// A 2-byte length: an RSA-encrypted premaster secret or a DHE public value.
        case longValue
    }

    /// Which layout matched.
    public var encoding: Encoding
    /// The public key (or encrypted premaster secret).
    public var publicKey: [UInt8]

    /// Creates the message.
    public init(encoding: Encoding = .ecdhePoint, publicKey: [UInt8]) {
        self.encoding = encoding
        self.publicKey = publicKey
    }

    /// Parses the body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        let total = cursor.remaining
        let first = total >= 1 ? Int(cursor.bytes[cursor.offset]) : -1
        if total >= 2, first + 1 == total {
            cursor.open("EC Diffie-Hellman Client Params")
            encoding = .ecdhePoint
            publicKey = try cursor.opaque("Pubkey", lengthWidth: 1)
            cursor.close(value: "\(publicKey.count)-byte public key")
        } else {
            encoding = .longValue
            publicKey = try cursor.opaque("Exchange Keys", lengthName: "Exchange Keys Length", lengthWidth: 2)
        }
    }

    /// Writes the body.
    public func encode(into writer: inout ByteWriter) {
        switch encoding {
        case .ecdhePoint: writer.writeUInt8(UInt8(truncatingIfNeeded: publicKey.count))
        case .longValue: writer.writeUInt16(UInt16(truncatingIfNeeded: publicKey.count))
        }
        writer.writeBytes(publicKey)
    }
}
