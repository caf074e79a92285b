import Simulation
import Testing
import Wire

/// `SimulatedNetwork.carryAsStream`: traffic to and from a service address is
/// a TCP stream (RFC 8656 §3.1's TURN over TCP): UDP filters pass it, loss and
/// duplication do not touch it, and its segments keep their order.
@Suite("stream services: TCP through a UDP-blocking firewall, reliable and in order")
struct StreamServiceTests {
    let alice = TransportAddress("203.0.113.10:5000")
    let udpService = TransportAddress("192.0.2.2:3478")
    let tcpService = TransportAddress("192.0.2.2:443")

    @Test("behind a firewall dropping all UDP, the UDP service is unreachable and the TCP one answers")
    func firewallPassesStreams() throws {
        let network = SimulatedNetwork(seed: 1, conditions: .delay(.milliseconds(10)))
        network.carryAsStream(tcpService)
        let lan = try network.addRealm(behind: "fw", middlebox: UDPFirewall.blockingAllUDP)
        let inside = try network.addHost("alice", addresses: [alice.ip], in: lan)
        let server = try network.addHost("server", addresses: [udpService.ip])
        _ = try network.attach(EchoEndpoint(), on: server, at: [udpService, tcpService])
        let overUDP = try network.attach(Pinger(from: alice, to: udpService, interval: .seconds(1), count: 2), on: inside, at: [alice])
        let tcpClient = TransportAddress("203.0.113.10:5001")
        let overTCP = try network.attach(Pinger(from: tcpClient, to: tcpService, interval: .seconds(1), count: 2),
                                         on: inside, at: [tcpClient])
        network.run(until: .seconds(5))
        #expect(network.events(of: overUDP).isEmpty)
        #expect(network.events(of: overTCP).map(\.value) == [.received(sequence: 0), .received(sequence: 1)])
        #expect(network.trace.drops().map(\.dropReason)
            == Array(repeating: .middlebox(name: "fw", reason: "UDP port 3478 blocked"), count: 2))
        // The firewall counts UDP only: stream segments pass uncounted.
        let counters = try #require(network.middlebox(of: lan, as: UDPFirewall.self)).counters
        #expect(counters.droppedOutbound == 2 && counters.forwardedOutbound == 0 && counters.forwardedInbound == 0)
        #expect(network.streamServiceAddresses == [tcpService])
    }

    @Test("on a lossy, jittery, duplicating, reordering link stream segments all arrive, once, in order; UDP does not")
    func reliableAndOrdered() throws {
        let bad = LinkConditions(delay: .milliseconds(20), jitter: .milliseconds(30), loss: 0.3, duplication: 0.2,
                                 reordering: 0.3, reorderingDelay: .milliseconds(50))
        let network = SimulatedNetwork(seed: 9, conditions: bad)
        network.carryAsStream(tcpService)
        try network.addHost("alice", addresses: [alice.ip])
        try network.addHost("server", addresses: [tcpService.ip])
        _ = try network.attach(EchoEndpoint(), at: tcpService)
        _ = try network.attach(EchoEndpoint(), at: udpService)
        let tcpClient = TransportAddress("203.0.113.10:5001")
        let overTCP = try network.attach(Pinger(from: tcpClient, to: tcpService, interval: .milliseconds(2), count: 200), at: tcpClient)
        let overUDP = try network.attach(Pinger(from: alice, to: udpService, interval: .milliseconds(2), count: 200), at: alice)
        network.run(until: .seconds(10))
        #expect(network.events(of: overTCP).map(\.value) == (0..<200).map { .received(sequence: $0) })
        let udp = network.events(of: overUDP).map(\.value)
        #expect(udp.count < 200 || udp != (0..<200).map { .received(sequence: $0) }, "UDP on this link should suffer")
    }
}
