import Wire

/// The DTLS handshake header (RFC 6347 §4.2.2): TLS's 4 bytes plus the 8 that let
/// a message be retransmitted, reordered and split across datagrams.
///
/// ```
///   struct {
///     HandshakeType msg_type;
///     uint24 length;
///     uint16 message_seq;                               // New field
///     uint24 fragment_offset;                           // New field
///     uint24 fragment_length;                           // New field
///     select (HandshakeType) { ... } body;              // fragment_length bytes
///   } Handshake;
///
///    0       1       2       3       4       5       6       7
///   +-------+-------+-------+-------+-------+-------+-------+-------+
///   |msg_typ|        length         |  message_seq  | frag_offset.. |
///   +-------+-------+-------+-------+-------+-------+-------+-------+
///   | ..set |   fragment_length     |  body (fragment_length) ...
///   +-------+-------+-------+-------+-------+-------+-------+-------+
/// ```
///
/// `length` is the whole message; `fragment_offset`/`fragment_length` place this
/// piece in it. A message that does not fit the MTU (a certificate chain, a session
/// ticket) is sent as several fragments, each in its own record.
public struct DTLSHandshakeHeader: Hashable, Sendable {
    /// Size of the header.
    public static let size = 12

    /// The message type.
    public var messageType: DTLSHandshakeType
    /// Length of the whole message body (24 bits).
    public var length: UInt32
    /// Counts messages within the handshake (retransmissions repeat it).
    public var messageSequence: UInt16
    /// Where this fragment starts in the body (24 bits).
    public var fragmentOffset: UInt32
    /// How many body bytes this fragment carries (24 bits).
    public var fragmentLength: UInt32

    /// Creates an unfragmented header when `fragmentOffset`/`fragmentLength` are left out.
    public init(messageType: DTLSHandshakeType, length: UInt32, messageSequence: UInt16,
                fragmentOffset: UInt32 = 0, fragmentLength: UInt32? = nil) {
        self.messageType = messageType
        self.length = length
        self.messageSequence = messageSequence
        self.fragmentOffset = fragmentOffset
        self.fragmentLength = fragmentLength ?? length
    }

    /// True when this record carries only part of the message.
    public var isFragment: Bool { fragmentOffset != 0 || fragmentLength != length }

    /// Parses the 12 bytes (the fragment's bounds are checked by `DTLSHandshakeMessage`).
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        messageType = DTLSHandshakeType(rawValue: try cursor.uint8("Handshake Type") { DTLSHandshakeType(rawValue: $0).description })
        length = try cursor.uint24("Length")
        messageSequence = try cursor.uint16("Message Sequence")
        fragmentOffset = try cursor.uint24("Fragment Offset")
        fragmentLength = try cursor.uint24("Fragment Length")
    }

    /// Writes the 12 bytes.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(messageType.rawValue)
        Self.writeUInt24(length, into: &writer)
        writer.writeUInt16(messageSequence)
        Self.writeUInt24(fragmentOffset, into: &writer)
        Self.writeUInt24(fragmentLength, into: &writer)
    }

    static func writeUInt24(_ value: UInt32, into writer: inout ByteWriter) {
        writer.writeUInt8(UInt8(truncatingIfNeeded: value >> 16))
        writer.writeUInt16(UInt16(truncatingIfNeeded: value))
    }
}
