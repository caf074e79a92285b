import Wire

/// One packet record of a classic pcap file: a 16-byte header, then the bytes.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   Timestamp (seconds)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Timestamp (microseconds or nanoseconds)             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Captured Packet Length                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Original Packet Length                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                   Packet Data (captured length)               /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct PcapRecord: Hashable, Sendable {
    /// Record header length in bytes.
    public static let headerLength = 16

    /// Whole seconds since the Unix epoch.
    public var seconds: UInt32
    /// Sub-second part, in microseconds (or nanoseconds in nanosecond files).
    public var fraction: UInt32
    /// Length of the packet on the wire (may exceed `data.count` if the capture was cut).
    public var originalLength: UInt32
    /// The captured bytes: here an IP packet.
    public var data: [UInt8]

    /// Creates a record stamped with Unix time in nanoseconds (kept to the microsecond).
    public init(unixNanoseconds: Int64, data: [UInt8]) {
        let clamped = max(0, unixNanoseconds)
        seconds = UInt32(truncatingIfNeeded: clamped / 1_000_000_000)
        fraction = UInt32((clamped % 1_000_000_000) / 1_000)
        originalLength = UInt32(data.count)
        self.data = data
    }

    /// Parses a record in the byte order `header` says.
    public init(parsing reader: inout ByteReader, header: PcapFileHeader) throws {
        func word() throws -> UInt32 {
            let value = try reader.readUInt32()
            return header.littleEndian ? value.byteSwapped : value
        }
        seconds = try word()
        fraction = try word()
        let captured = try word()
        originalLength = try word()
        guard captured <= max(header.snapshotLength, 262_144) else {
            throw PacketCaptureError(.malformedCapture, "record of \(captured) bytes exceeds the snapshot length")
        }
        data = try reader.readBytes(Int(captured))
    }

    /// Writes the record big-endian.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt32(seconds)
        writer.writeUInt32(fraction)
        writer.writeUInt32(UInt32(data.count))
        writer.writeUInt32(originalLength)
        writer.writeBytes(data)
    }
}
