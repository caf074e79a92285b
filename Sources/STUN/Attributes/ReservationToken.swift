import Wire

/// RESERVATION-TOKEN (0x0022): names a relayed port the server holds back for a later Allocate (RFC 8656 §18.10).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +                        Token (64 bits)                        +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Returned with EVEN-PORT's R bit; opaque to the client.
public struct ReservationToken: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.reservationToken
    /// The 8 token bytes.
    public var token: UInt64

    /// Creates the attribute.
    public init(_ token: UInt64) { self.token = token }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 8 else {
            throw STUNError(.malformedAttribute, "RESERVATION-TOKEN must be 8 bytes, is \(reader.remaining)")
        }
        token = try reader.readUInt64()
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeUInt64(token) }
}
