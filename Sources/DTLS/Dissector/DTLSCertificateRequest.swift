import Wire

/// CertificateRequest (RFC 5246 §7.4.4): the server asks for a client certificate,
/// which WebRTC always does because both sides are checked against fingerprints.
///
/// ```
///   struct {
///       ClientCertificateType certificate_types<1..2^8-1>;
///       SignatureAndHashAlgorithm
///         supported_signature_algorithms<2^16-1>;
///       DistinguishedName certificate_authorities<0..2^16-1>;
///   } CertificateRequest;
///
///   +-----+-----------------+-------+----------------------+-------+-------------------+
///   | len | types (1 each)  | len(2)| sig. algs. (2 each)  | len(2)| CA names (len(2)+DER each)
///   +-----+-----------------+-------+----------------------+-------+-------------------+
/// ```
public struct DTLSCertificateRequest: Hashable, Sendable {
    /// Accepted certificate types.
    public var certificateTypes: [TLSClientCertificateType]
    /// Accepted signature algorithms.
    public var signatureAlgorithms: [TLSSignatureScheme]
    /// Acceptable CA names (DER DistinguishedNames; empty in WebRTC: no CA is involved).
    public var certificateAuthorities: [[UInt8]]

    /// Creates the message.
    public init(certificateTypes: [TLSClientCertificateType], signatureAlgorithms: [TLSSignatureScheme],
                certificateAuthorities: [[UInt8]] = []) {
        self.certificateTypes = certificateTypes
        self.signatureAlgorithms = signatureAlgorithms
        self.certificateAuthorities = certificateAuthorities
    }

    /// Parses the body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        var types: [TLSClientCertificateType] = []
        try cursor.vector("Certificate Types", lengthName: "Certificate Types Count", lengthWidth: 1,
                          summary: { "\($0) type(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
            types.append(TLSClientCertificateType(rawValue: try c.uint8("Certificate Type") { TLSClientCertificateType(rawValue: $0).description }))
        }
        certificateTypes = types
        signatureAlgorithms = try TLSSignatureScheme.readList(&cursor)
        var names: [[UInt8]] = []
        try cursor.vector("Distinguished Names", lengthWidth: 2, summary: { "\($0) name(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
            names.append(try c.opaque("Distinguished Name", lengthWidth: 2))
        }
        certificateAuthorities = names
    }

    /// Writes the body.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(UInt8(truncatingIfNeeded: certificateTypes.count))
        for type in certificateTypes { writer.writeUInt8(type.rawValue) }
        writer.writeUInt16(UInt16(truncatingIfNeeded: signatureAlgorithms.count * 2))
        for scheme in signatureAlgorithms { writer.writeUInt16(scheme.rawValue) }
        writer.writeUInt16(UInt16(truncatingIfNeeded: certificateAuthorities.reduce(0) { $0 + 2 + $1.count }))
        for name in certificateAuthorities {
            writer.writeUInt16(UInt16(truncatingIfNeeded: name.count))
            writer.writeBytes(name)
        }
    }
}
