import Wire

/// HelloVerifyRequest (RFC 6347 §4.2.1): the server's stateless cookie challenge.
///
/// ```
///   struct {
///     ProtocolVersion server_version;
///     opaque cookie<0..2^8-1>;
///   } HelloVerifyRequest;
///
///    0                   1                   2                   3
///    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |        server_version         | cookie length |   cookie ...  |
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// RFC 6347 says server_version should be DTLS 1.0 whatever is negotiated later,
/// because the server has not looked at the hello's version yet.
public struct DTLSHelloVerifyRequest: Hashable, Sendable {
    /// Usually DTLS 1.0 (0xFEFF).
    public var serverVersion: DTLSProtocolVersion
    /// The cookie the client must echo (OpenSSL: 20 bytes).
    public var cookie: [UInt8]

    /// Creates a HelloVerifyRequest.
    public init(serverVersion: DTLSProtocolVersion = .dtls10, cookie: [UInt8]) {
        self.serverVersion = serverVersion
        self.cookie = cookie
    }

    /// Parses the body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        serverVersion = DTLSProtocolVersion(rawValue: try cursor.uint16("Version") { DTLSProtocolVersion(rawValue: $0).description })
        cookie = try cursor.opaque("Cookie", lengthWidth: 1)
    }

    /// Writes the body.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(serverVersion.rawValue)
        writer.writeUInt8(UInt8(truncatingIfNeeded: cookie.count))
        writer.writeBytes(cookie)
    }
}
