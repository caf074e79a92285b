import Wire

/// CHANGED-ADDRESS (0x0005): where an RFC 3489 server would have answered from
/// had the client set both CHANGE-REQUEST flags (RFC 3489 §11.2.3). Classic
/// servers send it in every Binding response; classic clients (Debian's `stun`)
/// send their later NAT tests to it.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |           Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Address (32 bits or 128 bits)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Same layout as MAPPED-ADDRESS, not XOR-ed. RFC 5780 replaced it with OTHER-ADDRESS.
public struct ChangedAddress: STUNAddressAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.changedAddress
    /// The address and port.
    public var address: TransportAddress

    /// Creates the attribute.
    public init(_ address: TransportAddress) { self.address = address }
}
