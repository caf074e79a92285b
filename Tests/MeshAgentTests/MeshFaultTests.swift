@testable import MeshAgent
import MeshProtocol
import Wire
import Testing

/// Signaling that misbehaves on purpose, around the real WebSocket: it can hold
/// an offer back until the first candidate behind it has been delivered (a relay
/// that reorders), and drop every candidate.
struct ReorderingTransport: SignalingTransport {
    var holdOffers = false
    var dropCandidates = false
    let inner = WebSocketSignalingTransport()

    func open(url: String, timeout: Duration,
              onFrame: @escaping @Sendable (String) async -> Void) async throws(MeshAgentError) -> any SignalingConnection {
        let held = Locked<String?>(nil)
        let (holdOffers, dropCandidates) = (self.holdOffers, self.dropCandidates)
        return try await inner.open(url: url, timeout: timeout) { text in
            let kind = (try? SignalingMessage.parse(text))?.kind
            if dropCandidates, kind == .iceCandidate { return }
            if holdOffers, kind == .offer {
                held.withLock { $0 = text }
                return
            }
            await onFrame(text)
            if kind == .iceCandidate, let offer = held.withLock({ state -> String? in
                defer { state = nil }
                return state
            }) {
                await onFrame(offer)
            }
        }
    }
}

@Suite("Mesh agents under faults", .serialized)
struct MeshFaultTests {
    @Test("candidates that arrive before their offer are kept and applied")
    func earlyCandidatesAreApplied() async throws {
        let mesh = try await MeshHarness.start()
        // alice (the answerer) sees bob's candidate before bob's offer; bob never
        // gets alice's candidates, so the connection can only form through the
        // candidate alice kept (bob learns her address from her checks).
        let (alice, aliceLog) = mesh.agent("alice", transport: ReorderingTransport(holdOffers: true))
        let (bob, bobLog) = mesh.agent("bob", transport: ReorderingTransport(dropCandidates: true))
        try await alice.start()
        try await bob.start()
        await aliceLog.wait("alice connected") { $0.contains(.peerConnected("bob")) }
        await bobLog.wait("bob connected") { $0.contains(.peerConnected("alice")) }
        let pair = try #require(alice.timeline.pairs["bob"])
        #expect(pair.offerer == false)
        try await bob.send(MeshMessage(type: "ok"), to: "alice")
        await aliceLog.wait("the message") { _ in aliceLog.messages(from: "bob").map(\.type) == ["ok"] }
        await alice.stop()
        await bob.stop()
        await mesh.stop()
    }

    @Test("a malformed mesh message is an error event, and the channel keeps working")
    func malformedMessageIsAnError() async throws {
        let mesh = try await MeshHarness.start()
        let (alice, aliceLog, bob, _) = try await mesh.connectedPair()
        try await bob.sendText("this is not json", to: "alice")
        try await bob.sendText(#"{"request_id":"no type"}"#, to: "alice")
        try await bob.send(MeshMessage(type: "fine"), to: "alice")
        await aliceLog.wait("two errors and the good message") { _ in
            aliceLog.errors("bad_mesh_message").count == 2 && aliceLog.messages(from: "bob").map(\.type) == ["fine"]
        }
        #expect(aliceLog.errors("bad_mesh_message").allSatisfy { $0.contains("bob") })
        #expect(alice.connectedPeers == ["bob"])
        await alice.stop()
        await bob.stop()
        await mesh.stop()
    }

    @Test("sending to an unknown peer, to a known one not connected, or too much, throws a typed error")
    func sendErrorsAreTyped() async throws {
        let mesh = try await MeshHarness.start()
        let (alice, aliceLog) = mesh.agent("alice") {
            $0.offersToPeerList = false
            $0.maxMessageBytes = 1000
        }
        let (bob, _) = mesh.agent("bob") { $0.offersToPeerList = false }
        try await alice.start()
        try await bob.start()
        await aliceLog.wait("alice saw bob") { $0.contains(.peerJoined("bob")) }
        await #expect(throws: MeshAgentError.unknownPeer("nobody")) { try await alice.send(MeshMessage(type: "x"), to: "nobody") }
        await #expect(throws: MeshAgentError.notConnected("bob")) { try await alice.send(MeshMessage(type: "x"), to: "bob") }
        let big = MeshMessage(type: "x", payload: .string(String(repeating: "a", count: 2000)))
        do {
            try await alice.send(big, to: "bob")
            Issue.record("an oversized message was sent")
        } catch {
            #expect(error.code == "too_large")
        }
        await alice.stop()
        await #expect(throws: MeshAgentError.stopped) { try await alice.send(MeshMessage(type: "x"), to: "bob") }
        await bob.stop()
        await mesh.stop()
    }

    @Test("start fails with a typed error when nothing listens, and names the refusal on 401")
    func startErrorsAreTyped() async throws {
        let mesh = try await MeshHarness.start()
        let port = mesh.port
        // Lab mode takes names, not API keys: 401.
        let keyed = MeshAgent(configuration: MeshAgentConfiguration(registry: mesh.base, credentials: .apiKey("nope")))
        do {
            try await keyed.start()
            Issue.record("an unknown API key was accepted")
        } catch {
            #expect(error.code == "unauthorized")
            #expect(error.description.contains("401"))
        }
        await keyed.stop()
        await mesh.stop()
        let nobody = MeshAgent(configuration: MeshAgentConfiguration(registry: "http://127.0.0.1:\(port)", credentials: .name("x")))
        do {
            try await nobody.start()
            Issue.record("start succeeded with no registry")
        } catch {
            #expect(error.code == "registry_unreachable")
        }
        await nobody.stop()
    }

    @Test("past maxPeers, further offers are refused with an error event, and the connections made keep working")
    func maxPeersBoundsConnections() async throws {
        let mesh = try await MeshHarness.start()
        let (alice, aliceLog) = mesh.agent("alice") { $0.maxPeers = 1 }
        let (bob, bobLog) = mesh.agent("bob")
        let (carol, _) = mesh.agent("carol") { $0.connectTimeout = .seconds(2) }
        try await alice.start()
        try await bob.start()
        await bobLog.wait("bob connected") { $0.contains(.peerConnected("alice")) }
        try await carol.start()
        await aliceLog.wait("carol refused") { _ in !aliceLog.errors("too_many_peers").isEmpty }
        #expect(alice.connectedPeers == ["bob"])
        try await bob.send(MeshMessage(type: "still"), to: "alice")
        await aliceLog.wait("bob's message") { _ in aliceLog.messages(from: "bob").map(\.type) == ["still"] }
        for agent in [alice, bob, carol] { await agent.stop() }
        await mesh.stop()
    }

    @Test("a peer that stops is reported as peer_disconnected to the others, and the rest keeps working")
    func stoppedPeerIsReported() async throws {
        let mesh = try await MeshHarness.start()
        let (ann, annLog) = mesh.agent("ann")
        let (ben, benLog) = mesh.agent("ben")
        let (cat, catLog) = mesh.agent("cat")
        for agent in [ann, ben, cat] { try await agent.start() }
        for (log, others) in [(annLog, ["ben", "cat"]), (benLog, ["ann", "cat"]), (catLog, ["ann", "ben"])] {
            await log.wait("full mesh") { events in others.allSatisfy { events.contains(.peerConnected($0)) } }
        }
        await ben.stop()
        let stopped = ContinuousClock.now
        await annLog.wait("ann saw ben go", timeout: .seconds(10)) { $0.contains(.peerDisconnected("ben")) }
        await catLog.wait("cat saw ben go", timeout: .seconds(10)) { $0.contains(.peerDisconnected("ben")) }
        print("peer_disconnected after stop: \(ContinuousClock.now - stopped)")
        #expect(ann.connectedPeers == ["cat"])
        try await ann.send(MeshMessage(type: "still-here"), to: "cat")
        await catLog.wait("ann to cat still works") { _ in catLog.messages(from: "ann").map(\.type) == ["still-here"] }
        await ann.stop()
        await cat.stop()
        await mesh.stop()
    }

    @Test("a peer whose signaling vanishes for good (killed) is reported within 10 s through presence")
    func vanishedPeerIsReported() async throws {
        let mesh = try await MeshHarness.start()
        let (alice, aliceLog, bob, _) = try await mesh.connectedPair()
        // As if bob's process died: its WebSocket goes and never comes back. Its
        // PeerConnection is still up, so only the registry's peer_left tells.
        await bob.engine.abandonSignaling()
        let vanished = ContinuousClock.now
        await aliceLog.wait("alice saw bob leave") { $0.contains(.peerLeft("bob")) }
        await aliceLog.wait("alice reported bob gone", timeout: .seconds(10)) { $0.contains(.peerDisconnected("bob")) }
        print("peer_disconnected after the peer vanished: \(ContinuousClock.now - vanished)")
        #expect(alice.connectedPeers.isEmpty)
        await alice.stop()
        await bob.stop()
        await mesh.stop()
    }

    @Test("the registry restarts: agents reconnect with fresh tokens, keep their channels, and the mesh forms again")
    func registryRestart() async throws {
        let first = try await MeshHarness.start()
        let (alice, aliceLog) = first.agent("alice")
        let (bob, bobLog) = first.agent("bob")
        try await alice.start()
        try await bob.start()
        await aliceLog.wait("alice connected") { $0.contains(.peerConnected("bob")) }
        await bobLog.wait("bob connected") { $0.contains(.peerConnected("alice")) }
        let firstToken = try #require(alice.timeline.agent.tokenReceived)

        await first.stop()
        await aliceLog.wait("alice lost signaling") { $0.contains { if case .signalingLost = $0 { true } else { false } } }
        await bobLog.wait("bob lost signaling") { $0.contains { if case .signalingLost = $0 { true } else { false } } }
        // Same port, new random secret: the old tokens are worthless, only fresh ones work.
        let second = try await MeshHarness.start(port: first.port)
        await aliceLog.wait("alice restored") { $0.contains(.signalingRestored) }
        await bobLog.wait("bob restored") { $0.contains(.signalingRestored) }
        #expect(try #require(alice.timeline.agent.tokenReceived) > firstToken)
        // The open channel survived the outage.
        #expect(!aliceLog.all.contains(.peerDisconnected("bob")))
        #expect(alice.connectedPeers == ["bob"])
        try await alice.send(MeshMessage(type: "after-restart"), to: "bob")
        await bobLog.wait("alice to bob after the restart") { _ in bobLog.messages(from: "alice").map(\.type) == ["after-restart"] }

        // The mesh forms again through the new registry: a newcomer reaches both.
        let (carol, carolLog) = second.agent("carol")
        try await carol.start()
        await carolLog.wait("carol connected to both") { events in
            events.contains(.peerConnected("alice")) && events.contains(.peerConnected("bob"))
        }
        await aliceLog.wait("alice connected to carol") { $0.contains(.peerConnected("carol")) }
        for agent in [alice, bob, carol] { await agent.stop() }
        await second.stop()
    }
}
