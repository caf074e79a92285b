import Simulation
import STUN
import Testing
import Wire

/// The real TURN client (Sources/STUN/TURN) behind a symmetric NAT allocates on
/// the simulated TURN server on the public internet and exchanges data with a
/// public peer through the relay, in virtual time with exact timings.
@Suite("TURN through a symmetric NAT")
struct TURNThroughNATTests {
    static let client = TransportAddress("192.168.1.2:4000")
    static let server = TransportAddress("198.51.100.1:3478")
    static let peer = TransportAddress("198.51.100.9:5000")
    static let stranger = TransportAddress("198.51.100.66:5000")
    static let relayed = TransportAddress("198.51.100.1:49152")
    static let mapped = TransportAddress("203.0.113.5:4000")

    /// Client behind a symmetric NAT (LAN: instant), server, peer (an echo) and a
    /// stranger on the internet, 10 ms one way between any two public nodes.
    struct Lab {
        let network: SimulatedNetwork
        let turn: EndpointHandle<TURNServer>
        let alice: EndpointHandle<TURNClient>
        let echo: EndpointHandle<EchoEndpoint>

        init(bindingRelayPool: Bool, seed: UInt64 = 21, conditions: LinkConditions = .delay(.milliseconds(10))) throws {
            network = SimulatedNetwork(seed: seed, conditions: conditions)
            let realm = try network.addRealm(behind: "nat", middlebox: NATBox(.symmetric, publicAddress: NATLab.publicIP))
            let configuration = TURNServer.Configuration(realm: "sim", users: ["alice": "pw"], relayIP: TURNThroughNATTests.server.ip,
                                                         relayPorts: 49_152...49_155)
            let turnHost = try network.addHost("turn", addresses: [TURNThroughNATTests.server.ip])
            // Either every relay address up front, or only the listening one (bound later, on allocationCreated).
            let addresses = [TURNThroughNATTests.server] + (bindingRelayPool ? configuration.relayAddresses : [])
            turn = try network.attach(TURNServer(configuration: configuration, random: SplitMix64(seed: 1)),
                                      on: turnHost, at: addresses)
            let home = try network.addHost("alice", addresses: [TURNThroughNATTests.client.ip], in: realm)
            alice = try network.attach(TURNClient(localAddress: TURNThroughNATTests.client, server: TURNThroughNATTests.server,
                                                  username: "alice", password: "pw", random: SplitMix64(seed: 2)),
                                       on: home, at: [TURNThroughNATTests.client])
            let peerHost = try network.addHost("peer", addresses: [TURNThroughNATTests.peer.ip])
            echo = try network.attach(EchoEndpoint(), on: peerHost, at: [TURNThroughNATTests.peer])
        }

        func clientEvents() -> [TimedEvent<TURNClientEvent>] { network.events(of: alice) }
        func serverEvents() -> [TimedEvent<TURNServerEvent>] { network.events(of: turn) }

        /// (time, data, path) of each datagram the client received from the peer.
        func received() -> [(at: Instant, data: [UInt8], path: TURNDataPath)] {
            clientEvents().compactMap { event in
                guard case let .dataReceived(from, data, path, at) = event.value, from == TURNThroughNATTests.peer else { return nil }
                return (at, data, path)
            }
        }
    }

    @Test("allocate, permit, Send/Data indications, then ChannelData: every step at its exact instant")
    func relayRoundTrips() throws {
        let lab = try Lab(bindingRelayPool: true)
        lab.network.modify(lab.alice) { client, now in try? client.allocate(at: now) }
        lab.network.schedule(at: .milliseconds(100), on: lab.alice) { client, now in
            try? client.createPermission(for: [TURNThroughNATTests.peer.ip], at: now)
        }
        lab.network.schedule(at: .milliseconds(200), on: lab.alice) { client, now in
            try? client.send(Array("via indication".utf8), to: TURNThroughNATTests.peer, at: now)
        }
        lab.network.schedule(at: .milliseconds(300), on: lab.alice) { client, now in
            _ = try? client.bindChannel(to: TURNThroughNATTests.peer, at: now)
        }
        lab.network.schedule(at: .milliseconds(400), on: lab.alice) { client, now in
            try? client.send(Array("via channel".utf8), to: TURNThroughNATTests.peer, at: now)
        }
        lab.network.run(until: .seconds(1))

        // 401 at 20 ms, signed retry reaches the server at 30 ms, granted at 40 ms.
        let allocated = lab.clientEvents().compactMap { event -> (Instant, TURNAllocation)? in
            if case let .allocated(allocation) = event.value { return (event.time, allocation) } else { return nil }
        }
        #expect(allocated.map(\.0) == [.milliseconds(40)])
        #expect(allocated.first?.1.relayedAddress == Self.relayed)
        #expect(allocated.first?.1.mappedAddress == Self.mapped)  // the NAT's mapping, not 192.168.1.2
        let server = lab.network.endpoint(lab.turn)
        #expect(server.allocations.map(\.fiveTuple) == [TURNFiveTuple(client: Self.mapped, server: Self.server)])
        #expect(server.allocations.first?.expiresAt == .milliseconds(30) + .seconds(600))

        // Permission granted at 120 ms; the peer's echoes come back at 240 ms and 440 ms.
        #expect(lab.clientEvents().contains { if case .permissionCreated(_, at: .milliseconds(120)) = $0.value { return true } else { return false } })
        #expect(lab.clientEvents().contains { if case .channelBound(0x4000, TURNThroughNATTests.peer, at: .milliseconds(320)) = $0.value { return true } else { return false } })
        let received = lab.received()
        #expect(received.map(\.at) == [.milliseconds(240), .milliseconds(440)])
        #expect(received.map { String(decoding: $0.data, as: UTF8.self) } == ["via indication", "via channel"])
        #expect(received.map(\.path) == [.dataIndication, .channel(0x4000)])
        // The peer only ever saw the relayed address.
        let echoes = lab.network.events(of: lab.echo).map(\.value)
        #expect(echoes == [.echoed(from: Self.relayed, bytes: 14), .echoed(from: Self.relayed, bytes: 11)])
        #expect(lab.network.events(of: lab.echo).map(\.time) == [.milliseconds(220), .milliseconds(420)])
    }

    @Test("a stranger's datagram to the relay is dropped by the server and never reaches the client")
    func strangerDropped() throws {
        let lab = try Lab(bindingRelayPool: true)
        let strangerHost = try lab.network.addHost("stranger", addresses: [Self.stranger.ip])
        _ = try lab.network.attach(Pinger(from: Self.stranger, to: Self.relayed, start: .milliseconds(200),
                                          interval: .seconds(1), count: 1), on: strangerHost, at: [Self.stranger])
        lab.network.modify(lab.alice) { client, now in try? client.allocate(at: now) }
        lab.network.schedule(at: .milliseconds(100), on: lab.alice) { client, now in
            try? client.createPermission(for: [TURNThroughNATTests.peer.ip], at: now)
        }
        lab.network.run(until: .seconds(1))
        let drops = lab.serverEvents().compactMap { event -> (Instant, String)? in
            if case let .dropped(_, _, reason) = event.value { return (event.time, reason) } else { return nil }
        }
        #expect(drops.map(\.0) == [.milliseconds(210)])
        #expect(drops.first?.1 == "no permission for 198.51.100.66 on relay 198.51.100.1:49152")
        #expect(lab.received().isEmpty)
        #expect(!lab.clientEvents().contains { if case .dataReceived = $0.value { return true } else { return false } })
    }

    @Test("the caller binds the relayed address on allocationCreated and unbinds it on deletion")
    func bindOnDemand() throws {
        let lab = try Lab(bindingRelayPool: false)
        lab.network.modify(lab.alice) { client, now in try? client.allocate(at: now) }
        lab.network.run(until: .milliseconds(50))
        let created = lab.serverEvents().compactMap { event -> TURNServerAllocation? in
            if case let .allocationCreated(allocation, _) = event.value { return allocation } else { return nil }
        }
        #expect(created.map(\.relayedAddress) == [Self.relayed])
        for allocation in created { try lab.network.bind(lab.turn, to: allocation.relayedAddress) }
        lab.network.modify(lab.alice) { client, now in
            try? client.createPermission(for: [TURNThroughNATTests.peer.ip], at: now)
        }
        lab.network.schedule(at: .milliseconds(100), on: lab.alice) { client, now in
            try? client.send([1, 2, 3], to: TURNThroughNATTests.peer, at: now)
        }
        lab.network.schedule(at: .milliseconds(200), on: lab.alice) { client, now in try? client.deallocate(at: now) }
        lab.network.run(until: .milliseconds(300))
        #expect(lab.received().map(\.at) == [.milliseconds(140)])
        let deleted = lab.serverEvents().compactMap { event -> (Instant, TransportAddress)? in
            if case let .allocationDeleted(relayed, .refreshedToZero, _) = event.value { return (event.time, relayed) } else { return nil }
        }
        #expect(deleted.map(\.0) == [.milliseconds(210)])
        for (_, relayed) in deleted { lab.network.unbind(lab.turn, from: relayed) }
        #expect(lab.network.addresses(of: lab.turn) == [Self.server])
        #expect(lab.clientEvents().contains { if case .deallocated(at: .milliseconds(220)) = $0.value { return true } else { return false } })
    }

    @Test("with the client cut off after 1 s, the allocation expires on the server at exactly 30 ms + 600 s")
    func expiryInVirtualTime() throws {
        let lab = try Lab(bindingRelayPool: true)
        lab.network.modify(lab.alice) { client, now in try? client.allocate(at: now) }
        lab.network.run(until: .seconds(1))
        // Cut the client off (as if its host died): its refreshes stop reaching the server.
        lab.network.addRule(ScriptedRule.dropAll(name: "client gone"))
        lab.network.run(until: .seconds(700))
        let expired = lab.serverEvents().compactMap { event -> Instant? in
            if case let .allocationDeleted(_, .expired, at) = event.value { return at } else { return nil }
        }
        #expect(expired == [.milliseconds(30) + .seconds(600)])
        #expect(lab.serverEvents().last.map { $0.time } == .milliseconds(30) + .seconds(600))
        #expect(lab.network.endpoint(lab.turn).allocations.isEmpty)
    }

    @Test("a lost Allocate success: the client's retransmission (same transaction) gets the same relay, not 437")
    func lostAllocateSuccess() throws {
        let lab = try Lab(bindingRelayPool: true)
        // Drop the first Allocate success response (message type 0x0103) the server sends.
        lab.network.addRule(ScriptedRule.dropFirst(1, matching: DatagramMatch(where: { datagram in
            datagram.payload.starts(with: [0x01, 0x03])
        }), name: "lose Allocate success"))
        lab.network.modify(lab.alice) { client, now in try? client.allocate(at: now) }
        lab.network.run(until: .seconds(2))
        // Signed Allocate at 20 ms; its retransmission after the 500 ms RTO reaches the server at 530 ms.
        let allocated = lab.clientEvents().compactMap { event -> TURNAllocation? in
            if case let .allocated(allocation) = event.value { return allocation } else { return nil }
        }
        #expect(allocated.map(\.grantedAt) == [.milliseconds(540)])
        #expect(allocated.map(\.relayedAddress) == [Self.relayed])
        #expect(allocated.map(\.lifetime) == [.seconds(599)])  // what is left of the 600 s granted at 30 ms
        let answers = lab.serverEvents().compactMap { event -> (Instant, STUNErrorCode?)? in
            if case let .answered(answer) = event.value { return (event.time, answer.errorCode) } else { return nil }
        }
        #expect(answers.map(\.0) == [.milliseconds(10), .milliseconds(30), .milliseconds(530)])
        #expect(answers.map(\.1) == [.unauthenticated, nil, nil])
        let created = lab.serverEvents().filter { if case .allocationCreated = $0.value { return true } else { return false } }
        #expect(created.count == 1)
        #expect(lab.network.ruleDrops.map(\.dropped) == [1])
    }

    @Test("a peer behind a port-restricted cone NAT is reached through the relay only after it sent to the relay",
          arguments: [true, false])
    func peerBehindNAT(peerSendsFirst: Bool) throws {
        let lab = try Lab(bindingRelayPool: true)
        let bobPublic = IPAddress(literal: "203.0.113.7")
        let bobRealm = try lab.network.addRealm(behind: "bobnat", middlebox: NATBox(.portRestrictedCone, publicAddress: bobPublic))
        let bobAddress = TransportAddress("10.0.0.2:5000")
        let bobHost = try lab.network.addHost("bob", addresses: [bobAddress.ip], in: bobRealm)
        // Bob pings the relay at 0 s (opening his NAT; no allocation exists yet) and 1 s, or only at 0.5 s.
        let bob = try lab.network.attach(Pinger(from: bobAddress, to: Self.relayed, start: peerSendsFirst ? .zero : .milliseconds(500),
                                                interval: .seconds(1), count: peerSendsFirst ? 2 : 1),
                                         on: bobHost, at: [bobAddress])
        let bobMapped = TransportAddress(bobPublic, 5000)
        lab.network.modify(lab.alice) { client, now in try? client.allocate(at: now) }
        lab.network.schedule(at: .milliseconds(100), on: lab.alice) { client, now in
            try? client.createPermission(for: [bobPublic], at: now)
        }
        lab.network.schedule(at: .milliseconds(200), on: lab.alice) { client, now in
            try? client.send([0, 0, 0, 42], to: bobMapped, at: now)
        }
        lab.network.run(until: .seconds(2))
        let bobHeard = lab.network.events(of: bob)
        let fromBob = lab.clientEvents().compactMap { event -> (Instant, [UInt8])? in
            guard case let .dataReceived(from, data, _, at) = event.value, from == bobMapped else { return nil }
            return (at, data)
        }
        if peerSendsFirst {
            // Bob's NAT admits the relay's datagram: Bob had sent to exactly that address and port.
            #expect(bobHeard.map(\.value) == [.received(sequence: 42)])
            #expect(bobHeard.map(\.time) == [.milliseconds(220)])
            #expect(fromBob.map(\.0) == [.milliseconds(1020)])
            #expect(fromBob.first?.1 == [0, 0, 0, 1, 0xAB, 0xAB, 0xAB, 0xAB])
        } else {
            // The relay's datagram at 210 ms hits a closed NAT; Bob's own ping still gets through later.
            #expect(bobHeard.isEmpty)
            #expect(fromBob.map(\.0) == [.milliseconds(520)])
            #expect(lab.network.middlebox(of: bobRealm, as: NATBox.self)?.counters.droppedNoMapping == 1)
        }
        let relayDrops = lab.serverEvents().filter { if case .dropped = $0.value { return true } else { return false } }
        #expect(relayDrops.map(\.time) == (peerSendsFirst ? [.milliseconds(10)] : []))
    }

    /// Allocate, permit, then ten sends 100 ms apart, over 20 % loss each way.
    static func lossyRun(seed: UInt64) throws -> Lab {
        let lab = try Lab(bindingRelayPool: true, seed: seed,
                          conditions: LinkConditions(delay: .milliseconds(10), loss: 0.2))
        lab.network.modify(lab.alice) { client, now in try? client.allocate(at: now) }
        for index in 0..<10 {
            lab.network.schedule(at: .seconds(30) + .milliseconds(Int64(index) * 100), on: lab.alice) { client, now in
                if index == 0 { try? client.createPermission(for: [TURNThroughNATTests.peer.ip], at: now) }
                try? client.send([UInt8(index)], to: TURNThroughNATTests.peer, at: now)
            }
        }
        lab.network.run(until: .seconds(60))
        return lab
    }

    @Test("over 20 % loss, retransmitted requests never make a second allocation or a 437, and runs repeat exactly",
          arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func lossy(seed: UInt64) throws {
        let lab = try Self.lossyRun(seed: seed)
        #expect(lab.network.endpoint(lab.alice).state == .allocated)
        let server = lab.network.endpoint(lab.turn)
        #expect(server.allocations.count == 1)
        let codes = lab.serverEvents().compactMap { event -> STUNErrorCode? in
            if case let .answered(answer) = event.value { return answer.errorCode } else { return nil }
        }
        #expect(!codes.contains(.allocationMismatch))
        // Whatever got through went via the relay, and each echo the client got was one the server relayed.
        #expect(lab.network.events(of: lab.echo).allSatisfy { $0.value == .echoed(from: Self.relayed, bytes: 1) })
        let relayedBack = lab.serverEvents().filter { if case .relayedToClient = $0.value { return true } else { return false } }
        #expect(lab.received().count <= relayedBack.count)
        #expect(lab.network.trace.drops(.loss).count > 0)
        // Same seed, same story, packet for packet.
        let again = try Self.lossyRun(seed: seed)
        #expect(again.network.trace == lab.network.trace)
    }
}
