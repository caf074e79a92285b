import Wire

/// The address family byte of the address attributes (RFC 8489 §14.1):
/// 0x01 IPv4, 0x02 IPv6. Open struct so a dissector can name an unknown family.
public struct STUNAddressFamily: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The family byte.
    public let rawValue: UInt8
    /// Creates a family from its byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 0x01.
    public static let ipv4 = STUNAddressFamily(rawValue: 0x01)
    /// 0x02.
    public static let ipv6 = STUNAddressFamily(rawValue: 0x02)

    /// The family of an address.
    public init(of address: IPAddress) { self = address.isIPv4 ? .ipv4 : .ipv6 }

    /// Address bytes that follow this family: 4, 16, or nil when unknown.
    public var addressLength: Int? {
        switch rawValue {
        case 0x01: return 4
        case 0x02: return 16
        default: return nil
        }
    }

    /// "IPv4", "IPv6" or "Unknown (0x07)".
    public var description: String {
        switch rawValue {
        case 0x01: return "IPv4"
        case 0x02: return "IPv6"
        default: return "Unknown (0x\(STUNFormat.hex(rawValue, digits: 2)))"
        }
    }
}

/// The layout shared by MAPPED-ADDRESS, ALTERNATE-SERVER and the XOR-ed ones
/// (diagram: `MappedAddress`). The XOR variants transform port and address
/// after reading and before writing, so the codec itself stays plain.
enum STUNAddressCodec {
    static func read(_ reader: inout ByteReader, attribute: STUNAttributeType) throws -> TransportAddress {
        _ = try reader.readUInt8() // reserved: "MUST be set to 0 and ignored by receivers"
        let family = STUNAddressFamily(rawValue: try reader.readUInt8())
        let port = try reader.readUInt16()
        guard let length = family.addressLength else {
            throw STUNError(.malformedAttribute, "\(attribute) has unknown address family \(family)")
        }
        guard reader.remaining == length else {
            throw STUNError(.malformedAttribute, "\(attribute) \(family) address needs \(length) bytes, value has \(reader.remaining)")
        }
        let bytes = try reader.readBytes(length)
        guard let ip = IPAddress(bytes: bytes) else {
            throw STUNError(.malformedAttribute, "\(attribute) address bytes are not an IP address")
        }
        return TransportAddress(ip, port)
    }

    static func write(_ address: TransportAddress, into writer: inout ByteWriter) {
        writer.writeUInt8(0)
        writer.writeUInt8(STUNAddressFamily(of: address.ip).rawValue)
        writer.writeUInt16(address.port)
        writer.writeBytes(address.ip.bytes)
    }

    /// XORs port with the cookie's top 16 bits and the address with the cookie
    /// (IPv4) or cookie followed by the transaction id (IPv6), RFC 8489 §14.2.
    /// Applying it twice gives the input back.
    static func xor(_ address: TransportAddress, transactionID: TransactionID) -> TransportAddress {
        let port = address.port ^ UInt16(STUNMessage.magicCookie >> 16)
        let mask = xorMask(transactionID: transactionID)
        let bytes = address.ip.bytes
        var out = [UInt8](repeating: 0, count: bytes.count)
        for index in 0..<bytes.count { out[index] = bytes[index] ^ mask[index] }
        // Same length as the input, so IPAddress(bytes:) cannot fail here.
        return TransportAddress(IPAddress(bytes: out) ?? address.ip, port)
    }

    /// The 16-byte mask: magic cookie then transaction id (IPv4 uses the first 4).
    static func xorMask(transactionID: TransactionID) -> [UInt8] {
        [0x21, 0x12, 0xA4, 0x42] + transactionID.bytes
    }
}
