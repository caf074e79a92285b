import Wire

/// Identifies an endpoint attached to a `SimulatedNetwork` and remembers its type, so
/// `events(of:)` and `endpoint(_:)` hand back typed values.
public struct EndpointHandle<Endpoint: DatagramEndpoint>: Hashable, Sendable {
    /// Index in the network's endpoint table.
    public let index: Int
    /// The transport addresses the endpoint was attached at (the first is its primary);
    /// `SimulatedNetwork.addresses(of:)` reflects later `bind`/`unbind` calls.
    public let addresses: [TransportAddress]
    /// The host it lives on.
    public let host: HostID
    /// The network that issued the handle.
    let network: ObjectIdentifier
}

/// A value an endpoint reported, with the virtual time it was drained.
public struct TimedEvent<Value> {
    /// When the network drained it from `poll()`.
    public var time: Instant
    /// The event.
    public var value: Value
    /// Creates a timed event.
    public init(time: Instant, value: Value) {
        self.time = time
        self.value = value
    }
}

extension TimedEvent: Sendable where Value: Sendable {}
extension TimedEvent: Equatable where Value: Equatable {}

/// The type-erased face of an attached endpoint (the network stores many endpoint types).
protocol EndpointSlot: AnyObject {
    /// Position in the network's endpoint table (timer events refer to it).
    var index: Int { get }
    var host: Int { get }
    var addresses: [TransportAddress] { get set }
    /// The instant the network has a live timer event for, if any.
    var armedTimeout: Instant? { get set }
    /// Bumped whenever the armed timer changes; stale queue entries carry old values.
    var timerGeneration: Int { get set }
    var nextTimeout: Instant? { get }
    func handle(_ input: EndpointInput)
    /// Drains `poll()`: records events at `now`, passes datagrams to `transmit`.
    func drain(now: Instant, transmit: (Datagram) -> Void)
}

/// The concrete box around one endpoint value.
final class TypedEndpointSlot<Endpoint: DatagramEndpoint>: EndpointSlot {
    var endpoint: Endpoint
    var events: [TimedEvent<Endpoint.Event>] = []
    let index: Int
    let host: Int
    var addresses: [TransportAddress]
    var armedTimeout: Instant?
    var timerGeneration = 0

    init(_ endpoint: Endpoint, index: Int, host: Int, addresses: [TransportAddress]) {
        self.endpoint = endpoint
        self.index = index
        self.host = host
        self.addresses = addresses
    }

    var nextTimeout: Instant? { endpoint.nextTimeout }

    func handle(_ input: EndpointInput) { endpoint.handle(input) }

    func drain(now: Instant, transmit: (Datagram) -> Void) {
        while let output = endpoint.poll() {
            switch output {
            case let .transmit(datagram): transmit(datagram)
            case let .event(event): events.append(TimedEvent(time: now, value: event))
            }
        }
    }
}
