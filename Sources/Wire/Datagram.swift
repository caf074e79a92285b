/// One UDP datagram with both ends of its 5-tuple.
///
/// Protocol layers emit datagrams with `source` set to the local address they
/// were told to use; drivers (real UDP, the simulated network, the pcap writer)
/// carry the addresses unchanged.
public struct Datagram: Hashable, Sendable {
    /// Where the datagram comes from.
    public var source: TransportAddress
    /// Where it goes.
    public var destination: TransportAddress
    /// The UDP payload.
    public var payload: [UInt8]

    /// Creates a datagram.
    public init(from source: TransportAddress, to destination: TransportAddress, payload: [UInt8]) {
        self.source = source
        self.destination = destination
        self.payload = payload
    }
}
