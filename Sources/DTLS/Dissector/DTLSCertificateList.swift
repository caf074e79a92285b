import Wire

/// The Certificate handshake message (RFC 5246 §7.4.2): the sender's chain, leaf first.
///
/// ```
///   opaque ASN.1Cert<1..2^24-1>;
///   struct {
///       ASN.1Cert certificate_list<0..2^24-1>;
///   } Certificate;
///
///   +------------------------+------------------+------------+------------------+-----
///   | certificate_list len(3)| cert 1 length (3)| DER bytes  | cert 2 length (3)| ...
///   +------------------------+------------------+------------+------------------+-----
/// ```
///
/// Named `DTLSCertificateList` because `DTLSCertificate` is the module's local
/// certificate and key. WebRTC authenticates by hashing the leaf's DER bytes
/// (`certificates[0]`) and comparing with the SDP fingerprint. An empty list is a
/// client declining to authenticate.
public struct DTLSCertificateList: Hashable, Sendable {
    /// DER certificates, leaf first.
    public var certificates: [[UInt8]]

    /// Creates the message.
    public init(certificates: [[UInt8]]) { self.certificates = certificates }

    /// Parses a complete (reassembled) Certificate body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        var certificates: [[UInt8]] = []
        try cursor.vector("Certificates", lengthWidth: 3, summary: { "\($0) certificate(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
            let der = try c.opaque("Certificate", lengthWidth: 3) { bytes in
                let looksDER = bytes.first == 0x30
                return "\(bytes.count) bytes of DER" + (looksDER ? " (SEQUENCE)" : " (does not start with a DER SEQUENCE)")
                    + ": " + DissectionCursor.hex(bytes, limit: 16)
            }
            certificates.append(der)
        }
        self.certificates = certificates
    }

    /// Writes the body.
    public func encode(into writer: inout ByteWriter) {
        let total = certificates.reduce(0) { $0 + 3 + $1.count }
        DTLSHandshakeHeader.writeUInt24(UInt32(truncatingIfNeeded: total), into: &writer)
        for der in certificates {
            DTLSHandshakeHeader.writeUInt24(UInt32(truncatingIfNeeded: der.count), into: &writer)
            writer.writeBytes(der)
        }
    }
}
