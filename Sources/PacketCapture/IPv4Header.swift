import Wire

/// The 20-byte IPv4 header we synthesise around a UDP datagram (RFC 791 §3.1, no options).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version|  IHL  |   DSCP    |ECN|          Total Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Identification        |Flags|      Fragment Offset    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       Source Address                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Destination Address                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// We always set Don't Fragment: WebRTC sizes its datagrams to the path MTU
/// rather than relying on IP fragmentation (RFC 8261 §5).
public struct IPv4Header: Hashable, Sendable {
    /// Header length in bytes (IHL 5: no options).
    public static let length = 20
    /// IP protocol number of UDP.
    public static let udpProtocol: UInt8 = 17
    /// The Don't Fragment bit in the flags/fragment-offset word.
    public static let dontFragment: UInt16 = 0x4000

    /// DSCP and ECN byte (0: best effort, not ECN-capable).
    public var typeOfService: UInt8
    /// Header plus payload, in bytes.
    public var totalLength: UInt16
    /// Identification (a per-capture counter: it only matters for fragments).
    public var identification: UInt16
    /// Flags (3 bits) and fragment offset (13 bits).
    public var flagsAndFragmentOffset: UInt16
    /// Time to live.
    public var timeToLive: UInt8
    /// Payload protocol (17 for UDP).
    public var protocolNumber: UInt8
    /// Header checksum as carried on the wire.
    public var headerChecksum: UInt16
    /// Source address bytes (4).
    public var source: [UInt8]
    /// Destination address bytes (4).
    public var destination: [UInt8]

    /// Builds a UDP-carrying header with a correct checksum.
    public init(source: [UInt8], destination: [UInt8], payloadLength: Int, identification: UInt16,
                timeToLive: UInt8 = 64) {
        precondition(source.count == 4 && destination.count == 4, "IPv4 addresses are 4 bytes")
        typeOfService = 0
        totalLength = UInt16(Self.length + payloadLength)
        self.identification = identification
        flagsAndFragmentOffset = Self.dontFragment
        self.timeToLive = timeToLive
        protocolNumber = Self.udpProtocol
        headerChecksum = 0
        self.source = source
        self.destination = destination
        headerChecksum = computedChecksum
    }

    /// Parses a 20-byte header; options (IHL > 5) are skipped, IHL < 5 is rejected.
    public init(parsing reader: inout ByteReader) throws {
        let start = reader.offset
        let versionAndLength = try reader.readUInt8()
        guard versionAndLength >> 4 == 4 else {
            throw PacketCaptureError(.malformedPacket, "IP version \(versionAndLength >> 4) where 4 was expected")
        }
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= Self.length else {
            throw PacketCaptureError(.malformedPacket, "IPv4 header length \(headerLength) is below 20")
        }
        typeOfService = try reader.readUInt8()
        totalLength = try reader.readUInt16()
        identification = try reader.readUInt16()
        flagsAndFragmentOffset = try reader.readUInt16()
        timeToLive = try reader.readUInt8()
        protocolNumber = try reader.readUInt8()
        headerChecksum = try reader.readUInt16()
        source = try reader.readBytes(4)
        destination = try reader.readBytes(4)
        try reader.skip(headerLength - (reader.offset - start))
    }

    /// Writes the 20 header bytes as they are (call `init(source:...)` for a fresh checksum).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(0x45)
        writer.writeUInt8(typeOfService)
        writer.writeUInt16(totalLength)
        writer.writeUInt16(identification)
        writer.writeUInt16(flagsAndFragmentOffset)
        writer.writeUInt8(timeToLive)
        writer.writeUInt8(protocolNumber)
        writer.writeUInt16(headerChecksum)
        writer.writeBytes(source)
        writer.writeBytes(destination)
    }

    /// The checksum this header should carry (RFC 791: over the header with the field zeroed).
    public var computedChecksum: UInt16 {
        var copy = self
        copy.headerChecksum = 0
        var writer = ByteWriter(capacity: Self.length)
        copy.encode(into: &writer)
        return InternetChecksum.compute(writer.bytes)
    }

    /// True when the carried checksum is right.
    public var isChecksumValid: Bool { headerChecksum == computedChecksum }
}
