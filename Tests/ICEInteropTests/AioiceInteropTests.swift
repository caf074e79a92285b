import ICE
import Testing
import Wire

/// Our ICEAgent against aioice (PyPI, pinned in scripts/setup-python.sh) over
/// real loopback UDP, in both roles. Timings are printed, never asserted as performance.
@Suite("ICE interop with aioice")
struct AioiceInteropTests {
    @Test("our agent in either role connects to aioice and data crosses both ways", arguments: [ICERole.controlling, .controlled])
    func connects(role: ICERole) throws {
        let session = try InteropSession(role: role, peerArguments: [])
        try session.run()
        print("aioice interop (\(role)): \(session.summary)")

        let selected = try #require(session.selected, "our agent selected no pair; events: \(session.events.map(\.event))")
        #expect(selected.local.address == session.socket.localAddress)
        #expect(selected.local.address.ip == .loopbackV4 && selected.remote.address.ip == .loopbackV4)
        #expect(selected.local.type == .host && selected.remote.type == .host)
        #expect(session.agent.role == role, "no role conflict expected: aioice takes the other role")
        #expect(session.agent.state == .completed)

        let peer = try #require(session.peerConnected, "aioice never connected: \(session.peerMessages)")
        #expect(peer["local"] as? String == selected.remote.address.description, "aioice's selected local side")
        #expect(peer["remote"] as? String == selected.local.address.description, "aioice's selected remote side")
        let local = try #require(session.peerLocal)
        let candidates = local["candidates"] as? [[String: Any]] ?? []
        #expect(candidates.count == 1 && candidates.allSatisfy { $0["ip"] as? String == "127.0.0.1" },
                "aioice gathers loopback only: \(candidates)")

        #expect(session.received.contains(InteropSession.peerGreeting))
        #expect(session.received.contains("echo:" + InteropSession.ourGreeting))
        #expect(session.peerReceived.contains(InteropSession.ourGreeting))
        #expect(session.peerMessages.contains { $0["type"] as? String == "closed" }, "aioice did not close cleanly")
        // On loopback this takes tens of milliseconds; the bound only says it connected on its own
        // first attempts (RFC 8445's checks give up after 39.5 s), so machine load cannot fail it.
        let connectTime = try #require(session.selectedAt) - session.startedAt
        #expect(connectTime < .seconds(30))
    }
}
