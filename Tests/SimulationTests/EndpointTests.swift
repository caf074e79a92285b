import Simulation
import Testing
import Wire

@Suite("endpoints, timers and addressing")
struct EndpointTests {
    let host = IPAddress(literal: "10.0.0.1")

    @Test("timeouts arrive at exactly nextTimeout, not a nanosecond later")
    func exactTimeouts() throws {
        let network = SimulatedNetwork(seed: 1)
        try network.addHost("h", addresses: [host])
        let alarms: [Instant] = [.milliseconds(250), .seconds(1), .seconds(1) + .nanoseconds(1), .seconds(59)]
        let clock = try network.attach(AlarmClock(alarms: alarms), at: TransportAddress(host, 1))
        network.run(until: .seconds(60))
        #expect(network.events(of: clock).map(\.time) == alarms)
        #expect(network.events(of: clock).map(\.value) == alarms.map { .woke($0) })
        #expect(network.now == .seconds(60))
    }

    @Test("a re-armed timer supersedes the old one: no stale wake-up")
    func rearm() throws {
        let network = SimulatedNetwork(seed: 1)
        try network.addHost("h", addresses: [host])
        let clock = try network.attach(AlarmClock(alarms: [.milliseconds(500)]), at: TransportAddress(host, 1))
        network.run(until: .milliseconds(100))
        network.modify(clock) { clock, _ in clock.alarms = [.milliseconds(200)] }
        network.schedule(at: .milliseconds(300), on: clock) { clock, now in clock.alarms = [now + .milliseconds(50)] }
        network.run(until: .seconds(1))
        #expect(network.events(of: clock).map(\.time) == [.milliseconds(200), .milliseconds(350)])
    }

    @Test("an endpoint that keeps asking for a timeout in the past cannot hang the run")
    func stuckTimer() throws {
        struct Stuck: DatagramEndpoint {
            var wakeups = 0
            mutating func handle(_ input: EndpointInput) { wakeups += 1 }
            mutating func poll() -> EndpointOutput<Never>? { nil }
            var nextTimeout: Instant? { .zero }
        }
        let network = SimulatedNetwork(seed: 1)
        try network.addHost("h", addresses: [host])
        let stuck = try network.attach(Stuck(), at: TransportAddress(host, 1))
        network.run(until: .seconds(1))
        #expect(network.endpoint(stuck).wakeups == 1)
        #expect(network.diagnostics.count == 1)
    }

    @Test("datagrams to an unknown address, an unbound port or from an unbound source are dropped")
    func undeliverable() throws {
        let network = SimulatedNetwork(seed: 1)
        try network.addHost("alice", addresses: [host])
        try network.addHost("bob", addresses: [IPAddress(literal: "10.0.0.2")])
        let me = TransportAddress("10.0.0.1:5000")
        let echo = try network.attach(EchoEndpoint(), at: TransportAddress("10.0.0.2:7000"))
        let sender = try network.attach(Sender(), at: me)
        network.modify(sender) { sender, _ in
            sender.send(Datagram(from: me, to: TransportAddress("198.51.100.9:7000"), payload: [1]))
            sender.send(Datagram(from: me, to: TransportAddress("10.0.0.2:7001"), payload: [2]))
            sender.send(Datagram(from: TransportAddress("10.0.0.1:5001"), to: TransportAddress("10.0.0.2:7000"),
                                 payload: [3]))
        }
        network.run(until: .seconds(1))
        // Unroutable and unbound-source datagrams die at the sender; the unbound port is only
        // discovered when the datagram reaches bob's host (same instant, later event).
        #expect(network.trace.drops().map(\.dropReason) == [.noRoute, .sourceNotBound, .noListener])
        #expect(network.trace.deliveries().isEmpty)
        #expect(network.events(of: echo).isEmpty)
    }

    @Test("an endpoint attached at several addresses hears on all of them and may send from any")
    func multihomed() throws {
        let network = SimulatedNetwork(seed: 1)
        let v6 = IPAddress(literal: "2001:db8::1")
        let server = try network.addHost("server", addresses: [host, v6])
        try network.addHost("client", addresses: [IPAddress(literal: "10.0.0.9"), IPAddress(literal: "2001:db8::9")])
        let echo = try network.attach(EchoEndpoint(), on: server,
                                      at: [TransportAddress(host, 3478), TransportAddress(v6, 3478)])
        let four = try network.attach(Pinger(from: TransportAddress("10.0.0.9:1"), to: TransportAddress(host, 3478),
                                             interval: .seconds(1), count: 1), at: TransportAddress("10.0.0.9:1"))
        let six = try network.attach(Pinger(from: TransportAddress("[2001:db8::9]:1"), to: TransportAddress(v6, 3478),
                                            interval: .seconds(1), count: 1), at: TransportAddress("[2001:db8::9]:1"))
        network.run(until: .seconds(1))
        #expect(network.events(of: echo).count == 2)
        #expect(network.events(of: four).count == 1)
        #expect(network.events(of: six).count == 1)
    }

    @Test("an endpoint can bind and release addresses while the network runs")
    func bindAndUnbind() throws {
        let network = SimulatedNetwork(seed: 1)
        let server = try network.addHost("server", addresses: [host])
        try network.addHost("client", addresses: [IPAddress(literal: "10.0.0.9")])
        let echo = try network.attach(EchoEndpoint(), on: server, at: [TransportAddress(host, 3478)])
        let relay = TransportAddress(host, 50_000)
        try network.bind(echo, to: relay)
        #expect(throws: SimulationError.self) { try network.bind(echo, to: relay) }
        #expect(network.addresses(of: echo) == [TransportAddress(host, 3478), relay])
        let client = TransportAddress("10.0.0.9:1")
        let pinger = try network.attach(Pinger(from: client, to: relay, interval: .seconds(1), count: 2), at: client)
        network.run(until: .milliseconds(500))
        network.unbind(echo, from: relay)
        network.run(until: .seconds(2))
        #expect(network.events(of: pinger).map(\.time) == [.zero])
        #expect(network.trace.drops().map(\.dropReason) == [.noListener])
    }

    @Test("API misuse is a typed error with a code")
    func misuse() throws {
        let network = SimulatedNetwork(seed: 1)
        let alice = try network.addHost("alice", addresses: [host])
        func error(_ code: SimulationError.Code, _ body: () throws -> Void) {
            let thrown = #expect(throws: SimulationError.self) { try body() }
            #expect(thrown?.code == code)
        }
        error(.duplicateName) { try network.addHost("alice", addresses: [IPAddress(literal: "10.0.0.5")]) }
        error(.addressInUse) { try network.addHost("bob", addresses: [host]) }
        error(.noAddress) { try network.addHost("carol", addresses: []) }
        error(.addressNotOnHost) { _ = try network.attach(EchoEndpoint(), on: alice, at: [TransportAddress("10.9.9.9:1")]) }
        _ = try network.attach(EchoEndpoint(), on: alice, at: [TransportAddress(host, 1)])
        error(.portInUse) { _ = try network.attach(EchoEndpoint(), on: alice, at: [TransportAddress(host, 1)]) }
        error(.unknownNode) { try network.setLink(from: "alice", to: "nobody", .perfect) }
        // A failed call leaves nothing behind: the name "bob" is still free.
        try network.addHost("bob", addresses: [IPAddress(literal: "10.0.0.2")])
    }

    @Test("the event queue pops by time, and in insertion order at equal times")
    func eventQueueOrder() {
        var queue = EventQueue<Int>()
        var random = SplitMix64(seed: 5)
        var expected: [(Int64, Int)] = []
        for label in 0..<500 {
            let time = Int64(random.next() % 20)
            queue.push(label, at: .milliseconds(time))
            expected.append((time, label))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var popped: [Int] = []
        while let entry = queue.pop() { popped.append(entry.payload) }
        #expect(popped == expected.map(\.1))
        #expect(queue.isEmpty)
    }
}
