import Wire

/// LIFETIME (0x000D): seconds until the allocation expires without a refresh (RFC 8656 §18.2).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           Lifetime                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// In a request it is what the client asks for (0 in a Refresh deletes the
/// allocation); in a response it is what the server granted.
public struct Lifetime: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.lifetime
    /// The lifetime in seconds.
    public var seconds: UInt32

    /// Creates the attribute.
    public init(seconds: UInt32) { self.seconds = seconds }

    /// The lifetime as a `Duration`.
    public var duration: Duration { .seconds(Int64(seconds)) }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 4 else {
            throw STUNError(.malformedAttribute, "LIFETIME must be 4 bytes, is \(reader.remaining)")
        }
        seconds = try reader.readUInt32()
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeUInt32(seconds) }
}
