import Wire

/// DONT-FRAGMENT (0x001A): ask the server to set the DF bit on datagrams it relays to peers (RFC 8656 §18.9).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Type = 0x001A             |         Length = 0            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// A flag with an empty value, used for path MTU discovery through the relay.
public struct DontFragment: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.dontFragment

    /// Creates the flag.
    public init() {}

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.isAtEnd else {
            throw STUNError(.malformedAttribute, "DONT-FRAGMENT must be empty, has \(reader.remaining) byte(s)")
        }
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {}
}
