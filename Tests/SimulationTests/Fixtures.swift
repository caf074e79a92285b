import Simulation
import Wire

/// Two public hosts: alice (10.0.0.1) pings bob (10.0.0.2), whose echo answers.
struct PingEcho {
    let network: SimulatedNetwork
    let alice = TransportAddress("10.0.0.1:5000")
    let bob = TransportAddress("10.0.0.2:7000")
    let pinger: EndpointHandle<Pinger>
    let echo: EndpointHandle<EchoEndpoint>

    init(seed: UInt64, conditions: LinkConditions = .perfect, back: LinkConditions? = nil,
         interval: Duration = .milliseconds(10), count: Int, payloadSize: Int = 8) throws {
        network = SimulatedNetwork(seed: seed, conditions: conditions)
        let aliceHost = try network.addHost("alice", addresses: [alice.ip])
        let bobHost = try network.addHost("bob", addresses: [bob.ip])
        if let back { try network.setLink(from: "bob", to: "alice", back) }
        pinger = try network.attach(Pinger(from: alice, to: bob, interval: interval, count: count,
                                           payloadSize: payloadSize), on: aliceHost, at: [alice])
        echo = try network.attach(EchoEndpoint(), on: bobHost, at: [bob])
    }

    /// Sequence numbers bob received, in arrival order.
    var arrivalsAtBob: [Int] { network.trace.deliveries(to: bob).map { Pinger.sequence(of: $0.datagram.payload) } }

    /// One-way latencies of the datagrams delivered to bob.
    var latenciesToBob: [Duration] {
        network.trace.deliveries(to: bob).compactMap { entry in
            guard case let .delivered(_, hop) = entry.event else { return nil }
            return entry.time - hop.departed
        }
    }
}
