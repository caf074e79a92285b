import Wire
@testable import STUN

/// Outputs of one endpoint call, split into datagrams and events.
struct Drained<Event> {
    var datagrams: [Datagram] = []
    var events: [Event] = []
}

extension DatagramEndpoint {
    /// Feeds one input and drains `poll()` until nil.
    mutating func feed(_ input: EndpointInput) -> Drained<Event> {
        handle(input)
        return drain()
    }

    /// Drains `poll()` until nil.
    mutating func drain() -> Drained<Event> {
        var result = Drained<Event>()
        while let output = poll() {
            switch output {
            case let .transmit(datagram): result.datagrams.append(datagram)
            case let .event(event): result.events.append(event)
            }
        }
        return result
    }
}

enum Addresses {
    static let client = TransportAddress(.v4(127, 0, 0, 1), 50000)
    static let server = TransportAddress(.v4(127, 0, 0, 1), 3478)
    static let stranger = TransportAddress(.v4(127, 0, 0, 9), 3478)
}

extension DissectedField {
    /// Depth-first search by name.
    func find(_ name: String) -> DissectedField? {
        if self.name == name { return self }
        for child in children { if let found = child.find(name) { return found } }
        return nil
    }

    /// All nodes, depth first.
    var all: [DissectedField] { [self] + children.flatMap(\.all) }
}
