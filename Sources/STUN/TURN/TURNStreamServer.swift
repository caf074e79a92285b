import Wire

/// A `TURNServer` that also takes clients over TCP (RFC 8656 §3.1), sans-IO.
///
/// The listening addresses in `streamListeners` are stream ports: what arrives
/// there is a chunk of a client's byte stream, not a datagram. Each client
/// connection (client address, listener) gets its own `TURNStreamFramer`, and
/// the inner server sees whole messages exactly as it would over UDP. Going the
/// other way, ChannelData to a stream client is padded to 4 bytes (§12.5: over
/// TCP the padding is mandatory, so the client's framer stays aligned). Relayed
/// addresses stay UDP: a peer never knows the client came over TCP.
///
/// A connection whose bytes cannot be framed is dropped (its framer forgotten,
/// a `.dropped` event says why); a later chunk from it starts a new stream. The
/// simulation has no connection teardown, so the allocation itself lives on
/// until it expires rather than dying with the connection as on a real server.
public struct TURNStreamServer: DatagramEndpoint {
    /// The events this endpoint reports: the inner server's, plus framing drops.
    public typealias Event = TURNServerEvent

    private struct Connection: Hashable {
        var client: TransportAddress
        var listener: TransportAddress
    }

    /// The wrapped server (allocations, permissions, channels).
    public private(set) var server: TURNServer
    /// The addresses that speak TCP; every other listening address stays UDP.
    public let streamListeners: Set<TransportAddress>
    private var framers: [Connection: TURNStreamFramer] = [:]
    private var outputs = OutputQueue<Event>()

    /// Wraps `server`; clients reaching any of `streamListeners` are stream clients.
    public init(_ server: TURNServer, streamListeners: Set<TransportAddress>) {
        self.server = server
        self.streamListeners = streamListeners
    }

    /// Stream connections with a live framer.
    public var streamConnectionCount: Int { framers.count }

    /// Feeds a datagram (a stream chunk when it arrives on a stream listener) or a timeout.
    public mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, now) = input, streamListeners.contains(datagram.destination) else {
            return server.handle(input)
        }
        let connection = Connection(client: datagram.source, listener: datagram.destination)
        var framer = framers[connection] ?? TURNStreamFramer()
        var frames: [[UInt8]] = []
        do {
            try framer.append(datagram.payload)
            while let frame = try framer.nextFrame() { frames.append(frame) }
            framers[connection] = framer
        } catch {
            framers[connection] = nil
            outputs.emit(.dropped(from: datagram.source, to: datagram.destination,
                                  reason: "TCP connection dropped: \(error)"))
        }
        for frame in frames {
            server.handle(.datagram(Datagram(from: datagram.source, to: datagram.destination, payload: frame), at: now))
        }
    }

    /// The next output: framing drops first, then the server's, ChannelData to stream clients padded.
    public mutating func poll() -> EndpointOutput<Event>? {
        if let own = outputs.pop() { return own }
        guard let output = server.poll() else { return nil }
        guard case var .transmit(datagram) = output, streamListeners.contains(datagram.source),
              DemuxedProtocol.classify(datagram.payload) == .turnChannel else { return output }
        let padding = (4 - datagram.payload.count % 4) % 4
        datagram.payload += [UInt8](repeating: 0, count: padding)
        return .transmit(datagram)
    }

    /// The inner server's next expiry.
    public var nextTimeout: Instant? { server.nextTimeout }
}
