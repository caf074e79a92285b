/// What a sans-IO endpoint is fed: a datagram that arrived, or the news that
/// time has passed. Both carry the current time: layers never read a clock.
public enum EndpointInput: Sendable {
    /// A datagram arrived at `at`.
    case datagram(Datagram, at: Instant)
    /// The time is now `Instant` (at or after the endpoint's `nextTimeout`).
    case timeout(Instant)

    /// The time this input carries.
    public var now: Instant {
        switch self {
        case let .datagram(_, at): return at
        case let .timeout(at): return at
        }
    }
}

/// What a sans-IO endpoint is drained of.
public enum EndpointOutput<Event> {
    /// A datagram for the driver to send.
    case transmit(Datagram)
    /// Something that happened, for the layer above or the application.
    case event(Event)
}

extension EndpointOutput: Sendable where Event: Sendable {}

/// The shape every datagram-level protocol layer keeps (ARCHITECTURE.md).
///
/// After every `handle(_:)` the caller drains `poll()` until it returns nil,
/// then sleeps until `nextTimeout` (or the next datagram) and calls
/// `handle(.timeout(now))`. Drivers and the simulated network only know this
/// protocol, which is why one layer runs unchanged over real UDP and in
/// virtual time.
public protocol DatagramEndpoint {
    /// The events this endpoint reports.
    associatedtype Event
    /// Feeds one input.
    mutating func handle(_ input: EndpointInput)
    /// Returns the next output, or nil when drained.
    mutating func poll() -> EndpointOutput<Event>?
    /// When the endpoint next needs `.timeout`, or nil if it has no timer armed.
    var nextTimeout: Instant? { get }
}
