import Wire

/// FINGERPRINT (0x8028): CRC-32 of the message up to this attribute, XOR
/// 0x5354554E (RFC 8489 §14.7).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  CRC-32 XOR 0x5354554E                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Not a security measure: it tells STUN apart from other protocols sharing
/// a port (ICE media multiplexing), which is why it is always last and covers
/// everything, MESSAGE-INTEGRITY included, with the length field counting it.
/// The XOR constant is "STUN" in ASCII, so that an application protocol that
/// also ends with a CRC-32 of itself cannot look like STUN.
public struct Fingerprint: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.fingerprint
    /// 0x5354554E, "STUN".
    public static let xorConstant: UInt32 = 0x5354_554E
    /// The value as it travels (CRC-32 already XOR-ed).
    public var value: UInt32

    /// Creates the attribute from its wire value.
    public init(value: UInt32) { self.value = value }

    /// The fingerprint of `prefix`: the message bytes up to (not including)
    /// this attribute, length field already counting the 8-byte attribute.
    public static func compute<C: Collection>(over prefix: C) -> UInt32 where C.Element == UInt8 {
        CRC32.checksum(prefix) ^ xorConstant
    }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 4 else {
            throw STUNError(.malformedAttribute, "FINGERPRINT must be 4 bytes, is \(reader.remaining)")
        }
        value = try reader.readUInt32()
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeUInt32(value) }
}
