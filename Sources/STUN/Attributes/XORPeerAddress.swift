import Wire

/// XOR-PEER-ADDRESS (0x0012): the peer's address as the TURN server sees it, in CreatePermission, ChannelBind and Send/Data indications (RFC 8656 §18.3).
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
/// Same layout and XOR as XOR-MAPPED-ADDRESS (RFC 8489 §14.2), for the same
/// reason: NATs that rewrite addresses they find inside payloads.
public struct XORPeerAddress: STUNAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.xorPeerAddress
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
