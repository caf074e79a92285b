import Wire

/// A plain UDP peer behind the relay: records what arrives and answers "echo:" + payload.
struct EchoPeer: DatagramEndpoint {
    typealias Event = Datagram
    let localAddress: TransportAddress
    private var outputs = OutputQueue<Datagram>()

    init(localAddress: TransportAddress) { self.localAddress = localAddress }

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input else { return }
        outputs.emit(datagram)
        outputs.transmit(Datagram(from: localAddress, to: datagram.source, payload: Array("echo:".utf8) + datagram.payload))
    }

    mutating func poll() -> EndpointOutput<Datagram>? { outputs.pop() }
    var nextTimeout: Instant? { nil }
}

/// Collects events from the loop's callbacks (a class: the callbacks capture it).
final class Recorder<Event> {
    var items: [(event: Event, at: Instant)] = []
    func record(_ event: Event, _ at: Instant) { items.append((event, at)) }
}
