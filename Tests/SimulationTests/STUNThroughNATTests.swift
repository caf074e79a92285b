import Simulation
import STUN
import Testing
import Wire

/// The real STUN client and server (Sources/STUN) on the simulated network: a client
/// behind a NAT learns its server-reflexive address, exactly as ICE gathering will.
@Suite("STUN through simulated NATs")
struct STUNThroughNATTests {
    static let client = TransportAddress("192.168.1.2:4000")
    static let serverA = TransportAddress("198.51.100.1:3478")
    static let serverB = TransportAddress("198.51.100.2:3478")

    /// A client at 192.168.1.2:4000 behind `middlebox`, STUN servers A and B on the
    /// internet (10 ms one way); the client asks every server in `ask` at t = 0.
    struct Run {
        let network: SimulatedNetwork
        let realm: RealmID
        let clientHandle: EndpointHandle<STUNClient>

        init(_ middlebox: some Middlebox, asking ask: [TransportAddress],
             client: TransportAddress = STUNThroughNATTests.client) throws {
            network = SimulatedNetwork(seed: 11, conditions: .delay(.milliseconds(10)))
            realm = try network.addRealm(behind: "gateway", middlebox: middlebox)
            for (index, server) in [STUNThroughNATTests.serverA, STUNThroughNATTests.serverB].enumerated() {
                let host = try network.addHost("stun\(index)", addresses: [server.ip])
                var random = SplitMix64(seed: UInt64(100 + index))
                _ = try network.attach(STUNServer(random: &random), on: host, at: [server])
            }
            let home = try network.addHost("client", addresses: [client.ip], in: realm)
            clientHandle = try network.attach(STUNClient(localAddress: client, random: SplitMix64(seed: 12)),
                                              on: home, at: [client])
            network.modify(clientHandle) { client, now in
                for server in ask { client.sendBindingRequest(to: server, at: now) }
            }
            network.run(until: .seconds(60))
        }

        /// (server, XOR-MAPPED-ADDRESS, arrival time) of each success response, in arrival order.
        func reflexive() throws -> [(server: TransportAddress, mapped: TransportAddress?, at: Instant)] {
            try network.events(of: clientHandle).compactMap { event in
                guard case let .responseReceived(response) = event.value else { return nil }
                let xor = try response.message.attribute(XORMappedAddress.self)?.address
                return (response.server, xor, response.receivedAt)
            }
        }
    }

    @Test("behind every NAT preset the server reports the NAT's external address as XOR-MAPPED-ADDRESS",
          arguments: NATConfiguration.presetNames)
    func serverReflexive(preset: String) throws {
        let configuration = try #require(NATConfiguration.preset(named: preset))
        let run = try Run(NATBox(configuration, publicAddress: NATLab.publicIP), asking: [Self.serverA])
        let answers = try run.reflexive()
        #expect(answers.map(\.server) == [Self.serverA])
        #expect(answers.map(\.mapped) == [TransportAddress("203.0.113.5:4000")])
        #expect(answers.map(\.at) == [.milliseconds(20)])  // 10 ms each way, the NAT costs nothing
        #expect(run.network.middlebox(of: run.realm, as: NATBox.self)?.counters.translatedInbound == 1)
    }

    @Test("two servers see one mapped address through cone NATs, two through a symmetric NAT",
          arguments: [("full-cone", [4000, 4000]), ("restricted-cone", [4000, 4000]),
                      ("port-restricted-cone", [4000, 4000]), ("symmetric", [4000, 49152])] as [(String, [UInt16])])
    func twoServers(preset: String, ports: [UInt16]) throws {
        let configuration = try #require(NATConfiguration.preset(named: preset))
        let run = try Run(NATBox(configuration, publicAddress: NATLab.publicIP), asking: [Self.serverA, Self.serverB])
        let answers = try run.reflexive().sorted { $0.server.ip.bytes.lexicographicallyPrecedes($1.server.ip.bytes) }
        #expect(answers.map(\.server) == [Self.serverA, Self.serverB])
        #expect(answers.map(\.mapped) == ports.map { TransportAddress(NATLab.publicIP, $0) })
    }

    @Test("each network edge gives the reflexive address (or silence) the theory predicts",
          arguments: NetworkEdge.allCases)
    func edges(edge: NetworkEdge) throws {
        // Behind a NAT the host is private; in front of an open or blocking edge it is public.
        let client = edge.natConfiguration == nil ? TransportAddress("198.51.100.77:4000") : Self.client
        let run = try Run(edge.middlebox(publicAddress: NATLab.publicIP), asking: [Self.serverA], client: client)
        let expected: [TransportAddress?]
        switch edge {
        case .open: expected = [client]
        case .udpBlocked: expected = []
        case .fullCone, .restrictedCone, .portRestrictedCone, .symmetric: expected = [TransportAddress("203.0.113.5:4000")]
        }
        let mapped = try run.reflexive().map(\.mapped)
        #expect(mapped == expected)
        #expect(NetworkEdge(rawValue: edge.description) == edge)
    }

    @Test("a firewall blocking UDP makes the Binding transaction time out at exactly 39.5 s")
    func blockedUDP() throws {
        let run = try Run(UDPFirewall.blockingAllUDP, asking: [Self.serverA])
        let events = run.network.events(of: run.clientHandle)
        let answers = try run.reflexive()
        #expect(answers.isEmpty)
        let timeouts = events.compactMap { event -> (Int, Instant, Instant)? in
            guard case let .timedOut(_, transmissions, at) = event.value else { return nil }
            return (transmissions, at, event.time)
        }
        #expect(timeouts.count == 1)
        #expect(timeouts.first?.0 == 7)
        #expect(timeouts.first?.1 == .milliseconds(39_500) && timeouts.first?.2 == .milliseconds(39_500))
        // RFC 8489 §6.2.1: sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, each dropped at the firewall.
        let drops = run.network.trace.drops()
        #expect(drops.map(\.time) == [0, 500, 1500, 3500, 7500, 15500, 31500].map { Instant.milliseconds($0) })
        #expect(Set(drops.map(\.dropReason)) == [.middlebox(name: "gateway", reason: "UDP port 3478 blocked")])
    }
}
