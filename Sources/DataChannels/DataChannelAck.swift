import Wire

/// DATA_CHANNEL_ACK (message type 0x02): the answer to a DATA_CHANNEL_OPEN, sent on
/// the same stream (RFC 8832 §5.2).
///
/// ```
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |  Message Type |
/// +-+-+-+-+-+-+-+-+
/// ```
/// One byte. Some stacks pad it to 4 bytes (the type and three zero bytes), so that
/// form is accepted too; we always send the single byte.
public struct DataChannelAck: Hashable, Sendable {
    /// The message type this codec reads and writes.
    public static let messageType = DCEPMessageType.ack
    /// The length of the padded form some stacks send.
    public static let paddedLength = 4

    /// Creates an ACK.
    public init() {}

    /// Decodes one whole ACK, 1 byte or padded to 4; the reader must hold exactly this
    /// message (one SCTP message). Every failure is a peer violation: `.truncated` for
    /// no byte, `.unknownMessageType` if it is not 0x02, `.malformedMessage` for any
    /// other length or non-zero padding.
    public init(parsing reader: inout ByteReader) throws(DataChannelError) {
        guard let byte = try? reader.readUInt8() else {
            throw .peer(.truncated, "an empty DCEP message")
        }
        let type = DCEPMessageType(rawValue: byte)
        guard type == Self.messageType else {
            throw .peer(.unknownMessageType, "expected DATA_CHANNEL_ACK (0x02), got \(type)")
        }
        let rest = reader.readRemaining()
        guard rest.isEmpty || (rest.count == Self.paddedLength - 1 && rest.allSatisfy { $0 == 0 }) else {
            throw .peer(.malformedMessage, "DATA_CHANNEL_ACK followed by \(rest.count) byte(s): only 0 or 3 zero bytes of padding are accepted")
        }
    }

    /// Decodes one whole ACK from the bytes of one SCTP message.
    public init(parsing bytes: [UInt8]) throws(DataChannelError) {
        var reader = ByteReader(bytes)
        try self.init(parsing: &reader)
    }

    /// Appends the single type byte.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(Self.messageType.rawValue)
    }

    /// The encoded message: `[0x02]`.
    public var bytes: [UInt8] { [Self.messageType.rawValue] }
}
