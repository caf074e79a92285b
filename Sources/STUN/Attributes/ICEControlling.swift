import Wire

/// ICE-CONTROLLING (0x802A): the sender believes it is in the controlling role, and
/// carries its tie-breaker for role conflicts (RFC 8445 §7.1.3, §16.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                   Tie-breaker (64 bits)                       |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// When both agents claim the same role, the larger tie-breaker wins and
/// the loser switches (or answers 487 Role Conflict).
public struct ICEControlling: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.iceControlling
    /// The 64-bit random tie-breaker.
    public var tieBreaker: UInt64

    /// Creates the attribute.
    public init(tieBreaker: UInt64) { self.tieBreaker = tieBreaker }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 8 else {
            throw STUNError(.malformedAttribute, "ICE-CONTROLLING must be 8 bytes, is \(reader.remaining)")
        }
        tieBreaker = try reader.readUInt64()
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeUInt64(tieBreaker) }
}
