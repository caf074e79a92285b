import Wire

/// PRIORITY (0x0024): the priority the sender would give a peer-reflexive
/// candidate learned from this check (RFC 8445 §7.1.1, §16.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           Priority                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Comprehension-required, so only ICE agents (which understand it) should
/// receive it; this module's server lists it as understood.
public struct ICEPriority: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.priority
    /// The 32-bit candidate priority.
    public var value: UInt32

    /// Creates the attribute.
    public init(_ value: UInt32) { self.value = value }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 4 else {
            throw STUNError(.malformedAttribute, "PRIORITY must be 4 bytes, is \(reader.remaining)")
        }
        value = try reader.readUInt32()
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeUInt32(value) }
}
