import Wire

/// MESSAGE-INTEGRITY-SHA256 (0x001C): HMAC-SHA256 of the message up to this
/// attribute, possibly truncated (RFC 8489 §14.6).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                  HMAC-SHA256 (16 to 32 bytes)                 |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Computed like MESSAGE-INTEGRITY (length field adjusted to end here) but
/// with SHA-256. The value may be the leading 16, 20, 24, 28 or 32 bytes of the
/// HMAC. When both integrity attributes are present, receivers check this one.
public struct MessageIntegritySHA256: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.messageIntegritySHA256
    /// The (possibly truncated) HMAC bytes.
    public var hmac: [UInt8]

    /// True for the sizes §14.6 allows: a multiple of 4 from 16 to 32.
    public static func isValidLength(_ count: Int) -> Bool { count >= 16 && count <= 32 && count % 4 == 0 }

    /// Creates the attribute; a size §14.6 does not allow is API misuse.
    public init(hmac: [UInt8]) throws {
        guard Self.isValidLength(hmac.count) else {
            throw STUNError(.invalidArgument, "MESSAGE-INTEGRITY-SHA256 is 16-32 bytes in steps of 4, got \(hmac.count)")
        }
        self.hmac = hmac
    }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard Self.isValidLength(reader.remaining) else {
            throw STUNError(.malformedAttribute, "MESSAGE-INTEGRITY-SHA256 must be 16-32 bytes in steps of 4, is \(reader.remaining)")
        }
        hmac = reader.readRemaining()
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeBytes(hmac) }
}
