import Wire

/// The 24-byte global header of a classic libpcap file.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Magic Number (0xa1b2c3d4)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Major Version (2)         |      Minor Version (4)        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Reserved1 (thiszone, 0)                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Reserved2 (sigfigs, 0)                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        SnapLen                                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        LinkType                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// The writer of a file picks its byte order; the magic number tells readers
/// which one (read swapped it is 0xd4c3b2a1). Magic 0xa1b23c4d means the record
/// timestamps carry nanoseconds instead of microseconds.
public struct PcapFileHeader: Hashable, Sendable {
    /// Header length in bytes.
    public static let length = 24
    /// Magic number of microsecond-resolution files.
    public static let microsecondMagic: UInt32 = 0xA1B2_C3D4
    /// Magic number of nanosecond-resolution files.
    public static let nanosecondMagic: UInt32 = 0xA1B2_3C4D

    /// Major version (2).
    public var majorVersion: UInt16
    /// Minor version (4).
    public var minorVersion: UInt16
    /// Largest record kept, in bytes.
    public var snapshotLength: UInt32
    /// What each record starts with.
    public var linkType: PcapLinkType
    /// True when record timestamps are in nanoseconds (magic 0xa1b23c4d).
    public var nanosecondTimestamps: Bool
    /// True when the file was written little-endian (the reader swaps).
    public var littleEndian: Bool

    /// A version 2.4 header of the kind we write (big-endian, microseconds).
    public init(linkType: PcapLinkType, snapshotLength: UInt32 = 65_535) {
        majorVersion = 2
        minorVersion = 4
        self.snapshotLength = snapshotLength
        self.linkType = linkType
        nanosecondTimestamps = false
        littleEndian = false
    }

    /// Parses a header in either byte order and either timestamp resolution.
    public init(parsing reader: inout ByteReader) throws {
        let magic = try reader.readUInt32()
        switch magic {
        case Self.microsecondMagic: (littleEndian, nanosecondTimestamps) = (false, false)
        case Self.microsecondMagic.byteSwapped: (littleEndian, nanosecondTimestamps) = (true, false)
        case Self.nanosecondMagic: (littleEndian, nanosecondTimestamps) = (false, true)
        case Self.nanosecondMagic.byteSwapped: (littleEndian, nanosecondTimestamps) = (true, true)
        default:
            throw PacketCaptureError(.malformedCapture,
                                     "not a classic pcap file (magic 0x\(String(magic, radix: 16)))")
        }
        let swap = littleEndian
        majorVersion = swap ? try reader.readUInt16().byteSwapped : try reader.readUInt16()
        minorVersion = swap ? try reader.readUInt16().byteSwapped : try reader.readUInt16()
        try reader.skip(8)
        snapshotLength = swap ? try reader.readUInt32().byteSwapped : try reader.readUInt32()
        let link = swap ? try reader.readUInt32().byteSwapped : try reader.readUInt32()
        // The top bits of the link type word carry FCS information; the type is the low 16.
        linkType = PcapLinkType(rawValue: link & 0xFFFF)
        guard majorVersion == 2 else {
            throw PacketCaptureError(.malformedCapture, "unsupported pcap version \(majorVersion).\(minorVersion)")
        }
    }

    /// Writes the header big-endian (our files are always big-endian, microseconds).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt32(nanosecondTimestamps ? Self.nanosecondMagic : Self.microsecondMagic)
        writer.writeUInt16(majorVersion)
        writer.writeUInt16(minorVersion)
        writer.writeUInt32(0)
        writer.writeUInt32(0)
        writer.writeUInt32(snapshotLength)
        writer.writeUInt32(linkType.rawValue)
    }
}
