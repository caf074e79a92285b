import Wire

/// MAPPED-ADDRESS (0x0001): the client's reflexive address, in the clear
/// (RFC 8489 §14.1). Kept for RFC 3489 servers; modern servers send
/// XOR-MAPPED-ADDRESS because some NATs rewrote addresses they saw in payloads.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |           Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                 Address (32 bits or 128 bits)                 |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct MappedAddress: STUNAddressAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.mappedAddress
    /// The address and port.
    public var address: TransportAddress

    /// Creates the attribute.
    public init(_ address: TransportAddress) { self.address = address }
}
