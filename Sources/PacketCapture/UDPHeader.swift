import Wire

/// The 8-byte UDP header (RFC 768).
///
/// ```
///  0      7 8     15 16    23 24    31
/// +--------+--------+--------+--------+
/// |     Source      |   Destination   |
/// |      Port       |      Port       |
/// +--------+--------+--------+--------+
/// |     Length      |    Checksum     |
/// +--------+--------+--------+--------+
/// |          data octets ...
/// +---------------- ...
/// ```
///
/// The checksum covers a pseudo-header (addresses, protocol, length), the UDP
/// header and the payload. A computed 0 is sent as 0xFFFF because 0 on the wire
/// means "no checksum" (allowed over IPv4 only).
public struct UDPHeader: Hashable, Sendable {
    /// Header length in bytes.
    public static let length = 8

    /// Source port.
    public var sourcePort: UInt16
    /// Destination port.
    public var destinationPort: UInt16
    /// Header plus payload, in bytes.
    public var length: UInt16
    /// Checksum as carried on the wire.
    public var checksum: UInt16

    /// Builds a header for `payload` between `source` and `destination` with a correct checksum.
    /// Both addresses must be of one family (the caller checks).
    public init(source: TransportAddress, destination: TransportAddress, payload: [UInt8]) {
        sourcePort = source.port
        destinationPort = destination.port
        length = UInt16(Self.length + payload.count)
        checksum = 0
        let computed = computeChecksum(sourceIP: source.ip.bytes, destinationIP: destination.ip.bytes, payload: payload)
        checksum = computed == 0 ? 0xFFFF : computed
    }

    /// Parses the header.
    public init(parsing reader: inout ByteReader) throws {
        sourcePort = try reader.readUInt16()
        destinationPort = try reader.readUInt16()
        length = try reader.readUInt16()
        checksum = try reader.readUInt16()
    }

    /// Writes the 8 header bytes.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(sourcePort)
        writer.writeUInt16(destinationPort)
        writer.writeUInt16(length)
        writer.writeUInt16(checksum)
    }

    /// The Internet checksum over pseudo-header, this header (as it is) and `payload`.
    /// With the carried checksum in place a correct packet sums to 0.
    public func computeChecksum(sourceIP: [UInt8], destinationIP: [UInt8], payload: [UInt8]) -> UInt16 {
        var sum = InternetChecksum()
        sum.add(sourceIP)
        sum.add(destinationIP)
        if sourceIP.count == 4 {
            // RFC 768 pseudo-header: zero, protocol, UDP length.
            sum.add([0, IPv4Header.udpProtocol])
            sum.add(length)
        } else {
            // RFC 8200 §8.1 pseudo-header: 32-bit length, 3 zero bytes, next header.
            sum.add([0, 0])
            sum.add(length)
            sum.add([0, 0, 0, IPv4Header.udpProtocol])
        }
        var header = ByteWriter(capacity: Self.length)
        encode(into: &header)
        sum.add(header.bytes)
        sum.add(payload)
        return sum.value
    }

    /// True when the carried checksum verifies (0 over IPv4 means "not computed" and passes).
    public func isChecksumValid(sourceIP: [UInt8], destinationIP: [UInt8], payload: [UInt8]) -> Bool {
        if checksum == 0 { return sourceIP.count == 4 }
        return computeChecksum(sourceIP: sourceIP, destinationIP: destinationIP, payload: payload) == 0
    }
}
