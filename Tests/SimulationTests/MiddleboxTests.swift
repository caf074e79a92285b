import Simulation
import Testing
import Wire

/// A one-host static NAT, only to prove the hook can rewrite, route by external
/// address and keep time-stamped state (real NAT boxes arrive in the ICE slice).
struct StaticRewriter: Middlebox {
    let publicIP: IPAddress
    let privateIP: IPAddress
    var lastSeen: [MiddleboxDirection: Instant] = [:]

    var externalAddresses: [IPAddress] { [publicIP] }

    mutating func process(_ datagram: Datagram, _ direction: MiddleboxDirection,
                          context: inout MiddleboxContext) -> MiddleboxVerdict {
        lastSeen[direction] = context.now
        var rewritten = datagram
        switch direction {
        case .outbound: rewritten.source.ip = publicIP
        case .inbound: rewritten.destination.ip = privateIP
        }
        return .forward(rewritten)
    }
}

/// A broken box that sends everything back where it came from: a routing loop.
struct Reflector: Middlebox {
    var externalAddresses: [IPAddress] { [IPAddress(literal: "203.0.113.99")] }
    mutating func process(_ datagram: Datagram, _ direction: MiddleboxDirection,
                          context: inout MiddleboxContext) -> MiddleboxVerdict { .forward(datagram) }
}

@Suite("middlebox hook")
struct MiddleboxTests {
    let server = TransportAddress("198.51.100.1:5000")
    let blocked = TransportAddress("198.51.100.1:3478")
    let alice = TransportAddress("192.168.1.2:4000")

    @Test("a port-blocking firewall drops and counts in both directions, passes the rest")
    func firewallPorts() throws {
        let network = SimulatedNetwork(seed: 1, conditions: .delay(.milliseconds(10)))
        let lan = try network.addRealm(behind: "fw", middlebox: UDPFirewall(policy: .blockPorts([3478])))
        let inside = try network.addHost("alice", addresses: [alice.ip], in: lan)
        try network.addHost("server", addresses: [server.ip])
        _ = try network.attach(EchoEndpoint(), at: server)
        _ = try network.attach(EchoEndpoint(), at: blocked)
        let ok = try network.attach(Pinger(from: alice, to: server, interval: .seconds(1), count: 2), on: inside, at: [alice])
        let bad = try network.attach(Pinger(from: TransportAddress("192.168.1.2:4001"), to: blocked, interval: .seconds(1),
                                            count: 2), on: inside, at: [TransportAddress("192.168.1.2:4001")])
        network.run(until: .seconds(5))
        #expect(network.events(of: ok).count == 2)
        #expect(network.events(of: bad).isEmpty)
        #expect(network.trace.drops().map(\.dropReason)
            == Array(repeating: .middlebox(name: "fw", reason: "UDP port 3478 blocked"), count: 2))
        let counters = try #require(network.middlebox(of: lan, as: UDPFirewall.self)).counters
        #expect(counters.forwardedOutbound == 2 && counters.forwardedInbound == 2)
        #expect(counters.droppedOutbound == 2 && counters.droppedInbound == 0)
        // A LAN default of "perfect" plus a 10 ms internet: the round trip is 20 ms.
        #expect(network.events(of: ok).map(\.time) == [.milliseconds(20), .milliseconds(1020)])
    }

    @Test("a firewall blocking all UDP stops traffic both ways; the box is transparent for routing")
    func firewallBlocksAll() throws {
        let network = SimulatedNetwork(seed: 1)
        let lan = try network.addRealm(behind: "fw", middlebox: UDPFirewall.blockingAllUDP)
        let inside = try network.addHost("alice", addresses: [alice.ip], in: lan)
        try network.addHost("server", addresses: [server.ip])
        _ = try network.attach(EchoEndpoint(), on: inside, at: [alice])
        let probe = try network.attach(Pinger(from: server, to: alice, interval: .seconds(1), count: 1), at: server)
        network.run(until: .seconds(2))
        #expect(network.events(of: probe).isEmpty)
        let drop = try #require(network.trace.drops().first)
        #expect(drop.dropReason == .middlebox(name: "fw", reason: "UDP port 5000 blocked"))
        guard case let .dropped(_, _, at, hop) = drop.event else { Issue.record("not a drop"); return }
        #expect(at == "fw" && hop?.from == "server")  // routed to the box by alice's own address
        #expect(network.middlebox(of: lan, as: UDPFirewall.self)?.counters.droppedInbound == 1)
    }

    @Test("a rewriting middlebox sees the current time; private addresses stay unroutable from outside")
    func rewriting() throws {
        let network = SimulatedNetwork(seed: 1, conditions: .delay(.milliseconds(30)))
        let publicIP = IPAddress(literal: "203.0.113.7")
        let lan = try network.addRealm(behind: "nat", middlebox: StaticRewriter(publicIP: publicIP, privateIP: alice.ip),
                                       conditions: .delay(.milliseconds(2)))
        let inside = try network.addHost("alice", addresses: [alice.ip], in: lan)
        try network.addHost("server", addresses: [server.ip])
        let echo = try network.attach(EchoEndpoint(), at: server)
        let pinger = try network.attach(Pinger(from: alice, to: server, interval: .seconds(1), count: 1),
                                        on: inside, at: [alice])
        let stranger = try network.attach(Pinger(from: TransportAddress("198.51.100.1:6000"), to: alice,
                                                 interval: .seconds(1), count: 1), at: TransportAddress("198.51.100.1:6000"))
        network.run(until: .seconds(1))
        #expect(network.events(of: echo).map(\.value) == [.echoed(from: TransportAddress(publicIP, 4000), bytes: 8)])
        #expect(network.events(of: pinger).map(\.time) == [.milliseconds(64)])  // 2 + 30 + 30 + 2
        #expect(network.events(of: stranger).isEmpty)
        #expect(network.trace.drops().map(\.dropReason) == [.noRoute])
        let box = try #require(network.middlebox(of: lan, as: StaticRewriter.self))
        #expect(box.lastSeen == [.outbound: .milliseconds(2), .inbound: .milliseconds(62)])
    }

    @Test("two private realms may reuse the same private address; hairpinning needs no special case")
    func addressReuseAndHairpin() throws {
        let network = SimulatedNetwork(seed: 1, conditions: .delay(.milliseconds(10)))
        let publicA = IPAddress(literal: "203.0.113.1"), publicB = IPAddress(literal: "203.0.113.2")
        let lanA = try network.addRealm(behind: "nat-a", middlebox: StaticRewriter(publicIP: publicA, privateIP: alice.ip))
        let lanB = try network.addRealm(behind: "nat-b", middlebox: StaticRewriter(publicIP: publicB, privateIP: alice.ip))
        let hostA = try network.addHost("a", addresses: [alice.ip], in: lanA)
        let hostB = try network.addHost("b", addresses: [alice.ip], in: lanB)
        #expect(throws: SimulationError.self) { _ = try network.attach(EchoEndpoint(), at: alice) }  // ambiguous
        let echo = try network.attach(EchoEndpoint(), on: hostB, at: [alice])
        let pinger = try network.attach(Pinger(from: TransportAddress("192.168.1.2:9"), to: TransportAddress(publicB, 4000),
                                               interval: .seconds(1), count: 1), on: hostA, at: [TransportAddress("192.168.1.2:9")])
        let self_ = try network.attach(Pinger(from: TransportAddress("192.168.1.2:10"), to: TransportAddress(publicB, 10),
                                              interval: .seconds(1), count: 1), on: hostB, at: [TransportAddress("192.168.1.2:10")])
        network.run(until: .seconds(1))
        #expect(network.events(of: echo).map(\.value) == [.echoed(from: TransportAddress(publicA, 9), bytes: 8)])
        #expect(network.events(of: pinger).map(\.time) == [.milliseconds(20)])
        // b pings its own public address: out through nat-b, back in through nat-b.
        #expect(network.events(of: self_).map(\.time) == [.zero])
    }

    @Test("a middlebox routing loop ends with a hop-limit drop")
    func hopLimit() throws {
        let network = SimulatedNetwork(seed: 1)
        try network.addRealm(behind: "mirror", middlebox: Reflector())
        try network.addHost("server", addresses: [server.ip])
        let probe = try network.attach(Pinger(from: server, to: TransportAddress("203.0.113.99:1"),
                                              interval: .seconds(1), count: 1), at: server)
        network.run(until: .seconds(1))
        #expect(network.events(of: probe).isEmpty)
        #expect(network.trace.drops().map(\.dropReason) == [.hopLimit])
    }
}
