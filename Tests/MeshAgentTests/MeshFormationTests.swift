@testable import MeshAgent
import MeshProtocol
import Testing

@Suite("Mesh agents form a mesh through the registry", .serialized)
struct MeshFormationTests {
    @Test("two agents connect and exchange mesh messages both ways")
    func twoAgentsExchangeMessages() async throws {
        let mesh = try await MeshHarness.start()
        let (alice, aliceLog) = mesh.agent("alice")
        let (bob, bobLog) = mesh.agent("bob")
        try await alice.start()
        #expect(alice.peerID == "alice")
        try await bob.start()
        // The log's reader task takes events from the agent's stream on its own schedule:
        // wait for it (a failed wait records the events seen) rather than read it at once.
        await bobLog.wait("bob registered, seeing alice") { $0.contains(.registered(peers: ["alice"])) }
        await aliceLog.wait("alice connected to bob") { $0.contains(.peerConnected("bob")) }
        await bobLog.wait("bob connected to alice") { $0.contains(.peerConnected("alice")) }
        #expect(alice.connectedPeers == ["bob"])
        #expect(bob.connectedPeers == ["alice"])

        let hello = MeshMessage(type: "chat", requestID: "r1", sourceAgent: "alice", targetAgent: "bob", payload: ["text": "hello bob"])
        try await alice.send(hello, to: "bob")
        let reply = MeshMessage(type: "chat", requestID: "r1", sourceAgent: "bob", targetAgent: "alice", payload: ["text": "hi alice ✓"])
        try await bob.send(reply, to: "alice")
        await bobLog.wait("bob got alice's message") { _ in !bobLog.messages(from: "alice").isEmpty }
        await aliceLog.wait("alice got bob's reply") { _ in !aliceLog.messages(from: "bob").isEmpty }
        #expect(bobLog.messages(from: "alice") == [hello])
        #expect(aliceLog.messages(from: "bob") == [reply])
        // `raw` carries the message as received, all five fields.
        let raw = bobLog.all.compactMap { event -> JSONValue? in
            if case let .message(_, _, raw) = event { return raw }
            return nil
        }
        #expect(raw.first?["request_id"] == "r1")

        // The newcomer (bob) offered: its record holds every step, in order.
        let pair = try #require(bob.timeline.pairs["alice"])
        #expect(pair.offerer)
        let steps = [pair.created, pair.offer, pair.answer, pair.channelOpen]
        #expect(steps.allSatisfy { $0 != nil })
        let ordered = steps.compactMap { $0 }
        #expect(ordered == ordered.sorted())
        if let start = agentStepsStart(bob), let open = pair.channelOpen {
            print("bob: token requested -> channel to alice open: \(open - start); PeerConnection created -> open: \(open - pair.created!)")
        }
        #expect(pair.firstCandidate != nil && pair.lastCandidate != nil)
        #expect(pair.iceChecking != nil && pair.iceConnected != nil && pair.dtlsConnected != nil && pair.sctpEstablished != nil)
        let agentSteps = bob.timeline.agent
        let order = [agentSteps.tokenRequested, agentSteps.tokenReceived, agentSteps.webSocketOpen, agentSteps.registerSent,
                     agentSteps.peerListReceived].compactMap { $0 }
        #expect(order.count == 5)
        #expect(order == order.sorted())
        #expect(alice.timeline.pairs["bob"]?.offerer == false)
        #expect(alice.timeline.pairs["bob"]?.channelOpen != nil)

        let reached = await alice.broadcast(MeshMessage(type: "ping"))
        #expect(reached == ["bob"])
        await bobLog.wait("bob got the broadcast") { _ in bobLog.messages(from: "alice").count == 2 }

        await alice.stop()
        await bob.stop()
        await mesh.stop()
    }

    @Test("three agents form a full mesh: three connections, each agent connected to the other two")
    func threeAgentsFullMesh() async throws {
        let mesh = try await MeshHarness.start()
        let names = ["ann", "ben", "cat"]
        var agents: [(MeshAgent, EventLog)] = []
        for name in names {
            let made = mesh.agent(name)
            try await made.0.start()
            agents.append(made)
        }
        for (index, (agent, log)) in agents.enumerated() {
            let others = names.filter { $0 != names[index] }
            await log.wait("\(names[index]) connected to \(others)") { events in
                others.allSatisfy { events.contains(.peerConnected($0)) }
            }
            #expect(agent.connectedPeers == others)
            for other in others { #expect(log.count(.peerConnected(other)) == 1) }
        }
        // Every agent reaches every other.
        for (index, (agent, _)) in agents.enumerated() {
            let reached = await agent.broadcast(MeshMessage(type: "hello", sourceAgent: names[index]))
            #expect(reached.count == 2)
        }
        for (index, (_, log)) in agents.enumerated() {
            for other in names where other != names[index] {
                await log.wait("\(names[index]) heard \(other)") { _ in log.messages(from: other).count == 1 }
            }
        }
        for (agent, _) in agents { await agent.stop() }
        await mesh.stop()
    }

    @Test("glare: two agents offering to each other at once end with exactly one open channel")
    func glareEndsWithOneChannel() async throws {
        let mesh = try await MeshHarness.start()
        // Passive agents: neither offers on peer_list, so the two connect(to:) calls cross.
        let (alice, aliceLog) = mesh.agent("alice") { $0.offersToPeerList = false }
        let (bob, bobLog) = mesh.agent("bob") { $0.offersToPeerList = false }
        try await alice.start()
        try await bob.start()
        await aliceLog.wait("alice saw bob join") { $0.contains(.peerJoined("bob")) }
        async let fromAlice: Void = alice.connect(to: "bob")
        async let fromBob: Void = bob.connect(to: "alice")
        _ = try await (fromAlice, fromBob)
        await aliceLog.wait("alice connected") { $0.contains(.peerConnected("bob")) }
        await bobLog.wait("bob connected") { $0.contains(.peerConnected("alice")) }
        // Let any second connection (a glare handled wrongly) show itself.
        try await Task.sleep(for: .milliseconds(500))
        #expect(aliceLog.count(.peerConnected("bob")) == 1)
        #expect(bobLog.count(.peerConnected("alice")) == 1)
        #expect(!aliceLog.all.contains(.peerDisconnected("bob")))
        #expect(!bobLog.all.contains(.peerDisconnected("alice")))
        #expect(alice.connectedPeers == ["bob"] && bob.connectedPeers == ["alice"])
        // "alice" sorts lower: her offer won, bob answered it.
        #expect(alice.timeline.pairs["bob"]?.offerer == true)
        #expect(bob.timeline.pairs["alice"]?.offerer == false)
        try await alice.send(MeshMessage(type: "after-glare"), to: "bob")
        await bobLog.wait("the surviving channel works") { _ in bobLog.messages(from: "alice").map(\.type) == ["after-glare"] }
        await alice.stop()
        await bob.stop()
        await mesh.stop()
    }
}

/// When the agent asked for its token (the start of its timeline).
func agentStepsStart(_ agent: MeshAgent) -> ContinuousClock.Instant? { agent.timeline.agent.tokenRequested }
