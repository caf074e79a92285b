import Wire

/// DATA_CHANNEL_OPEN (message type 0x03): asks the peer to open a channel on the
/// stream it arrives on (RFC 8832 §5.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Message Type |  Channel Type |            Priority           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Reliability Parameter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Label Length          |       Protocol Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                                                               /
/// |                             Label                             |
/// /                                                               \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                                                               /
/// |                            Protocol                           |
/// /                                                               \
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// The reliability parameter is a retransmission count for the REXMIT types, a
/// lifetime in milliseconds for the TIMED types, and 0 (ignored on receipt) for the
/// reliable ones. Label and protocol are UTF-8 without padding or terminator; the
/// protocol is a WebSocket subprotocol name or empty. The message has no length of
/// its own: an SCTP message carries exactly one, so bytes after the protocol are an
/// error, not the next message.
public struct DataChannelOpen: Hashable, Sendable {
    /// The message type this codec reads and writes.
    public static let messageType = DCEPMessageType.open
    /// Bytes before the label: type, channel type, priority, reliability parameter, two lengths.
    public static let fixedLength = 12
    /// The longest label or protocol the 16-bit length fields can announce.
    public static let maximumFieldLength = Int(UInt16.max)

    /// Ordered or not, and how reliable; unknown values are kept as they are.
    public var channelType: DataChannelType
    /// The channel's priority (RFC 8831 §6.4; W3C: 128 very-low, 256 low, 512 medium, 1024 high).
    public var priority: UInt16
    /// Retransmissions (REXMIT types) or milliseconds (TIMED types); 0 for reliable types.
    public var reliabilityParameter: UInt32
    /// The channel's name, for the application; need not be unique.
    public var label: String
    /// The subprotocol the application speaks on the channel, or empty.
    public var `protocol`: String

    /// Creates an OPEN. A label or protocol over 65 535 UTF-8 bytes cannot be encoded
    /// whole (the lengths are 16 bits): `encode(into:)` cuts it at the last whole
    /// character that fits. `DataChannelRegistry.open` refuses such parameters first.
    public init(channelType: DataChannelType = .reliable, priority: UInt16 = 256, reliabilityParameter: UInt32 = 0,
                label: String = "", protocol: String = "") {
        self.channelType = channelType
        self.priority = priority
        self.reliabilityParameter = reliabilityParameter
        self.label = label
        self.protocol = `protocol`
    }

    /// Decodes one whole OPEN, message type included; the reader must hold exactly
    /// this message (one SCTP message). Every failure is a peer violation:
    /// `.truncated` when a field or the announced label/protocol is cut short,
    /// `.malformedMessage` for bytes after the protocol, `.invalidUTF8` for a label or
    /// protocol that is not UTF-8, `.unknownMessageType` if the first byte is not 0x03.
    /// An unknown channel type is kept, not refused (see `DataChannelType`).
    public init(parsing reader: inout ByteReader) throws(DataChannelError) {
        let type = DCEPMessageType(rawValue: try reader.dcepField("message type") { try $0.readUInt8() })
        guard type == Self.messageType else {
            throw .peer(.unknownMessageType, "expected DATA_CHANNEL_OPEN (0x03), got \(type)")
        }
        channelType = DataChannelType(rawValue: try reader.dcepField("channel type") { try $0.readUInt8() })
        priority = try reader.dcepField("priority") { try $0.readUInt16() }
        reliabilityParameter = try reader.dcepField("reliability parameter") { try $0.readUInt32() }
        let labelLength = Int(try reader.dcepField("label length") { try $0.readUInt16() })
        let protocolLength = Int(try reader.dcepField("protocol length") { try $0.readUInt16() })
        guard reader.remaining <= labelLength + protocolLength else {
            throw .peer(.malformedMessage, "\(reader.remaining - labelLength - protocolLength) byte(s) after the protocol of a DATA_CHANNEL_OPEN")
        }
        label = try Self.text(try reader.dcepField("label") { try $0.readBytes(labelLength) }, field: "label")
        `protocol` = try Self.text(try reader.dcepField("protocol") { try $0.readBytes(protocolLength) }, field: "protocol")
    }

    /// Decodes one whole OPEN from the bytes of one SCTP message.
    public init(parsing bytes: [UInt8]) throws(DataChannelError) {
        var reader = ByteReader(bytes)
        try self.init(parsing: &reader)
    }

    /// Appends the message, type byte first (`fixedLength` + label + protocol bytes).
    public func encode(into writer: inout ByteWriter) {
        let labelBytes = Self.fitting(label), protocolBytes = Self.fitting(`protocol`)
        writer.writeUInt8(Self.messageType.rawValue)
        writer.writeUInt8(channelType.rawValue)
        writer.writeUInt16(priority)
        writer.writeUInt32(reliabilityParameter)
        writer.writeUInt16(UInt16(labelBytes.count))
        writer.writeUInt16(UInt16(protocolBytes.count))
        writer.writeBytes(labelBytes)
        writer.writeBytes(protocolBytes)
    }

    /// The encoded message.
    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.fixedLength + label.utf8.count + `protocol`.utf8.count)
        encode(into: &writer)
        return writer.bytes
    }

    /// RFC 8832 §5.1 says both strings are UTF-8; anything else is the peer's fault.
    private static func text(_ bytes: [UInt8], field: String) throws(DataChannelError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .peer(.invalidUTF8, "the \(field) of a DATA_CHANNEL_OPEN is not valid UTF-8")
        }
        return text
    }

    /// The UTF-8 bytes of `text`, cut at a character boundary to fit a 16-bit length.
    static func fitting(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count > maximumFieldLength else { return utf8 }
        var end = maximumFieldLength
        // Back up over continuation bytes (10xxxxxx) so no character is split.
        while end > 0, utf8[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(utf8[..<end])
    }
}

extension ByteReader {
    /// Runs one read of a DCEP field, turning Wire's truncation into this module's
    /// error (the reader only throws `WireError.truncated`).
    mutating func dcepField<T>(_ field: String, _ read: (inout ByteReader) throws -> T) throws(DataChannelError) -> T {
        let start = offset, available = remaining
        do {
            return try read(&self)
        } catch {
            throw .peer(.truncated, "DCEP message cut short in its \(field) at offset \(start) (\(available) byte(s) left)")
        }
    }
}
