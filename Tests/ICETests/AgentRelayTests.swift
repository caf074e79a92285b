import ICE
import Simulation
import STUN
import Testing
import Wire

@Suite("ICE agent with TURN: relayed gathering, data through the relay, refreshes and deallocation")
struct AgentRelayTests {
    static func gathered(_ lab: AgentLab, _ name: String) -> [(Double, ICECandidate)] {
        lab.events(name).compactMap { event in
            if case let .candidateGathered(candidate) = event.value { return (event.time.milliseconds, candidate) }
            return nil
        }
    }

    static func gatheringComplete(_ lab: AgentLab, _ name: String) -> [Double] {
        lab.events(name).compactMap { if case .gatheringComplete = $0.value { return $0.time.milliseconds } else { return nil } }
    }

    @Test("behind a NAT: host at 0, srflx at 20, relay at 40 after the 401 dance; gathering completes with the allocation")
    func relayedGathering() throws {
        let lab = try RelayLab.run("port-restricted-cone", "open", until: .milliseconds(90))
        let gathered = Self.gathered(lab, "left")
        #expect(gathered.map(\.0) == [0, 20, 40])
        #expect(gathered.map(\.1.type) == [.host, .serverReflexive, .relayed])
        let relay = try #require(gathered.last?.1)
        #expect(relay.address.ip == RelayLab.turnServer.ip && RelayLab.turnConfiguration.relayPorts.contains(relay.address.port))
        #expect(relay.base == relay.address)
        // Related address: the mapping the TURN server saw (the port-restricted NAT keeps the port).
        #expect(relay.relatedAddress == AgentLab.address("203.0.113.5:5000"))
        // Type preference 0, local preference 65535, component 1 (§5.1.2.1).
        #expect(relay.priority == (65_535 << 8) + 255)
        #expect(Set(gathered.map(\.1.foundation)).count == 3)
        #expect(Self.gatheringComplete(lab, "left") == [40])
        #expect(lab.agent("left").relayedCandidates == [relay])
        #expect(lab.agent("left").turnClients.map(\.state) == [.allocated])
    }

    @Test("two bases and one TURN server: one allocation per base, foundations differ by base IP (§5.1.1.3)")
    func foundationsPerBase() throws {
        let lab = AgentLab()
        _ = try RelayLab.addTURNServer(to: lab)
        try lab.addAgent("left", role: .controlling, bases: ["198.51.100.10:5000", "198.51.100.11:5000"]) {
            $0.turnServers = [ICETURNServer(address: RelayLab.turnServer, username: "left", password: "left-pw")]
        }
        lab.start("left")
        lab.network.run(until: .seconds(1))
        let relays = lab.agent("left").relayedCandidates
        #expect(relays.count == 2)
        #expect(Set(relays.map(\.foundation)).count == 2)
        #expect(Set(relays.map(\.relatedAddress)) == [AgentLab.address("198.51.100.10:5000"), AgentLab.address("198.51.100.11:5000")])
        #expect(Self.gatheringComplete(lab, "left") == [40])
    }

    @Test("one server for STUN and TURN: Binding answers reach the STUN gatherer, Allocate answers the TURN client")
    func sharedServer() throws {
        let lab = AgentLab()
        _ = try RelayLab.addTURNServer(to: lab)
        try lab.addNAT("nat", .symmetric, publicIP: "203.0.113.5")
        try lab.addAgent("left", role: .controlling, bases: ["192.168.1.2:5000"], stun: ["198.51.100.2:3478"], behind: "nat") {
            $0.turnServers = [ICETURNServer(address: RelayLab.turnServer, username: "left", password: "left-pw")]
        }
        lab.start("left")
        lab.network.run(until: .seconds(1))
        let gathered = Self.gathered(lab, "left")
        #expect(gathered.map(\.1.type) == [.host, .serverReflexive, .relayed])
        // The same NAT mapping (same destination) answers both: srflx address = relay's related address.
        #expect(gathered[1].1.address == gathered[2].1.relatedAddress)
        #expect(Self.gatheringComplete(lab, "left") == [40])
    }

    @Test("a wrong TURN password: no relayed candidate, gathering still completes when the allocation fails")
    func wrongPassword() throws {
        let lab = AgentLab()
        _ = try RelayLab.addTURNServer(to: lab)
        try lab.addAgent("left", role: .controlling, bases: ["198.51.100.10:5000"]) {
            $0.turnServers = [ICETURNServer(address: RelayLab.turnServer, username: "left", password: "nope")]
        }
        lab.start("left")
        lab.network.run(until: .seconds(1))
        #expect(lab.agent("left").relayedCandidates.isEmpty)
        #expect(lab.agent("left").gatheredCandidates.map(\.type) == [.host])
        // 401, signed retry, 401 again: wrong credentials at 40 ms.
        #expect(Self.gatheringComplete(lab, "left") == [40])
    }

    @Test("UDP blocked: STUN and TURN both time out, gathering completes at 39.5 s with the host candidate only")
    func udpBlockedGathering() throws {
        let lab = try RelayLab.run("udp-blocked", "open", until: .seconds(45))
        #expect(Self.gathered(lab, "left").map(\.1.type) == [.host])
        #expect(Self.gatheringComplete(lab, "left") == [39_500])
    }

    @Test("symmetric × symmetric: data crosses the relay on a channel both ways, refreshes keep it alive for 11 min, close deallocates")
    func relayDataRefreshAndClose() throws {
        let (lab, turn) = try RelayLab.runWithTURN("symmetric", "symmetric", until: .seconds(2))
        let left = lab.handles["left"]!, right = lab.handles["right"]!
        #expect(lab.agent("right").selectedPair?.local.type == .relayed)
        // relay/relay also works (the server relays between its own relayed
        // addresses) but ranks below the selected prflx/relay pair.
        let leftValid = lab.agent("left").validPairs.values
        #expect(leftValid.contains { $0.local.type == .relayed && $0.remote.type == .relayed })
        #expect(leftValid.allSatisfy { $0.priority <= lab.agent("left").selectedPair!.priority })
        // CreatePermission went first: the server never dropped a check for lack of one,
        // and each relay's first permission precedes the first datagram it relayed out.
        let serverEvents = lab.network.events(of: turn)
        #expect(!serverEvents.contains { if case .dropped = $0.value { return true } else { return false } })
        for relayed in lab.network.endpoint(turn).relayedAddresses {
            let permitted = serverEvents.first { if case .permissionInstalled(relayed, _, _) = $0.value { return true } else { return false } }
            let relayedOut = serverEvents.first { if case .relayedToPeer(relayed, _, _, _) = $0.value { return true } else { return false } }
            #expect(try #require(permitted).time <= (try #require(relayedOut)).time)
        }
        lab.network.modify(left) { agent, _ in try? agent.send(Array("to right".utf8)) }
        lab.network.schedule(at: .milliseconds(2100), on: right) { agent, _ in try? agent.send(Array("to left".utf8)) }
        lab.network.run(until: .seconds(3))
        #expect(lab.received("right") == [Array("to right".utf8)])
        #expect(lab.received("left") == [Array("to left".utf8)])
        // Right bound a channel to left's address when it selected the relay pair:
        // both directions of application data use 4-byte ChannelData framing.
        let paths = lab.network.events(of: turn).compactMap { event -> String? in
            switch event.value {
            case let .relayedToClient(_, _, bytes, path) where bytes == 8: return "to client \(path)"
            case let .relayedToPeer(_, _, bytes, path) where bytes == 7: return "to peer \(path)"
            default: return nil
            }
        }
        #expect(paths == ["to client channel(16384)", "to peer channel(16384)"])

        // 11 minutes later: consent still answered through the relay (allocation,
        // permission and channel refreshed by the agent's TURN client).
        lab.network.run(until: .seconds(660))
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
        let server = lab.network.endpoint(turn)
        #expect(server.allocations.count == 2)
        #expect(server.allocations.allSatisfy { $0.expiresAt > .seconds(660) })
        let refreshed = lab.network.events(of: turn).filter { if case .allocationRefreshed = $0.value { return true } else { return false } }
        #expect(refreshed.count == 2)

        lab.network.modify(left) { agent, now in agent.close(at: now) }
        lab.network.modify(right) { agent, now in agent.close(at: now) }
        lab.network.run(until: .seconds(661))
        #expect(lab.network.endpoint(turn).allocations.isEmpty)
        #expect(lab.agent("left").turnClients.map(\.state) == [.deallocated])
        #expect(lab.agent("right").turnClients.map(\.state) == [.deallocated])
        #expect(lab.agent("right").isClosed)
        #expect(throws: ICEError.self) { var agent = lab.agent("right"); try agent.send([1]) }
    }
}
