import Wire

/// CHANGE-REQUEST (0x0003): asks the server to answer from another IP address
/// and/or port (RFC 3489 §11.2.4, reused by RFC 5780 §7.2 for NAT behaviour
/// discovery).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 A B 0|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// A (0x4) is "change IP", B (0x2) is "change port". Flags 0 ask for nothing
/// to change: Debian's `stun` sends that in its first test. The other bits are
/// kept as received (`flags`) so an odd value still round-trips.
public struct ChangeRequest: STUNPlainAttributeValue, Hashable, CustomStringConvertible {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.changeRequest
    /// The "change IP" bit (A).
    public static let changeIPFlag: UInt32 = 0x4
    /// The "change port" bit (B).
    public static let changePortFlag: UInt32 = 0x2

    /// The 32-bit field as received (only A and B have a meaning).
    public var flags: UInt32

    /// Creates the attribute from its two flags.
    public init(changeIP: Bool = false, changePort: Bool = false) {
        flags = (changeIP ? Self.changeIPFlag : 0) | (changePort ? Self.changePortFlag : 0)
    }

    /// Creates the attribute from the raw 32-bit field.
    public init(flags: UInt32) { self.flags = flags }

    /// True when the response should come from another IP address.
    public var changesIP: Bool { flags & Self.changeIPFlag != 0 }
    /// True when the response should come from another port.
    public var changesPort: Bool { flags & Self.changePortFlag != 0 }
    /// True when either flag is set: only a server with a second address can honour it.
    public var asksForChange: Bool { changesIP || changesPort }

    /// Decodes the value bytes; anything but 4 bytes is a `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining == 4 else {
            throw STUNError(.malformedAttribute, "CHANGE-REQUEST must be 4 bytes, is \(reader.remaining)")
        }
        flags = try reader.readUInt32()
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeUInt32(flags) }

    /// "0x6 (change IP, change port)" or "0x0 (no change)".
    public var description: String {
        var parts: [String] = []
        if changesIP { parts.append("change IP") }
        if changesPort { parts.append("change port") }
        return "0x\(String(flags, radix: 16)) (\(parts.isEmpty ? "no change" : parts.joined(separator: ", ")))"
    }
}
