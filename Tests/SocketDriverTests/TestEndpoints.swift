import Wire

/// Answers every datagram with the same payload back to its sender.
struct EchoEndpoint: DatagramEndpoint {
    typealias Event = Int
    var outputs: [EndpointOutput<Int>] = []
    var echoed = 0

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input else { return }
        echoed += 1
        outputs.append(.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: datagram.payload)))
        outputs.append(.event(echoed))
    }

    mutating func poll() -> EndpointOutput<Int>? { outputs.isEmpty ? nil : outputs.removeFirst() }
    var nextTimeout: Instant? { nil }
}

/// Sends numbered pings to `peer` and reports each reply; queues its first ping at creation.
struct PingEndpoint: DatagramEndpoint {
    enum Event: Equatable { case reply(UInt8) }
    let local: TransportAddress
    let peer: TransportAddress
    var outputs: [EndpointOutput<Event>] = []

    init(local: TransportAddress, peer: TransportAddress, count: UInt8) {
        self.local = local
        self.peer = peer
        for index in 0..<count { outputs.append(.transmit(Datagram(from: local, to: peer, payload: [0xAB, index]))) }
    }

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input, datagram.payload.count == 2 else { return }
        outputs.append(.event(.reply(datagram.payload[1])))
    }

    mutating func poll() -> EndpointOutput<Event>? { outputs.isEmpty ? nil : outputs.removeFirst() }
    var nextTimeout: Instant? { nil }
}

/// Reports `.timeout` once at `due`: checks that the loop honours `nextTimeout`.
struct AlarmEndpoint: DatagramEndpoint {
    var due: Instant?
    var firedAt: Instant?
    var pending = false

    mutating func handle(_ input: EndpointInput) {
        guard case let .timeout(now) = input, let due, now >= due else { return }
        firedAt = now
        self.due = nil
        pending = true
    }

    mutating func poll() -> EndpointOutput<Instant>? {
        guard pending, let firedAt else { return nil }
        pending = false
        return .event(firedAt)
    }

    var nextTimeout: Instant? { due }
}
