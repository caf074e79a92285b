/// The FIFO of outputs a sans-IO endpoint hands out through `poll()`.
///
/// Every layer queues transmits and events while it handles an input, then the
/// driver drains them in order. Reading by index (instead of `removeFirst`)
/// keeps draining O(1); the storage is reset, keeping its capacity, once the
/// queue is empty so it never grows across a long run.
public struct OutputQueue<Event> {
    private var items = FIFO<EndpointOutput<Event>>()

    /// Creates an empty queue.
    public init() {}

    /// True when nothing is waiting.
    public var isEmpty: Bool { items.isEmpty }

    /// Queues a datagram to transmit.
    public mutating func transmit(_ datagram: Datagram) { items.append(.transmit(datagram)) }

    /// Queues an event.
    public mutating func emit(_ event: Event) { items.append(.event(event)) }

    /// Queues any output.
    public mutating func append(_ output: EndpointOutput<Event>) { items.append(output) }

    /// The oldest output, or nil when drained: what `DatagramEndpoint.poll()` returns.
    public mutating func pop() -> EndpointOutput<Event>? { items.pop() }
}

extension OutputQueue: Sendable where Event: Sendable {}
