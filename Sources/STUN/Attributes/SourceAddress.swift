import Wire

/// SOURCE-ADDRESS (0x0004): the address and port an RFC 3489 server sent its
/// Binding response from (RFC 3489 §11.2.5). Comprehension-required in the
/// 3489 range, and RFC 8489 §11.1 tells modern clients to ignore it.
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
/// Same layout as MAPPED-ADDRESS, not XOR-ed. Classic
/// responses carry it; RFC 5780 replaced it with RESPONSE-ORIGIN.
public struct SourceAddress: STUNAddressAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.sourceAddress
    /// The address and port.
    public var address: TransportAddress

    /// Creates the attribute.
    public init(_ address: TransportAddress) { self.address = address }
}
