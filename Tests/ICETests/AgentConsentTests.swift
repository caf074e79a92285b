import ICE
import Simulation
import STUN
import Testing
import Wire

@Suite("ICE agent: keepalives, consent freshness and restart")
struct AgentConsentTests {
    /// One host each, 10 ms one way, connected at t = 70 ms (left selects then).
    static func connected() throws -> AgentLab {
        let lab = AgentLab()
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], seed: 1)
        try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000"], seed: 2)
        lab.start("left", "right")
        lab.exchange("left", "right")
        lab.network.run(until: .seconds(1))
        return lab
    }

    @Test("a Binding indication keeps the selected pair alive every 15 s")
    func keepalives() throws {
        let lab = try Self.connected()
        lab.network.run(until: .seconds(61))
        let selectedAt = try #require(lab.selections("left").first?.0)
        #expect(selectedAt == 70)
        #expect(lab.sends("left", .bindingIndication) == [15_070, 30_070, 45_070, 60_070])
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
    }

    @Test("consent checks leave every 4-6 s (0.8-1.2 x 5 s) and keep the pair completed")
    func consentChecks() throws {
        let lab = try Self.connected()
        lab.network.run(until: .seconds(120))
        // After selection the only Binding requests are consent checks.
        let consent = lab.sends("left", .bindingRequest).filter { $0 > 70 }
        #expect(consent.count >= 20)
        let gaps = zip([70] + consent, consent).map { $1 - $0 }
        #expect(gaps.allSatisfy { (4000...6000).contains($0) })
        #expect(Set(gaps).count > 1)  // randomised, not a fixed period
        #expect(lab.states("left").last?.1 == .completed)
    }

    @Test("cutting the link: disconnected 10 s and failed 30 s after the last consent answer; then no more data")
    func consentExpiry() throws {
        let lab = try Self.connected()
        lab.network.run(until: .seconds(20))
        lab.network.addRule(.outage(from: .seconds(20), until: .seconds(1000)))
        lab.network.run(until: .seconds(80))
        let left = AgentLab.address("10.0.0.1:5000")
        let lastAnswer = try #require(lab.network.trace.deliveries(to: left).filter {
            (try? STUNMessage(parsing: $0.datagram.payload))?.messageType == .bindingSuccess
        }.last?.time.milliseconds)
        #expect(lastAnswer < 20_000 && lastAnswer > 14_000)
        let states = lab.states("left").filter { $0.0 > 1000 }
        #expect(states.map(\.1) == [.disconnected, .failed])
        #expect(states.map(\.0) == [lastAnswer + 10_000, lastAnswer + 30_000])
        var agent = lab.agent("left")
        #expect(throws: ICEError.self) { try agent.send([0x17]) }
        #expect(agent.nextTimeout == nil)
        // Failed means silent: nothing leaves left after consent expired.
        #expect(lab.network.trace.sends(from: left).allSatisfy { $0.time.milliseconds <= lastAnswer + 30_000 })
    }

    @Test("a lost consent check is sent again 500 ms later and its answer keeps consent")
    func consentRetransmission() throws {
        let lab = try Self.connected()
        let left = AgentLab.address("10.0.0.1:5000"), right = AgentLab.address("10.0.0.2:6000")
        lab.network.addRule(.dropFirst(1, matching: DatagramMatch(sourceIP: left.ip, destinationIP: right.ip, where: {
            (try? STUNMessage(parsing: $0.payload))?.messageType == .bindingRequest
        })))
        lab.network.run(until: .seconds(12))
        let requests = lab.sends("left", .bindingRequest).filter { $0 > 70 }
        #expect(requests.count >= 3)
        #expect(requests[1] - requests[0] == 500)
        #expect(lab.states("left").last?.1 == .completed)
    }

    @Test("a short outage: disconnected, then completed again when consent answers resume")
    func consentRecovers() throws {
        let lab = try Self.connected()
        lab.network.addRule(.outage(from: .seconds(1), until: .seconds(14)))
        lab.network.run(until: .seconds(40))
        let states = lab.states("left").filter { $0.0 > 1000 }.map(\.1)
        #expect(states == [.disconnected, .completed])
        #expect(lab.agent("left").state == .completed)
    }

    @Test("ICE restart: new credentials, a rebuilt checklist, checks with the new ufrag, connected again")
    func restart() throws {
        let lab = try Self.connected()
        let newLeft = try ICECredentials(ufrag: "LEFT2", password: String(repeating: "L", count: 24))
        let newRight = try ICECredentials(ufrag: "RIGHT2", password: String(repeating: "R", count: 24))
        lab.network.run(until: .seconds(2))
        lab.network.modify(lab.handles["left"]!) { agent, now in agent.restart(credentials: newLeft, at: now) }
        lab.network.modify(lab.handles["right"]!) { agent, now in agent.restart(credentials: newRight, at: now) }
        #expect(lab.agent("left").checklist.pairs.isEmpty && lab.agent("left").remoteCredentials == nil)
        #expect(lab.agent("left").selectedPair != nil)  // data keeps flowing meanwhile
        lab.exchange("left", "right")
        lab.network.run(until: .seconds(4))
        let after = lab.checks("left").filter { $0.0 >= 2000 }
        #expect(after.map(\.0) == [2000, 2050])
        #expect(after.map(\.2) == [false, true])
        let request = try #require(lab.network.trace.sends(from: AgentLab.address("10.0.0.1:5000"))
            .first { $0.time.milliseconds == 2000 })
        let username = try STUNMessage(parsing: request.datagram.payload).attribute(Username.self)?.value
        #expect(username == "RIGHT2:LEFT2")
        #expect(lab.agent("left").validPairs.values.contains { $0.isNominated })
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
        lab.network.modify(lab.handles["left"]!) { agent, _ in try? agent.send([0x17, 1]) }
        lab.network.run(for: .seconds(1))
        #expect(lab.received("right") == [[0x17, 1]])
    }
}
