import Simulation
import Testing
import Wire

@Suite("NAT mapping lifetime and port allocation")
struct NATLifecycleTests {
    @Test("a mapping lives 120 s after the last outbound datagram; inbound traffic does not refresh it")
    func expiryAndRefresh() throws {
        var configuration = NATConfiguration.portRestrictedCone
        configuration.preservesPorts = false  // so a re-created mapping visibly gets a new port
        let lab = try NATLab(configuration)
        let first = TransportAddress(NATLab.publicIP, 49152), second = TransportAddress(NATLab.publicIP, 49153)
        lab.aliceSends(to: lab.s1, at: .zero)
        lab.serverSends(0, to: first, at: .seconds(100))  // inbound: delivered, refreshes nothing
        lab.aliceSends(to: lab.s1, at: .seconds(119))     // outbound: now expires at 239 s
        lab.serverSends(0, to: first, at: .milliseconds(238_999))
        lab.serverSends(0, to: first, at: .seconds(239))  // exactly at expiry: gone
        lab.aliceSends(to: lab.s1, at: .seconds(240))     // a fresh mapping, next sequential port
        lab.serverSends(0, to: second, at: .seconds(241))
        lab.network.run(until: .seconds(300))

        #expect(lab.seenBy(0) == [first, first, second])
        #expect(lab.network.events(of: lab.aliceProbe).map(\.time)
            == [.seconds(100), .milliseconds(238_999), .seconds(241)])
        #expect(lab.natDrops == ["port-restricted cone NAT: no mapping for 203.0.113.5:49152 (from 198.51.100.1:3478)"])
        let nat = lab.nat
        #expect(nat.events.map(\.description) == [
            "t=0.000ms new mapping 192.168.1.2:4000 -> 203.0.113.5:49152 for 198.51.100.1:3478",
            "t=239000.000ms mapping 192.168.1.2:4000 -> 203.0.113.5:49152 expired",
            "t=240000.000ms new mapping 192.168.1.2:4000 -> 203.0.113.5:49153 for 198.51.100.1:3478",
        ])
        #expect(nat.counters.mappingsExpired == 1 && nat.counters.mappingsCreated == 2)
        #expect(nat.mappings(at: .seconds(359)).map(\.externalAddress) == [second])
        #expect(nat.mappings(at: .seconds(360)).isEmpty)  // read lazily: expired by then
    }

    @Test("a filter permission expires on its own even while other traffic keeps the mapping alive")
    func permissionExpiry() throws {
        let lab = try NATLab(.portRestrictedCone)
        let mapped = TransportAddress(NATLab.publicIP, 4000)
        lab.aliceSends(to: lab.s1, at: .zero)
        lab.aliceSends(to: lab.s2, at: .seconds(100))
        lab.aliceSends(to: lab.s2, at: .seconds(200))
        lab.serverSends(0, to: mapped, at: .seconds(130))  // s1's permission ended at 120 s
        lab.serverSends(2, to: mapped, at: .seconds(250))
        lab.network.run(until: .seconds(300))
        #expect(lab.aliceReceivedFrom == [lab.s2])
        #expect(lab.natDrops == ["filtered by port-restricted cone NAT: 203.0.113.5:4000 (192.168.1.2:4000) "
            + "has not sent to 198.51.100.1:3478"])
        #expect(lab.nat.counters.mappingsCreated == 1 && lab.nat.counters.mappingsExpired == 0)
    }

    @Test("ports are preserved when free, then handed out sequentially")
    func sequentialAllocation() throws {
        let network = SimulatedNetwork(seed: 1)
        let lan = try network.addRealm(behind: "nat", middlebox: NATBox(.fullCone, publicAddress: NATLab.publicIP))
        let server = TransportAddress("198.51.100.1:3478")
        let echo = try network.attach(NATProbe(), on: try network.addHost("s", addresses: [server.ip]), at: [server])
        let locals = ["192.168.1.2:4000", "192.168.1.3:4000", "192.168.1.3:5000", "192.168.1.4:4000"].map(TransportAddress.init)
        var hosts: [IPAddress: HostID] = [:]
        for local in locals {
            let host = try hosts[local.ip] ?? network.addHost("h\(hosts.count)", addresses: [local.ip], in: lan)
            hosts[local.ip] = host
            let probe = try network.attach(NATProbe(), on: host, at: [local])
            network.modify(probe) { probe, _ in probe.send(from: local, to: server) }
        }
        network.run(until: .seconds(1))
        #expect(network.events(of: echo).map { event -> UInt16 in
            guard case let .received(from, _) = event.value else { return 0 }
            return from.port
        } == [4000, 49152, 5000, 49153])
    }

    @Test("random allocation makes one draw from the network's seeded generator per mapping")
    func randomAllocation() throws {
        var configuration = NATConfiguration.symmetric
        configuration.portAllocation = .random
        configuration.preservesPorts = false
        func ports(seed: UInt64) throws -> [UInt16] {
            let lab = try NATLab(configuration, seed: seed)
            for remote in [lab.s1, lab.s1OtherPort, lab.s2] { lab.aliceSends(to: remote, at: .zero) }
            lab.network.run(until: .seconds(1))
            return (0..<3).flatMap { lab.seenBy($0).map(\.port) }
        }
        // Perfect links draw nothing, so the NAT's draws are the generator's first three.
        var generator = SplitMix64(seed: 42)
        let predicted = (0..<3).map { _ in UInt16(49152 + generator.next() % 16384) }
        #expect(try ports(seed: 42) == predicted)
        #expect(try ports(seed: 43) != predicted)
        #expect(Set(predicted).count == 3)
    }

    @Test("when the port range is exhausted new mappings are refused with a reason")
    func exhaustion() throws {
        var configuration = NATConfiguration.symmetric
        configuration.preservesPorts = false
        configuration.portRange = 50000...50001
        let lab = try NATLab(configuration)
        for remote in [lab.s1, lab.s1OtherPort, lab.s2] { lab.aliceSends(to: remote, at: .zero) }
        lab.network.run(until: .seconds(1))
        #expect((0..<3).map { lab.seenBy($0).map(\.port) } == [[50000], [50001], []])
        #expect(lab.natDrops == ["symmetric NAT: no free external port for 192.168.1.2:4000"])
        #expect(lab.nat.counters.droppedNoFreePort == 1)
    }

    @Test("a pool of public addresses is paired: each internal IP keeps its first public IP")
    func pairedPool() throws {
        let pool = [IPAddress(literal: "203.0.113.5"), IPAddress(literal: "203.0.113.6")]
        let network = SimulatedNetwork(seed: 1)
        let lan = try network.addRealm(behind: "nat", middlebox: try NATBox(.symmetric, publicAddresses: pool))
        let servers = ["198.51.100.1:3478", "198.51.100.2:3478"].map(TransportAddress.init)
        var sinks: [EndpointHandle<NATProbe>] = []
        for (index, server) in servers.enumerated() {
            sinks.append(try network.attach(NATProbe(), on: try network.addHost("s\(index)", addresses: [server.ip]), at: [server]))
        }
        for (index, local) in ["192.168.1.2:4000", "192.168.1.3:4000"].map(TransportAddress.init).enumerated() {
            let probe = try network.attach(NATProbe(), on: try network.addHost("h\(index)", addresses: [local.ip], in: lan), at: [local])
            network.modify(probe) { probe, _ in for server in servers { probe.send(from: local, to: server) } }
        }
        network.run(until: .seconds(1))
        let seen = sinks.map { sink in network.events(of: sink).map { event -> String in
            guard case let .received(from, _) = event.value else { return "" }
            return from.description
        } }
        #expect(seen == [["203.0.113.5:4000", "203.0.113.6:4000"], ["203.0.113.5:49152", "203.0.113.6:49152"]])
    }
}
