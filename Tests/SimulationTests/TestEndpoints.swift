import Simulation
import Wire

/// Answers every datagram with the same payload, back to its sender.
struct EchoEndpoint: DatagramEndpoint {
    enum Event: Equatable { case echoed(from: TransportAddress, bytes: Int) }
    private var outputs: [EndpointOutput<Event>] = []

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input else { return }
        outputs.append(.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: datagram.payload)))
        outputs.append(.event(.echoed(from: datagram.source, bytes: datagram.payload.count)))
    }

    mutating func poll() -> EndpointOutput<Event>? { outputs.isEmpty ? nil : outputs.removeFirst() }

    var nextTimeout: Instant? { nil }
}

/// Sends `count` numbered pings, one every `interval` from `start`, and reports each
/// datagram it receives with the sequence number it carries.
struct Pinger: DatagramEndpoint {
    enum Event: Equatable { case received(sequence: Int) }
    let local: TransportAddress
    let remote: TransportAddress
    let interval: Duration
    let count: Int
    var payloadSize = 8
    private(set) var sent = 0
    private var due: Instant?
    private var outputs: [EndpointOutput<Event>] = []

    init(from local: TransportAddress, to remote: TransportAddress, start: Instant = .zero,
         interval: Duration, count: Int, payloadSize: Int = 8) {
        self.local = local
        self.remote = remote
        self.interval = interval
        self.count = count
        self.payloadSize = max(payloadSize, 4)
        due = count > 0 ? start : nil
    }

    mutating func handle(_ input: EndpointInput) {
        switch input {
        case let .datagram(datagram, _):
            outputs.append(.event(.received(sequence: Self.sequence(of: datagram.payload))))
        case let .timeout(now):
            guard let due, now >= due else { return }
            let sequence = UInt32(sent)
            var payload = [UInt8(sequence >> 24), UInt8(sequence >> 16 & 0xFF), UInt8(sequence >> 8 & 0xFF),
                           UInt8(sequence & 0xFF)]
            payload += [UInt8](repeating: 0xAB, count: payloadSize - 4)
            outputs.append(.transmit(Datagram(from: local, to: remote, payload: payload)))
            sent += 1
            self.due = sent < count ? due + interval : nil
        }
    }

    mutating func poll() -> EndpointOutput<Event>? { outputs.isEmpty ? nil : outputs.removeFirst() }

    var nextTimeout: Instant? { due }

    static func sequence(of payload: [UInt8]) -> Int {
        guard payload.count >= 4 else { return -1 }
        return payload[0..<4].reduce(0) { $0 << 8 | Int($1) }
    }
}

/// Records every timeout it is woken with; asks for wake-ups at the listed instants.
struct AlarmClock: DatagramEndpoint {
    enum Event: Equatable { case woke(Instant) }
    var alarms: [Instant]
    private var outputs: [EndpointOutput<Event>] = []

    init(alarms: [Instant]) { self.alarms = alarms.sorted() }

    mutating func handle(_ input: EndpointInput) {
        guard case let .timeout(now) = input else { return }
        outputs.append(.event(.woke(now)))
        alarms.removeAll { $0 <= now }
    }

    mutating func poll() -> EndpointOutput<Event>? { outputs.isEmpty ? nil : outputs.removeFirst() }

    var nextTimeout: Instant? { alarms.first }
}

/// Sends whatever it is told to, when told to (via `SimulatedNetwork.modify/schedule`).
struct Sender: DatagramEndpoint {
    typealias Event = Never
    var outbox: [Datagram] = []

    mutating func send(_ datagram: Datagram) { outbox.append(datagram) }

    mutating func handle(_ input: EndpointInput) {}

    mutating func poll() -> EndpointOutput<Never>? { outbox.isEmpty ? nil : .transmit(outbox.removeFirst()) }

    var nextTimeout: Instant? { nil }
}

extension TransportAddress {
    /// Test shorthand for literals known to be valid: `TransportAddress("10.0.0.1:5000")`.
    init(_ text: String) { try! self.init(parsing: text) }
}

extension IPAddress {
    /// Test shorthand for literals known to be valid.
    init(literal text: String) { self = IPAddress(text)! }
}
