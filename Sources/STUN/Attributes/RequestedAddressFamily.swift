import Wire

/// REQUESTED-ADDRESS-FAMILY (0x0017): the family of relayed address an Allocate asks for (RFC 8656 §18.6).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Family    |            Reserved                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// 0x01 IPv4 (the default when absent), 0x02 IPv6. An unknown family still
/// parses, so a server can answer 440 Address Family not Supported.
public struct RequestedAddressFamily: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.requestedAddressFamily
    /// The requested family.
    public var family: STUNAddressFamily

    /// Creates the attribute.
    public init(_ family: STUNAddressFamily) { self.family = family }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 4 else {
            throw STUNError(.malformedAttribute, "REQUESTED-ADDRESS-FAMILY must be 4 bytes, is \(reader.remaining)")
        }
        family = STUNAddressFamily(rawValue: try reader.readUInt8())
        try reader.skip(3) // reserved
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(family.rawValue)
        writer.writeBytes([0, 0, 0])
    }
}
