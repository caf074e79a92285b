import Wire

/// ClientHello (RFC 6347 §4.2.1 adds the cookie to RFC 5246 §7.4.1.2).
///
/// ```
///   struct {
///     ProtocolVersion client_version;
///     Random random;
///     SessionID session_id;                          // <0..32>
///     opaque cookie<0..2^8-1>;                       // New field
///     CipherSuite cipher_suites<2..2^16-1>;
///     CompressionMethod compression_methods<1..2^8-1>;
///     select (extensions_present) {
///         case false: struct {};
///         case true:  Extension extensions<0..2^16-1>;
///     };
///   } ClientHello;
///
///   +---------+----------------+-----+----------+-----+--------+-----+--------------+-----+-------------+---------+
///   | version | random (32)    | len | sess. id | len | cookie | len | cipher suites| len | compression | ext ... |
///   |  (2)    |                | (1) |          | (1) |        | (2) |   (2 each)   | (1) |  (1 each)   |         |
///   +---------+----------------+-----+----------+-----+--------+-----+--------------+-----+-------------+---------+
/// ```
///
/// The first ClientHello has an empty cookie; the server answers HelloVerifyRequest
/// and the client repeats the hello with the cookie (RFC 6347 §4.2.1), which proves
/// it owns its address before the server spends any work.
public struct DTLSClientHello: Hashable, Sendable {
    /// Highest version the client offers (DTLS 1.2 = 0xFEFD).
    public var clientVersion: DTLSProtocolVersion
    /// The client random.
    public var random: DTLSRandom
    /// Session to resume, empty for a new session.
    public var sessionID: [UInt8]
    /// The cookie from HelloVerifyRequest, empty in the first hello.
    public var cookie: [UInt8]
    /// Offered cipher suites in preference order.
    public var cipherSuites: [TLSCipherSuite]
    /// Offered compression methods (always just null in practice).
    public var compressionMethods: [TLSCompressionMethod]
    /// Hello extensions in wire order.
    public var extensions: [TLSExtension]
    /// True when the hello carries an extensions block, even an empty one
    /// (`00 00`): RFC 5246 §7.4.1.2 lets a hello end before the block, and the two
    /// spellings are different bytes, so a parsed hello re-encodes exactly.
    /// Extensions are written whenever `extensions` is non-empty, whatever this says.
    public var extensionsPresent: Bool

    /// Creates a ClientHello. `extensionsPresent` nil: an extensions block exactly when `extensions` is non-empty.
    public init(clientVersion: DTLSProtocolVersion = .dtls12, random: DTLSRandom, sessionID: [UInt8] = [],
                cookie: [UInt8] = [], cipherSuites: [TLSCipherSuite],
                compressionMethods: [TLSCompressionMethod] = [.null], extensions: [TLSExtension] = [], extensionsPresent: Bool? = nil) {
        self.clientVersion = clientVersion
        self.random = random
        self.sessionID = sessionID
        self.cookie = cookie
        self.cipherSuites = cipherSuites
        self.compressionMethods = compressionMethods
        self.extensions = extensions
        self.extensionsPresent = extensionsPresent ?? !extensions.isEmpty
    }

    /// The first extension of `type`, if present.
    public func `extension`(_ type: TLSExtensionType) -> TLSExtension? { extensions.first { $0.type == type } }

    /// Parses a complete (unfragmented) ClientHello body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        clientVersion = DTLSProtocolVersion(rawValue: try cursor.uint16("Version") { DTLSProtocolVersion(rawValue: $0).description })
        random = try DTLSRandom(cursor: &cursor)
        sessionID = try cursor.opaque("Session ID", lengthWidth: 1)
        cookie = try cursor.opaque("Cookie", lengthWidth: 1)
        var suites: [TLSCipherSuite] = []
        try cursor.vector("Cipher Suites", lengthWidth: 2, summary: { "\($0) suite(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
            suites.append(TLSCipherSuite(rawValue: try c.uint16("Cipher Suite") { TLSCipherSuite(rawValue: $0).description }))
        }
        cipherSuites = suites
        var methods: [TLSCompressionMethod] = []
        try cursor.vector("Compression Methods", lengthWidth: 1, summary: { "\($0) method(s)" }) { (c: inout DissectionCursor) throws(DTLSError) in
            methods.append(TLSCompressionMethod(rawValue: try c.uint8("Compression Method") { TLSCompressionMethod(rawValue: $0).description }))
        }
        compressionMethods = methods
        (extensions, extensionsPresent) = try TLSExtension.readList(&cursor)
    }

    /// Writes the body (without the handshake header).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(clientVersion.rawValue)
        random.encode(into: &writer)
        writer.writeUInt8(UInt8(truncatingIfNeeded: sessionID.count))
        writer.writeBytes(sessionID)
        writer.writeUInt8(UInt8(truncatingIfNeeded: cookie.count))
        writer.writeBytes(cookie)
        writer.writeUInt16(UInt16(truncatingIfNeeded: cipherSuites.count * 2))
        for suite in cipherSuites { writer.writeUInt16(suite.rawValue) }
        writer.writeUInt8(UInt8(truncatingIfNeeded: compressionMethods.count))
        for method in compressionMethods { writer.writeUInt8(method.rawValue) }
        TLSExtension.encodeList(extensions, present: extensionsPresent, into: &writer)
    }
}
