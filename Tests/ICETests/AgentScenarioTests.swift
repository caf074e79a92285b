import ICE
import Simulation
import STUN
import Testing
import Wire

@Suite("ICE agent: role conflicts, trickle, peer-reflexive and server-reflexive candidates")
struct AgentScenarioTests {
    @Test("both controlling: the smaller tie-breaker gets 487, switches to controlled, and the agents still connect")
    func roleConflict() throws {
        let lab = AgentLab()
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], tieBreaker: 2, seed: 1)
        try lab.addAgent("right", role: .controlling, bases: ["10.0.0.2:6000"], tieBreaker: 1, seed: 2)
        lab.start("left", "right")
        // right checks first (t = 0); left learns about right only at t = 100 ms.
        lab.signal(from: "left", to: "right")
        lab.network.schedule(at: .milliseconds(100), on: lab.handles["left"]!) { _, _ in }
        lab.network.run(until: .milliseconds(100))
        lab.signal(from: "right", to: "left")
        lab.network.run(until: .seconds(3))
        // left (larger tie-breaker) answered right's t = 0 check with 487 at t = 10.
        let conflicts = lab.network.trace.sends(from: AgentLab.address("10.0.0.1:5000")).filter {
            (try? STUNMessage(parsing: $0.datagram.payload))?.errorCode?.code == .roleConflict
        }
        #expect(conflicts.map(\.time.milliseconds) == [10])
        let switched = lab.events("right").filter { if case .roleChanged = $0.value { return true } else { return false } }
        #expect(switched.map(\.time.milliseconds) == [20])
        #expect(lab.agent("right").role == .controlled && lab.agent("left").role == .controlling)
        #expect(lab.checks("right").allSatisfy { $0.2 == false })
        #expect(lab.checks("left").contains { $0.2 })
        let left = try #require(lab.agent("left").selectedPair), right = try #require(lab.agent("right").selectedPair)
        #expect(left.remote.address == right.local.address && right.remote.address == left.local.address)
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
    }

    @Test("both controlled: the larger tie-breaker takes control and nominates")
    func bothControlled() throws {
        let lab = AgentLab()
        try lab.addAgent("left", role: .controlled, bases: ["10.0.0.1:5000"], tieBreaker: 2, seed: 1)
        try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000"], tieBreaker: 1, seed: 2)
        lab.start("left", "right")
        lab.exchange("left", "right")
        lab.network.run(until: .seconds(3))
        let switched = lab.events("left").compactMap { if case let .roleChanged(role) = $0.value { return role } else { return nil } }
        #expect(switched == [.controlling])
        #expect(lab.agent("right").role == .controlled)
        #expect(lab.checks("left").contains { $0.2 } && !lab.checks("right").contains { $0.2 })
        #expect(lab.agent("left").selectedPair?.isNominated == true && lab.agent("right").selectedPair?.isNominated == true)
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
    }

    @Test("candidates trickled late (credentials first, candidates 1 s later) still connect")
    func trickle() throws {
        let lab = AgentLab()
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], seed: 1)
        try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000"], seed: 2)
        lab.start("left", "right")
        lab.signal(from: "left", to: "right", candidates: false, endOfCandidates: false)
        lab.signal(from: "right", to: "left", candidates: false, endOfCandidates: false)
        lab.network.run(until: .seconds(1))
        #expect(lab.checks("left").isEmpty && lab.checks("right").isEmpty)
        #expect(lab.agent("left").state == .new)
        lab.signal(from: "right", to: "left", candidates: true, endOfCandidates: false)
        lab.network.run(until: .milliseconds(1500))
        lab.signal(from: "left", to: "right", candidates: true, endOfCandidates: true)
        lab.signal(from: "right", to: "left", candidates: false, endOfCandidates: true)
        lab.network.run(until: .seconds(4))
        // left checks at 1000; right learnt left from that check (prflx) at 1010 and
        // answers; left valid at 1020, nominates in the next Ta slot (1050), selected at 1070.
        #expect(lab.checks("left").map(\.0).first == 1000)
        #expect(lab.selections("left").map(\.0) == [1070])
        #expect(lab.selections("right").map(\.0) == [1060])
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
    }

    @Test("a check from an unsignaled address teaches the controlled agent a peer-reflexive remote candidate")
    func peerReflexiveFromCheck() throws {
        let lab = AgentLab()
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], seed: 1)
        try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000"], seed: 2)
        lab.start("left", "right")
        lab.signal(from: "right", to: "left")
        lab.signal(from: "left", to: "right", candidates: false, endOfCandidates: true)
        lab.network.run(until: .seconds(2))
        let learnt = lab.events("right").compactMap { event -> (Double, ICECandidate)? in
            if case let .peerReflexiveLearnt(candidate, isLocal: false) = event.value { return (event.time.milliseconds, candidate) }
            return nil
        }
        #expect(learnt.map(\.0) == [10])
        let candidate = try #require(learnt.first?.1)
        #expect(candidate.type == .peerReflexive && candidate.address == AgentLab.address("10.0.0.1:5000"))
        // Its priority is the PRIORITY of left's check: the host priority with the prflx type preference.
        #expect(candidate.priority == ICECandidatePriority.peerReflexive(from: 2_130_706_431))
        let right = try #require(lab.agent("right").selectedPair)
        #expect(right.remote.type == .peerReflexive && right.remote.address == AgentLab.address("10.0.0.1:5000"))
        #expect(lab.agent("left").selectedPair?.remote.type == .host)
        #expect(lab.agent("right").state == .completed)
    }

    @Test("a candidate signaled after its check taught us a peer-reflexive one takes its signaled type, everywhere")
    func lateSignalingUpgradesPeerReflexive() throws {
        let lab = AgentLab()
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], seed: 1)
        try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000"], seed: 2)
        lab.start("left", "right")
        lab.signal(from: "right", to: "left")
        lab.signal(from: "left", to: "right", candidates: false, endOfCandidates: false)
        lab.network.run(until: .seconds(2))
        let before = try #require(lab.agent("right").selectedPair)
        #expect(before.remote.type == .peerReflexive)
        // The check overtook the signaling; now the signaling arrives.
        lab.signal(from: "left", to: "right", candidates: true, endOfCandidates: true)
        lab.network.run(until: .seconds(3))
        let host = try #require(lab.agent("left").gatheredCandidates.first)
        let right = lab.agent("right")
        let selected = try #require(right.selectedPair)
        #expect(selected.id == before.id, "the same pair stays selected")
        #expect(selected.remote.type == .host && selected.remote.foundation == host.foundation)
        #expect(selected.remote.priority == before.remote.priority, "the priority the check carried stays")
        #expect(right.validPairs[selected.id]?.remote.type == .host)
        #expect(right.checklist.pair(selected.id)?.remote.type == .host)
        #expect(right.checklist.remoteCandidates.map(\.type) == [.host], "no second candidate for the same address")
        #expect(right.state == .completed)
    }

    @Test("srflx gathering through a NAT yields the NAT's mapping, with the host as base and related address")
    func serverReflexive() throws {
        let lab = AgentLab()
        try lab.addSTUNServer(at: "198.51.100.1:3478")
        try lab.addNAT("home", .fullCone, publicIP: "203.0.113.5")
        try lab.addAgent("left", role: .controlling, bases: ["192.168.1.2:5000"], stun: ["198.51.100.1:3478"], behind: "home")
        lab.start("left")
        lab.network.run(until: .seconds(1))
        let gathered = lab.events("left").compactMap { event -> (Double, ICECandidate)? in
            if case let .candidateGathered(candidate) = event.value { return (event.time.milliseconds, candidate) }
            return nil
        }
        #expect(gathered.map(\.0) == [0, 20])
        #expect(gathered.map(\.1.type) == [.host, .serverReflexive])
        let srflx = try #require(gathered.last?.1)
        #expect(srflx.address == AgentLab.address("203.0.113.5:5000"))
        #expect(srflx.base == AgentLab.address("192.168.1.2:5000") && srflx.relatedAddress == srflx.base)
        #expect(srflx.priority == (100 << 24) + (65_535 << 8) + 255)
        #expect(srflx.foundation != gathered[0].1.foundation)
        let complete = lab.events("left").filter { if case .gatheringComplete = $0.value { return true } else { return false } }
        #expect(complete.map(\.time.milliseconds) == [20])
    }

    @Test("without a NAT the STUN answer equals the base: redundant, not reported (§5.1.3)")
    func redundantServerReflexive() throws {
        let lab = AgentLab()
        try lab.addSTUNServer(at: "198.51.100.1:3478")
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], stun: ["198.51.100.1:3478"])
        lab.start("left")
        lab.network.run(until: .seconds(1))
        #expect(lab.agent("left").gatheredCandidates.map(\.type) == [.host])
        #expect(lab.agent("left").isGatheringComplete)
    }

    /// Both agents behind NATs of the given presets, each with a STUN server; signaled after gathering.
    static func behindNATs(_ leftNAT: String, _ rightNAT: String) throws -> AgentLab {
        let lab = AgentLab(delay: .milliseconds(10))
        try lab.addSTUNServer(at: "198.51.100.1:3478")
        try lab.addNAT("natL", NATConfiguration.preset(named: leftNAT)!, publicIP: "203.0.113.5")
        try lab.addNAT("natR", NATConfiguration.preset(named: rightNAT)!, publicIP: "203.0.113.6")
        try lab.addAgent("left", role: .controlling, bases: ["192.168.1.2:5000"], stun: ["198.51.100.1:3478"],
                         behind: "natL", seed: 1)
        try lab.addAgent("right", role: .controlled, bases: ["192.168.2.2:6000"], stun: ["198.51.100.1:3478"],
                         behind: "natR", seed: 2)
        lab.start("left", "right")
        lab.network.run(until: .milliseconds(100))
        lab.exchange("left", "right")
        lab.network.run(until: .seconds(10))
        return lab
    }

    @Test("behind two NATs the agents connect over the pair type theory predicts",
          arguments: [("full-cone", "full-cone", "srflx", "srflx", 170.0),
                      ("port-restricted-cone", "port-restricted-cone", "srflx", "srflx", 170),
                      ("full-cone", "symmetric", "srflx", "prflx", 220),
                      ("restricted-cone", "symmetric", "srflx", "prflx", 220),
                      ("symmetric", "full-cone", "prflx", "srflx", 170)])
    func natMatrix(left: String, right: String, leftLocal: String, rightLocal: String, validAt: Double) throws {
        let lab = try Self.behindNATs(left, right)
        // Signaled at 100 ms; 10 ms one way. Through cone NATs left's second check
        // (to right's srflx, at 150) is answered at 170. Behind a symmetric NAT
        // that check is filtered; the peer's check arrives from a new mapping
        // (prflx) and left's triggered check at 200 is answered at 220 (when left
        // is the symmetric one, its own check gets through: 170). The
        // unanswerable host/host pair outranks the valid one, so nomination
        // waits the 1 s nomination delay: completed at valid + 1020.
        #expect(lab.states("left").map(\.0) == [100, validAt, validAt + 1020])
        let l = try #require(lab.agent("left").selectedPair), r = try #require(lab.agent("right").selectedPair)
        #expect(l.local.type.rawValue == leftLocal)
        #expect(r.local.type.rawValue == rightLocal)
        // What one side sees as its local address is the other's remote.
        #expect(l.local.address == r.remote.address && r.local.address == l.remote.address)
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
    }

    @Test("port-restricted or symmetric against symmetric: no pair can work without a relay, both agents fail",
          arguments: [("port-restricted-cone", "symmetric"), ("symmetric", "symmetric")])
    func natMatrixFails(left: String, right: String) throws {
        let lab = try Self.behindNATs(left, right)
        lab.network.run(until: .seconds(60))
        #expect(lab.agent("left").state == .failed && lab.agent("right").state == .failed)
        #expect(lab.agent("left").validPairs.isEmpty && lab.agent("right").selectedPair == nil)
        #expect(lab.states("left").map(\.1) == [.checking, .failed])
    }

    @Test("with 20 % loss each way the agents still connect, reproducibly by seed", arguments: [1, 2, 3] as [UInt64])
    func lossy(seed: UInt64) throws {
        func run() throws -> (Double, Double) {
            let lab = AgentLab(seed: seed, delay: .milliseconds(10))
            try lab.network.setDefaultConditions(LinkConditions(delay: .milliseconds(10), loss: 0.2))
            try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], seed: 1)
            try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000"], seed: 2)
            lab.start("left", "right")
            lab.exchange("left", "right")
            lab.network.run(until: .seconds(30))
            #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
            return (try #require(lab.selections("left").first?.0), try #require(lab.selections("right").first?.0))
        }
        let first = try run(), second = try run()
        #expect(first == second)
    }
}
