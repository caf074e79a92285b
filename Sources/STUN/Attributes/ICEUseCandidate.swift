import Wire

/// USE-CANDIDATE (0x0025): the controlling agent nominates this candidate
/// pair (RFC 8445 §7.1.2, §16.1). A flag: its value is empty.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type = 0x0025             |         Length = 0            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct ICEUseCandidate: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.useCandidate

    /// Creates the flag.
    public init() {}

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.isAtEnd else {
            throw STUNError(.malformedAttribute, "USE-CANDIDATE must be empty, has \(reader.remaining) byte(s)")
        }
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {}
}
