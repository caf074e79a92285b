import Simulation
import Testing
import Wire

@Suite("NAT topologies: hairpinning, double NAT, UDP-blocking firewall")
struct NATTopologyTests {
    /// alice (192.168.1.2:4000) and bob (192.168.1.3:5000) behind one NAT at 203.0.113.5;
    /// both first send to s1 so they have mappings 203.0.113.5:4000 and :5000.
    struct SameLAN {
        let network = SimulatedNetwork(seed: 3)
        let lan: RealmID
        let alice = TransportAddress("192.168.1.2:4000"), bob = TransportAddress("192.168.1.3:5000")
        let aliceMapped = TransportAddress("203.0.113.5:4000"), bobMapped = TransportAddress("203.0.113.5:5000")
        let aliceProbe: EndpointHandle<NATProbe>, bobProbe: EndpointHandle<NATProbe>

        init(_ configuration: NATConfiguration) throws {
            lan = try network.addRealm(behind: "nat", middlebox: NATBox(configuration, publicAddress: NATLab.publicIP))
            let s1 = TransportAddress("198.51.100.1:3478")
            _ = try network.attach(NATProbe(), on: try network.addHost("s1", addresses: [s1.ip]), at: [s1])
            aliceProbe = try network.attach(NATProbe(), on: try network.addHost("alice", addresses: [alice.ip], in: lan), at: [alice])
            bobProbe = try network.attach(NATProbe(), on: try network.addHost("bob", addresses: [bob.ip], in: lan), at: [bob])
            let (a, b) = (alice, bob)
            network.modify(aliceProbe) { probe, _ in probe.send(from: a, to: s1) }
            network.modify(bobProbe) { probe, _ in probe.send(from: b, to: s1) }
        }

        func send(_ handle: EndpointHandle<NATProbe>, from: TransportAddress, to: TransportAddress, at time: Instant) {
            network.schedule(at: time, on: handle) { probe, _ in probe.send(from: from, to: to) }
        }

        func received(_ handle: EndpointHandle<NATProbe>) -> [NATProbe.Event] { network.events(of: handle).map(\.value) }

        var drops: [String] {
            network.trace.drops().compactMap { entry in
                if case let .middlebox(_, reason) = entry.dropReason { return reason }
                return nil
            }
        }
    }

    @Test("with hairpinning a datagram to the NAT's own public address comes back in, from the external source")
    func hairpinOn() throws {
        let lan = try SameLAN(.fullCone)
        lan.send(lan.aliceProbe, from: lan.alice, to: lan.bobMapped, at: .seconds(1))
        lan.network.run(until: .seconds(2))
        #expect(lan.received(lan.bobProbe) == [.received(from: lan.aliceMapped, to: lan.bob)])  // REQ-9
        let crossings = lan.network.trace.entries.filter { $0.time == .seconds(1) }.compactMap { entry -> String? in
            guard case let .forwarded(_, _, _, direction, _) = entry.event else { return nil }
            return direction.description
        }
        #expect(crossings == ["outbound", "inbound"])
    }

    @Test("without hairpinning the NAT drops it and says why")
    func hairpinOff() throws {
        var configuration = NATConfiguration.fullCone
        configuration.hairpinning = false
        let lan = try SameLAN(configuration)
        lan.send(lan.aliceProbe, from: lan.alice, to: lan.bobMapped, at: .seconds(1))
        lan.network.run(until: .seconds(2))
        #expect(lan.received(lan.bobProbe).isEmpty)
        #expect(lan.drops == ["full cone NAT does not hairpin: 192.168.1.2:4000 -> 203.0.113.5:5000"])
        #expect(lan.network.middlebox(of: lan.lan, as: NATBox.self)?.counters.droppedHairpin == 1)
    }

    @Test("hairpinned traffic is filtered like any other: both sides must punch a hole")
    func hairpinFiltered() throws {
        let lan = try SameLAN(.portRestrictedCone)
        lan.send(lan.aliceProbe, from: lan.alice, to: lan.bobMapped, at: .seconds(1))  // bob never sent to alice
        lan.send(lan.bobProbe, from: lan.bob, to: lan.aliceMapped, at: .seconds(2))    // alice did send to bob
        lan.send(lan.aliceProbe, from: lan.alice, to: lan.bobMapped, at: .seconds(3))  // now bob has too
        lan.network.run(until: .seconds(4))
        #expect(lan.drops == ["filtered by port-restricted cone NAT: 203.0.113.5:5000 (192.168.1.3:5000) "
            + "has not sent to 203.0.113.5:4000"])
        #expect(lan.received(lan.aliceProbe) == [.received(from: lan.bobMapped, to: lan.alice)])
        #expect(lan.received(lan.bobProbe) == [.received(from: lan.aliceMapped, to: lan.bob)])
        #expect(lan.network.events(of: lan.bobProbe).map(\.time) == [.seconds(3)])
    }

    @Test("double NAT: two homes reusing 192.168.1.2 behind one carrier-grade NAT")
    func doubleNAT() throws {
        let network = SimulatedNetwork(seed: 5, conditions: .delay(.milliseconds(10)))
        let cgn = try network.addRealm(behind: "cgn", middlebox: NATBox(.portRestrictedCone,
                                                                       publicAddress: IPAddress(literal: "203.0.113.50")),
                                       conditions: .delay(.milliseconds(10)))
        let homeA = try network.addRealm(behind: "nat-a", middlebox: NATBox(.fullCone, publicAddress: IPAddress(literal: "100.64.0.7")),
                                         in: cgn)
        let homeB = try network.addRealm(behind: "nat-b", middlebox: NATBox(.fullCone, publicAddress: IPAddress(literal: "100.64.0.8")),
                                         in: cgn)
        let local = TransportAddress("192.168.1.2:4000")
        let s1 = TransportAddress("198.51.100.1:3478"), s2 = TransportAddress("198.51.100.2:3478")
        let server = try network.attach(NATProbe(), on: try network.addHost("s1", addresses: [s1.ip]), at: [s1])
        let stranger = try network.attach(NATProbe(), on: try network.addHost("s2", addresses: [s2.ip]), at: [s2])
        let alice = try network.attach(NATProbe(), on: try network.addHost("alice", addresses: [local.ip], in: homeA), at: [local])
        let carol = try network.attach(NATProbe(), on: try network.addHost("carol", addresses: [local.ip], in: homeB), at: [local])
        network.modify(alice) { probe, _ in probe.send(from: local, to: s1) }
        network.modify(carol) { probe, _ in probe.send(from: local, to: s1) }
        let outerA = TransportAddress("203.0.113.50:4000"), outerB = TransportAddress("203.0.113.50:49152")
        network.schedule(at: .seconds(1), on: server) { probe, _ in
            probe.send(from: s1, to: outerA)
            probe.send(from: s1, to: outerB)
        }
        network.schedule(at: .seconds(1), on: stranger) { probe, _ in probe.send(from: s2, to: outerA) }
        network.run(until: .seconds(2))

        #expect(network.events(of: server).map(\.value) == [.received(from: outerA, to: s1), .received(from: outerB, to: s1)])
        #expect(network.events(of: alice).map(\.value) == [.received(from: s1, to: local)])
        #expect(network.events(of: carol).map(\.value) == [.received(from: s1, to: local)])
        // Both homes' LANs are perfect; only the carrier realm and the internet cost 10 ms each.
        #expect(network.events(of: alice).map(\.time) == [.milliseconds(1020)])
        #expect(network.middlebox(of: homeA, as: NATBox.self)?.mappings(at: network.now).map(\.description)
            == ["192.168.1.2:4000 -> 100.64.0.7:4000"])
        #expect(network.middlebox(of: cgn, as: NATBox.self)?.mappings(at: network.now).map(\.description)
            == ["100.64.0.7:4000 -> 203.0.113.50:4000", "100.64.0.8:4000 -> 203.0.113.50:49152"])
        #expect(network.trace.drops().map(\.dropReason) == [.middlebox(name: "cgn", reason:
            "filtered by port-restricted cone NAT: 203.0.113.50:4000 (100.64.0.7:4000) has not sent to 198.51.100.2:3478")])
    }

    @Test("a firewall blocking all UDP in front of a NATed LAN drops everything, both ways")
    func firewallBlocksAll() throws {
        let network = SimulatedNetwork(seed: 9)
        let guarded = try network.addRealm(behind: "fw", middlebox: UDPFirewall.blockingAllUDP)
        let lan = try network.addRealm(behind: "nat", middlebox: NATBox(.fullCone, publicAddress: NATLab.publicIP), in: guarded)
        let local = TransportAddress("192.168.1.2:4000"), s1 = TransportAddress("198.51.100.1:3478")
        let server = try network.attach(NATProbe(), on: try network.addHost("s1", addresses: [s1.ip]), at: [s1])
        let alice = try network.attach(NATProbe(), on: try network.addHost("alice", addresses: [local.ip], in: lan), at: [local])
        network.modify(alice) { probe, _ in probe.send(from: local, to: s1) }
        network.schedule(at: .seconds(1), on: server) { probe, _ in probe.send(from: s1, to: TransportAddress(NATLab.publicIP, 4000)) }
        network.run(until: .seconds(2))
        #expect(network.events(of: server).isEmpty && network.events(of: alice).isEmpty)
        #expect(network.trace.drops().map(\.dropReason) == [.middlebox(name: "fw", reason: "UDP port 3478 blocked"),
                                                           .middlebox(name: "fw", reason: "UDP port 3478 blocked")])
        #expect(network.middlebox(of: lan, as: NATBox.self)?.counters.translatedOutbound == 1)
        let counters = try #require(network.middlebox(of: guarded, as: UDPFirewall.self)).counters
        #expect(counters.droppedOutbound == 1 && counters.droppedInbound == 1)
    }
}
