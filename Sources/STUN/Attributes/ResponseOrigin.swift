import Wire

/// RESPONSE-ORIGIN (0x802B): the address and port the response was sent from
/// (RFC 5780 §7.3). Comprehension-optional; coturn sends it in Binding responses.
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
/// Same layout as MAPPED-ADDRESS, not XOR-ed. It lets a client notice
/// a response that came from somewhere else than it asked.
public struct ResponseOrigin: STUNAddressAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.responseOrigin
    /// The address and port.
    public var address: TransportAddress

    /// Creates the attribute.
    public init(_ address: TransportAddress) { self.address = address }
}
