import Wire

/// Reads a classic pcap file (either byte order, micro- or nanosecond stamps).
///
/// Used by tests to check what the writer produced, and by tools that replay a
/// capture. Input is hostile: a bad file gives `.malformedCapture`, never a trap.
public struct PcapReader: Sendable {
    /// The file header.
    public let header: PcapFileHeader
    /// Every record, in file order.
    public let records: [PcapRecord]

    /// Parses a whole file.
    public init(bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        do {
            header = try PcapFileHeader(parsing: &reader)
            var records: [PcapRecord] = []
            while !reader.isAtEnd { records.append(try PcapRecord(parsing: &reader, header: header)) }
            self.records = records
        } catch let error as WireError {
            throw PacketCaptureError(.malformedCapture, "\(error)")
        }
    }

    /// Every record decoded as an IP/UDP packet (for raw, IPv4 and IPv6 link types).
    public func packets() throws -> [CapturedPacket] {
        guard [PcapLinkType.raw, .ipv4, .ipv6].contains(header.linkType) else {
            throw PacketCaptureError(.malformedCapture, "cannot decode \(header.linkType) records as IP packets")
        }
        return try records.map { try CapturedPacket(parsing: $0.data) }
    }
}
