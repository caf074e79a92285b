import Wire

/// REQUESTED-TRANSPORT (0x0019): the transport between server and peers an Allocate asks for (RFC 8656 §18.7).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Protocol   |                    RFFU                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Protocol is an IANA IP protocol number: 17 (UDP) is the one RFC 8656
/// defines; RFC 6062 adds 6 (TCP). Any number parses, so a server can answer 442.
public struct RequestedTransport: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.requestedTransport
    /// UDP's IP protocol number.
    public static let udp = RequestedTransport(protocolNumber: 17)
    /// The IP protocol number.
    public var protocolNumber: UInt8

    /// Creates the attribute.
    public init(protocolNumber: UInt8) { self.protocolNumber = protocolNumber }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 4 else {
            throw STUNError(.malformedAttribute, "REQUESTED-TRANSPORT must be 4 bytes, is \(reader.remaining)")
        }
        protocolNumber = try reader.readUInt8()
        try reader.skip(3) // RFFU
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(protocolNumber)
        writer.writeBytes([0, 0, 0])
    }
}
