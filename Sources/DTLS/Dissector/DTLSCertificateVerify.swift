import Wire

/// CertificateVerify (RFC 5246 §7.4.8): the client proves it holds the key of the
/// certificate it sent, by signing the handshake so far.
///
/// ```
///   struct {
///        digitally-signed struct {
///            opaque handshake_messages[handshake_messages_length];
///        }
///   } CertificateVerify;
///   // on the wire in TLS 1.2: SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>;
///
///    0                   1                   2                   3
///    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |   signature algorithm (2)     |     signature length (2)      |
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |                        signature ...                          |
/// ```
public struct DTLSCertificateVerify: Hashable, Sendable {
    /// The algorithm used.
    public var signatureAlgorithm: TLSSignatureScheme
    /// The signature (DER ECDSA-Sig-Value for ECDSA: ~70-72 bytes for P-256).
    public var signature: [UInt8]

    /// Creates the message.
    public init(signatureAlgorithm: TLSSignatureScheme, signature: [UInt8]) {
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
    }

    /// Parses the body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        signatureAlgorithm = TLSSignatureScheme(rawValue: try cursor.uint16("Signature Algorithm") { TLSSignatureScheme(rawValue: $0).description })
        signature = try cursor.opaque("Signature", lengthWidth: 2)
    }

    /// Writes the body.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(signatureAlgorithm.rawValue)
        writer.writeUInt16(UInt16(truncatingIfNeeded: signature.count))
        writer.writeBytes(signature)
    }
}
