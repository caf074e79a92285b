import Wire

/// ServerHello (RFC 5246 §7.4.1.3; unchanged in DTLS 1.2): the server's choices.
///
/// ```
///   struct {
///       ProtocolVersion server_version;
///       Random random;
///       SessionID session_id;                       // <0..32>
///       CipherSuite cipher_suite;
///       CompressionMethod compression_method;
///       select (extensions_present) {
///           case false: struct {};
///           case true:  Extension extensions<0..2^16-1>;
///       };
///   } ServerHello;
///
///   +---------+-------------+-----+----------+--------------+-------------+---------+
///   | version | random (32) | len | sess. id | cipher suite | compression | ext ... |
///   |   (2)   |             | (1) |          |     (2)      |     (1)     |         |
///   +---------+-------------+-----+----------+--------------+-------------+---------+
/// ```
public struct DTLSServerHello: Hashable, Sendable {
    /// The negotiated version.
    public var serverVersion: DTLSProtocolVersion
    /// The server random.
    public var random: DTLSRandom
    /// The session id (OpenSSL sends an empty one when it issues a ticket instead).
    public var sessionID: [UInt8]
    /// The chosen cipher suite.
    public var cipherSuite: TLSCipherSuite
    /// The chosen compression method.
    public var compressionMethod: TLSCompressionMethod
    /// The server's extensions (answers to the client's).
    public var extensions: [TLSExtension]
    /// True when the hello carries an extensions block, even an empty one
    /// (`00 00`): RFC 5246 §7.4.1.2 lets a hello end before the block, and the two
    /// spellings are different bytes, so a parsed hello re-encodes exactly.
    /// Extensions are written whenever `extensions` is non-empty, whatever this says.
    public var extensionsPresent: Bool

    /// Creates a ServerHello. `extensionsPresent` nil: an extensions block exactly when `extensions` is non-empty.
    public init(serverVersion: DTLSProtocolVersion = .dtls12, random: DTLSRandom, sessionID: [UInt8] = [],
                cipherSuite: TLSCipherSuite, compressionMethod: TLSCompressionMethod = .null,
                extensions: [TLSExtension] = [], extensionsPresent: Bool? = nil) {
        self.serverVersion = serverVersion
        self.random = random
        self.sessionID = sessionID
        self.cipherSuite = cipherSuite
        self.compressionMethod = compressionMethod
        self.extensions = extensions
        self.extensionsPresent = extensionsPresent ?? !extensions.isEmpty
    }

    /// The first extension of `type`, if present.
    public func `extension`(_ type: TLSExtensionType) -> TLSExtension? { extensions.first { $0.type == type } }

    /// Parses a complete (unfragmented) ServerHello body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        serverVersion = DTLSProtocolVersion(rawValue: try cursor.uint16("Version") { DTLSProtocolVersion(rawValue: $0).description })
        random = try DTLSRandom(cursor: &cursor)
        sessionID = try cursor.opaque("Session ID", lengthWidth: 1)
        cipherSuite = TLSCipherSuite(rawValue: try cursor.uint16("Cipher Suite") { TLSCipherSuite(rawValue: $0).description })
        compressionMethod = TLSCompressionMethod(rawValue: try cursor.uint8("Compression Method") { TLSCompressionMethod(rawValue: $0).description })
        (extensions, extensionsPresent) = try TLSExtension.readList(&cursor)
    }

    /// Writes the body (without the handshake header).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(serverVersion.rawValue)
        random.encode(into: &writer)
        writer.writeUInt8(UInt8(truncatingIfNeeded: sessionID.count))
        writer.writeBytes(sessionID)
        writer.writeUInt16(cipherSuite.rawValue)
        writer.writeUInt8(compressionMethod.rawValue)
        TLSExtension.encodeList(extensions, present: extensionsPresent, into: &writer)
    }
}
