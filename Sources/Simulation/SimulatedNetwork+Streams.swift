import Wire

/// One direction of one hop of a stream, for keeping its bytes in order.
struct StreamHopKey: Hashable {
    var from: Int
    var to: Int
    var source: TransportAddress
    var destination: TransportAddress
}

extension SimulatedNetwork {
    /// Carries every datagram to or from `service` as a segment of a TCP
    /// connection instead of UDP: a `UDPFirewall` lets it through, link loss
    /// and duplication do not apply (TCP retransmits and de-duplicates), and
    /// segments of one connection never overtake each other on a hop.
    ///
    /// This is how a TURN server's TCP listener (RFC 8656 §3.1) is modelled:
    /// the endpoints exchange stream chunks as datagrams and frame them
    /// themselves; the network supplies what TCP would (order, no loss) and
    /// the one property that matters to ICE, that UDP-only filters pass it.
    /// Connection set-up (the SYN round trip) is not modelled.
    public func carryAsStream(_ service: TransportAddress) {
        streamServices.insert(service)
    }

    /// The service addresses carried as TCP.
    public var streamServiceAddresses: Set<TransportAddress> { streamServices }

    /// True when `datagram` belongs to a stream service (either way).
    func isStreamSegment(_ datagram: Datagram) -> Bool {
        !streamServices.isEmpty && (streamServices.contains(datagram.source) || streamServices.contains(datagram.destination))
    }
}
