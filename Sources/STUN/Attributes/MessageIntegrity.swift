import Wire

/// MESSAGE-INTEGRITY (0x0008): HMAC-SHA1 of the message up to this attribute
/// (RFC 8489 §14.5).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                  HMAC-SHA1 (20 bytes)                         |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// The HMAC covers the header and every attribute before this one, with one
/// twist: the header's length field is set as if this attribute were the last
/// one (so a FINGERPRINT added afterwards does not change the HMAC). The key is
/// `STUNKey` (short-term: the password; long-term: MD5(username:realm:password)).
/// Attributes after it, except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, are
/// ignored because nothing protects them. Compute and check it with
/// `STUNMessage.encode(integrityKey:...)` and `STUNMessage.verifyIntegrity(of:key:)`.
public struct MessageIntegrity: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.messageIntegrity
    /// The HMAC size.
    public static let length = 20
    /// The 20 HMAC bytes.
    public var hmac: [UInt8]

    /// Creates the attribute from 20 HMAC bytes; any other size is API misuse.
    public init(hmac: [UInt8]) throws {
        guard hmac.count == Self.length else {
            throw STUNError(.invalidArgument, "MESSAGE-INTEGRITY is 20 bytes, got \(hmac.count)")
        }
        self.hmac = hmac
    }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == Self.length else {
            throw STUNError(.malformedAttribute, "MESSAGE-INTEGRITY must be 20 bytes, is \(reader.remaining)")
        }
        hmac = try reader.readBytes(Self.length)
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeBytes(hmac) }
}
