import Wire

/// A STUN message: header plus ordered attributes (RFC 8489 §5).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Message Length counts the bytes after the 20-byte header, always a
/// multiple of 4 because every attribute is padded to 4.
///
/// Attributes stay raw (`STUNAttribute`) and in order, so unknown ones survive
/// and a parsed message re-encodes to the same bytes. Decode a typed value with
/// `attribute(_:)`, e.g. `try message.attribute(XORMappedAddress.self)`.
///
/// RFC 3489 ("classic") messages have no cookie: bytes 4-19 are one 128-bit
/// transaction id. They parse only when asked (`acceptingClassic: true`) and
/// then carry `format == .rfc3489(...)` (see `STUNMessageFormat`).
public struct STUNMessage: Hashable, Sendable {
    /// 0x2112A442: fixed in every RFC 5389/8489 message (bytes 4-7).
    public static let magicCookie: UInt32 = 0x2112_A442
    /// The header size in bytes.
    public static let headerSize = 20
    /// The default size limit for parsing: the largest IPv4 UDP payload.
    /// (The 16-bit length field alone would allow 65 555 bytes.)
    public static let defaultMaximumSize = 65_507

    /// Method and class.
    public var messageType: STUNMessageType
    /// The 96-bit transaction id.
    public var transactionID: TransactionID
    /// The attributes that count, in wire order (padding kept as received).
    public var attributes: [STUNAttribute]
    /// Attributes a parser found after MESSAGE-INTEGRITY(-SHA256) or FINGERPRINT and,
    /// as RFC 8489 §14.5-§14.7 require, ignored. Kept for inspection; never encoded.
    public var ignoredAttributes: [STUNAttribute]
    /// RFC 8489 (with the magic cookie) or RFC 3489 (without); `.rfc8489` unless
    /// parsed from a classic message or built with `init(type:classicTransactionID:attributes:)`.
    public var format: STUNMessageFormat = .rfc8489

    /// Creates a message.
    public init(type: STUNMessageType, transactionID: TransactionID, attributes: [STUNAttribute] = []) {
        self.messageType = type
        self.transactionID = transactionID
        self.attributes = attributes
        self.ignoredAttributes = []
    }

    /// Creates an RFC 3489 message from its 128-bit (16-byte) transaction id;
    /// other sizes are API misuse (`.invalidArgument`).
    public init(type: STUNMessageType, classicTransactionID: [UInt8], attributes: [STUNAttribute] = []) throws {
        guard classicTransactionID.count == 16 else {
            throw STUNError(.invalidArgument, "an RFC 3489 transaction id is 16 bytes, got \(classicTransactionID.count)")
        }
        let prefix = classicTransactionID[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        self.init(type: type, transactionID: TransactionID(checked: Array(classicTransactionID[4...])), attributes: attributes)
        self.format = .rfc3489(transactionIDPrefix: prefix)
    }

    /// The 128-bit RFC 3489 transaction id (bytes 4-19) of a classic message; nil for RFC 8489 ones.
    public var classicTransactionID: [UInt8]? {
        guard case let .rfc3489(prefix) = format else { return nil }
        return [UInt8(prefix >> 24), UInt8((prefix >> 16) & 0xFF), UInt8((prefix >> 8) & 0xFF), UInt8(prefix & 0xFF)]
            + transactionID.bytes
    }

    /// Parses one whole datagram.
    ///
    /// Checks, in order (each failure is a `STUNError` with `origin == .peer`):
    /// at least 20 bytes and at most `maximumSize`; the top two bits are zero;
    /// the length is a multiple of 4 and equals the bytes after the header; the
    /// magic cookie; every attribute TLV fits with its padding. Attribute
    /// *values* are not decoded here (see `attribute(_:)`), so an unknown or odd
    /// value never fails the message. Attributes after MESSAGE-INTEGRITY other
    /// than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, after
    /// MESSAGE-INTEGRITY-SHA256 other than FINGERPRINT, and after FINGERPRINT are
    /// moved to `ignoredAttributes` (RFC 8489 §14.5-§14.7).
    ///
    /// With `acceptingClassic`, a header without the magic cookie is read as
    /// RFC 3489 (`format == .rfc3489`) instead of failing with `.badMagicCookie`;
    /// every other check still applies, and since RFC 3489 attributes have no
    /// padding, a classic attribute whose length is not a multiple of 4 is
    /// `.malformedAttribute`. Only servers answering classic clients want this.
    public init(parsing bytes: [UInt8], maximumSize: Int = STUNMessage.defaultMaximumSize,
                acceptingClassic: Bool = false) throws {
        let header = try STUNHeader(parsing: bytes, maximumSize: maximumSize, acceptingClassic: acceptingClassic)
        guard header.messageLength + Self.headerSize == bytes.count else {
            if header.messageLength + Self.headerSize > bytes.count {
                throw STUNError(.truncated, "length field says \(header.messageLength) byte(s) follow the header, only \(bytes.count - Self.headerSize) do", offset: 2)
            }
            throw STUNError(.badLength, "length field says \(header.messageLength) byte(s) follow the header, but \(bytes.count - Self.headerSize) do", offset: 2)
        }
        let scan = STUNAttributeScan(bytes: bytes, end: bytes.count)
        if let error = scan.error { throw error }
        if header.format.isClassic, let odd = scan.records.first(where: { $0.valueLength % 4 != 0 }) {
            // RFC 3489 §11.2: classic parsers skip no padding, so every value is a multiple of 4.
            throw STUNError(.malformedAttribute, "\(odd.type) is \(odd.valueLength) byte(s): RFC 3489 attributes are multiples of 4", offset: odd.offset)
        }
        self.init(header: header, scan: scan, bytes: bytes)
    }

    /// Parses one message from a stream (e.g. STUN over TCP, RFC 8489 §6.2.2):
    /// reads the header, then exactly the announced length, and advances past it.
    public init(parsing reader: inout ByteReader, maximumSize: Int = STUNMessage.defaultMaximumSize) throws {
        let start = reader.offset
        guard reader.remaining >= Self.headerSize else {
            throw STUNError(.truncated, "\(reader.remaining) byte(s) cannot hold a 20-byte header", offset: start)
        }
        var peek = reader
        try peek.skip(2)
        let length = Int(try peek.readUInt16())
        let total = Self.headerSize + length
        guard total <= reader.remaining else {
            throw STUNError(.truncated, "message needs \(total) byte(s), only \(reader.remaining) available", offset: start)
        }
        let bytes = try reader.readBytes(total)
        try self.init(parsing: bytes, maximumSize: maximumSize)
    }

    init(header: STUNHeader, scan: STUNAttributeScan, bytes: [UInt8]) {
        self.messageType = header.messageType
        self.transactionID = header.transactionID
        self.format = header.format
        var kept: [STUNAttribute] = []
        var ignored: [STUNAttribute] = []
        for record in scan.records {
            let attribute = record.attribute(in: bytes)
            if record.isIgnored { ignored.append(attribute) } else { kept.append(attribute) }
        }
        self.attributes = kept
        self.ignoredAttributes = ignored
    }

    /// Encodes header and attributes as they are, with the cookie or, for an
    /// RFC 3489 message, its transaction id prefix at bytes 4-7 (no integrity or fingerprint
    /// is added; see `encode(integrityKey:...)` for that).
    /// Throws `.invalidArgument` when the attributes exceed the 16-bit length field.
    public func encode() throws -> [UInt8] {
        var writer = ByteWriter(capacity: Self.headerSize + attributes.reduce(0) { $0 + $1.encodedLength })
        try encode(into: &writer)
        return writer.bytes
    }

    /// Appends the encoded message to `writer`.
    public func encode(into writer: inout ByteWriter) throws {
        let bodyLength = attributes.reduce(0) { $0 + $1.encodedLength }
        guard bodyLength <= STUNAttribute.maximumValueLength else {
            throw STUNError(.invalidArgument, "attributes take \(bodyLength) bytes; the length field holds at most 65532")
        }
        for attribute in attributes where attribute.value.count > 0xFFFF {
            throw STUNError(.invalidArgument, "\(attribute.type) value of \(attribute.value.count) bytes does not fit a 16-bit length")
        }
        writer.writeUInt16(messageType.rawValue)
        writer.writeUInt16(UInt16(bodyLength))
        writer.writeUInt32(format.cookieField)
        writer.writeBytes(transactionID.bytes)
        for attribute in attributes { attribute.encode(into: &writer) }
    }

    /// A cheap test for "could this datagram be STUN?": at least a header, top
    /// two bits zero, length a multiple of 4 matching the size, and the magic
    /// cookie (RFC 8489 §5, the checks a demultiplexer makes before parsing).
    public static func looksLikeSTUN(_ bytes: [UInt8]) -> Bool {
        guard let header = try? STUNHeader(parsing: bytes, maximumSize: defaultMaximumSize) else { return false }
        return header.messageLength + headerSize == bytes.count
    }
}
