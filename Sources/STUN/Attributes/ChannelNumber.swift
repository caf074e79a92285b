import Wire

/// CHANNEL-NUMBER (0x000C): the channel a ChannelBind request binds to a peer (RFC 8656 §18.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        Channel Number         |         RFFU = 0              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Parsing keeps any 16-bit number (a dissector must show a bad one); whether
/// it lies in the usable range 0x4000-0x4FFF is `isInValidRange`. RFC 8656
/// narrowed RFC 5766's range so ChannelData's first byte stays in RFC 7983's
/// 64-79 slot.
public struct ChannelNumber: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.channelNumber
    /// Channel numbers a client may bind (RFC 8656 §12).
    public static let validRange: ClosedRange<UInt16> = 0x4000...0x4FFF
    /// The channel number.
    public var number: UInt16

    /// Creates the attribute.
    public init(_ number: UInt16) { self.number = number }

    /// True when the number lies in 0x4000-0x4FFF.
    public var isInValidRange: Bool { Self.validRange.contains(number) }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 4 else {
            throw STUNError(.malformedAttribute, "CHANNEL-NUMBER must be 4 bytes, is \(reader.remaining)")
        }
        number = try reader.readUInt16()
        _ = try reader.readUInt16() // RFFU: "reserved for future use", ignored on receipt
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(number)
        writer.writeUInt16(0)
    }
}
