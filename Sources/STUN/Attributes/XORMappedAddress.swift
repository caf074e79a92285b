import Wire

/// XOR-MAPPED-ADDRESS (0x0020): the client's reflexive transport address,
/// obfuscated by XOR (RFC 8489 §14.2).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                X-Address (Variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// X-Port is the port XOR the cookie's top 16 bits (0x2112). X-Address is
/// the IPv4 address XOR the magic cookie, or the IPv6 address XOR the
/// 128 bits made of the cookie followed by the transaction id. Why: some NATs
/// rewrote any 32-bit value equal to the address they were translating, even
/// inside payloads, which corrupted plain MAPPED-ADDRESS.
public struct XORMappedAddress: STUNAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.xorMappedAddress
    /// The real (un-XOR-ed) address and port.
    public var address: TransportAddress

    /// Creates the attribute for a real address.
    public init(_ address: TransportAddress) { self.address = address }

    /// Decodes the X-Port and X-Address and undoes the XOR; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader, transactionID: TransactionID) throws {
        let xored = try STUNAddressCodec.read(&reader, attribute: Self.attributeType)
        address = STUNAddressCodec.xor(xored, transactionID: transactionID)
    }

    /// Encodes the value bytes with port and address XOR-ed.
    public func encode(into writer: inout ByteWriter, transactionID: TransactionID) {
        STUNAddressCodec.write(STUNAddressCodec.xor(address, transactionID: transactionID), into: &writer)
    }
}
