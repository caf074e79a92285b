import Wire

/// EVEN-PORT (0x0018): ask for an even relayed port, optionally reserving the next one (RFC 8656 §18.8).
///
/// ```
///  0
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |R|    RFFU     |
/// +-+-+-+-+-+-+-+-+
/// ```
/// One byte of value (then 3 bytes of TLV padding). R set: also reserve
/// port + 1 and return a RESERVATION-TOKEN for it (RTP/RTCP pairs, not WebRTC
/// data, which is why this client never sends it; the dissector still names it).
public struct EvenPort: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.evenPort
    /// The R bit: reserve the next higher port too.
    public var reservesNextPort: Bool

    /// Creates the attribute.
    public init(reservesNextPort: Bool) { self.reservesNextPort = reservesNextPort }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 1 else {
            throw STUNError(.malformedAttribute, "EVEN-PORT must be 1 byte, is \(reader.remaining)")
        }
        reservesNextPort = try reader.readUInt8() & 0x80 != 0
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeUInt8(reservesNextPort ? 0x80 : 0) }
}
