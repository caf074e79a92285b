import Wire

/// The 40-byte IPv6 header we synthesise around a UDP datagram (RFC 8200 §3).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version| Traffic Class |           Flow Label                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Payload Length        |  Next Header  |   Hop Limit   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +                         Source Address (128 bits)             +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +                      Destination Address (128 bits)           +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// IPv6 has no header checksum: that is why UDP's checksum is mandatory over IPv6
/// (RFC 8200 §8.1) and covers a pseudo-header with both addresses.
public struct IPv6Header: Hashable, Sendable {
    /// Header length in bytes.
    public static let length = 40

    /// Version (6), traffic class and flow label as one word.
    public var versionClassAndFlow: UInt32
    /// Length of everything after this header (here: UDP header plus payload).
    public var payloadLength: UInt16
    /// Next header (17 for UDP: we never add extension headers).
    public var nextHeader: UInt8
    /// Hop limit.
    public var hopLimit: UInt8
    /// Source address bytes (16).
    public var source: [UInt8]
    /// Destination address bytes (16).
    public var destination: [UInt8]

    /// Builds a header for a UDP payload of `payloadLength` bytes (UDP header included).
    public init(source: [UInt8], destination: [UInt8], payloadLength: Int, hopLimit: UInt8 = 64) {
        precondition(source.count == 16 && destination.count == 16, "IPv6 addresses are 16 bytes")
        versionClassAndFlow = 6 << 28
        self.payloadLength = UInt16(payloadLength)
        nextHeader = IPv4Header.udpProtocol
        self.hopLimit = hopLimit
        self.source = source
        self.destination = destination
    }

    /// Parses the fixed header.
    public init(parsing reader: inout ByteReader) throws {
        versionClassAndFlow = try reader.readUInt32()
        guard versionClassAndFlow >> 28 == 6 else {
            throw PacketCaptureError(.malformedPacket, "IP version \(versionClassAndFlow >> 28) where 6 was expected")
        }
        payloadLength = try reader.readUInt16()
        nextHeader = try reader.readUInt8()
        hopLimit = try reader.readUInt8()
        source = try reader.readBytes(16)
        destination = try reader.readBytes(16)
    }

    /// Writes the 40 header bytes.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt32(versionClassAndFlow)
        writer.writeUInt16(payloadLength)
        writer.writeUInt8(nextHeader)
        writer.writeUInt8(hopLimit)
        writer.writeBytes(source)
        writer.writeBytes(destination)
    }
}
