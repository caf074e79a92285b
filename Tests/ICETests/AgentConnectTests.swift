import ICE
import Simulation
import STUN
import Testing
import Wire

@Suite("ICE agent: two agents connect in virtual time")
struct AgentConnectTests {
    /// left (controlling) and right (controlled), two bases each, 100 ms one way, signaled at t = 0.
    static func twoByTwo(ta: Duration = .milliseconds(50)) throws -> AgentLab {
        let lab = AgentLab(delay: .milliseconds(100))
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000", "10.0.1.1:5000"], seed: 1) { $0.ta = ta }
        try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000", "10.0.1.2:6000"], seed: 2) { $0.ta = ta }
        lab.start("left", "right")
        lab.exchange("left", "right")
        lab.network.run(until: .seconds(5))
        return lab
    }

    @Test("host candidates connect: checks every Ta, the controlling agent nominates, both select the same pair")
    func hostToHost() throws {
        let lab = try Self.twoByTwo()
        // Four pairs, all Waiting from the start (four foundations); the first
        // answer (RTT 200 ms) makes the best pair valid at t = 200, so the
        // nomination takes the Ta slot at 200 and returns at 400. Checks go on
        // every Ta until then (at 100 and 150, triggered re-checks of pairs the
        // peer's checks reached while In-Progress, §7.3.1.4).
        let leftChecks = lab.checks("left")
        #expect(leftChecks.map(\.0) == [0, 50, 100, 150, 200, 250, 300, 350])
        #expect(leftChecks.filter(\.2).map(\.0) == [200])
        #expect(lab.checks("right").allSatisfy { $0.2 == false })
        #expect(lab.states("left").map(\.0) == [0, 200, 400])
        #expect(lab.states("left").map(\.1) == [.checking, .connected, .completed])
        #expect(lab.states("right").map(\.1) == [.checking, .connected, .completed])
        #expect(lab.states("right").last?.0 == 300)  // USE-CANDIDATE arrives on an already valid pair
        let left = try #require(lab.selections("left").last?.1)
        let right = try #require(lab.selections("right").last?.1)
        #expect(left.local.address == AgentLab.address("10.0.0.1:5000"))
        #expect(left.remote.address == AgentLab.address("10.0.0.2:6000"))
        #expect(right.local.address == left.remote.address && right.remote.address == left.local.address)
        #expect(left.isNominated && right.isNominated)
        #expect(left.priority == right.priority)
        #expect(lab.agent("left").selectedPair?.local.type == .host)
    }

    @Test("new checks leave exactly Ta apart while pairs wait, never closer", arguments: [20, 50, 100])
    func pacing(milliseconds: Int) throws {
        let ta = Double(milliseconds)
        let lab = try Self.twoByTwo(ta: .milliseconds(milliseconds))
        for name in ["left", "right"] {
            let times = lab.checks(name).map(\.0)
            #expect(Array(times.prefix(4)) == [0, ta, 2 * ta, 3 * ta])
            #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 >= ta })
        }
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
    }

    @Test("application data flows over the selected pair both ways; sending earlier is refused")
    func data() throws {
        let lab = try Self.twoByTwo()
        var fresh = try ICEAgent(configuration: ICEAgentConfiguration(role: .controlling, credentials: AgentLab.credentials("x"),
                                                                    hostAddresses: [AgentLab.address("10.9.9.9:1")]),
                                 random: SplitMix64(seed: 5))
        #expect(throws: ICEError(.notConnected, "no pair is valid yet")) { try fresh.send([0x17]) }
        lab.network.modify(lab.handles["left"]!) { agent, _ in try? agent.send([0x17, 0xFE, 0xFD, 1, 2, 3]) }
        lab.network.modify(lab.handles["right"]!) { agent, _ in try? agent.send([0x16, 0xFE, 0xFD, 9]) }
        lab.network.run(for: .seconds(1))
        #expect(lab.received("right") == [[0x17, 0xFE, 0xFD, 1, 2, 3]])
        #expect(lab.received("left") == [[0x16, 0xFE, 0xFD, 9]])
        let delivery = lab.network.trace.deliveries(to: AgentLab.address("10.0.0.2:6000"))
            .filter { $0.datagram.payload.first == 0x17 }
        #expect(delivery.map(\.datagram.source) == [AgentLab.address("10.0.0.1:5000")])
    }

    @Test("garbage, stray data and forged STUN are dropped without changing state")
    func garbage() throws {
        var agent = try ICEAgent(configuration: ICEAgentConfiguration(role: .controlled, credentials: AgentLab.credentials("g"),
                                                                    hostAddresses: [AgentLab.address("10.0.0.2:6000")]),
                                 random: SplitMix64(seed: 3))
        agent.start(at: .zero)
        while agent.poll() != nil {}
        var random = SplitMix64(seed: 42)
        let base = AgentLab.address("10.0.0.2:6000"), stranger = AgentLab.address("10.6.6.6:666")
        var payloads: [[UInt8]] = [[], [0], [0, 1], [0x17, 0xFE, 0xFD], [0x80, 0, 0, 0]]
        for length in [20, 28, 64, 200] {
            for first: UInt8 in [0, 1, 0x17, 0xFF] {
                var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                bytes[0] = first
                if length >= 8 { bytes[4...7] = [0x21, 0x12, 0xA4, 0x42] }  // the magic cookie: looks like STUN
                payloads.append(bytes)
            }
        }
        // A well-formed Binding request without credentials: rejected with 400, no state change.
        payloads.append(try STUNMessage.bindingRequest(transactionID: TransactionID(using: &random)).encode())
        for (index, payload) in payloads.enumerated() {
            agent.handle(.datagram(Datagram(from: stranger, to: base, payload: payload), at: .milliseconds(Int64(index))))
        }
        var events: [ICEAgentEvent] = []
        var transmits: [Datagram] = []
        while let output = agent.poll() {
            switch output {
            case let .event(event): events.append(event)
            case let .transmit(datagram): transmits.append(datagram)
            }
        }
        #expect(events.count == payloads.count)
        #expect(events.allSatisfy { if case .dropped = $0 { return true } else { return false } })
        #expect(transmits.count == 1)  // only the 400 answer to the unauthenticated request
        #expect(agent.state == .new && agent.checklist.pairs.isEmpty && agent.nextTimeout == nil)
    }

    @Test("when every pair fails after end-of-candidates the agent fails at the last check's give-up (39.5 s)")
    func allPairsFail() throws {
        let lab = try AgentLab.unanswered()
        // RTO = max(500 ms, Ta x 1): sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, give up 8 s later.
        #expect(lab.sends("left", .bindingRequest) == [0, 500, 1500, 3500, 7500, 15500, 31500])
        #expect(lab.states("left").map(\.0) == [0, 39500])
        #expect(lab.states("left").map(\.1) == [.checking, .failed])
        #expect(lab.agent("left").nextTimeout == nil)
    }
}
