import MeshProtocol
import Testing

@Suite("IPC lines and mesh messages (chatixia-mesh's format)")
struct IPCMessageTests {
    @Test("chatixia MeshClient's send line parses; missing mesh fields default to empty")
    func sendLine() throws {
        let line = #"{"type": "send", "payload": {"target_peer": "bob", "message": {"type": "ping", "request_id": "r1"}}}"#
        guard case let .send(target, message) = try IPCCommand.parse(line) else { Issue.record("not a send"); return }
        #expect(target == "bob")
        #expect(message == MeshMessage(type: "ping", requestID: "r1", payload: .null))
    }

    @Test("connect reads peer_id or target_peer_id")
    func connectLine() throws {
        #expect(try IPCCommand.parse(#"{"type":"connect","payload":{"peer_id":"bob"}}"#) == .connect(peerID: "bob"))
        #expect(try IPCCommand.parse(#"{"type":"connect","payload":{"target_peer_id":"bob"}}"#) == .connect(peerID: "bob"))
    }

    @Test("every command prints a line that parses back to itself")
    func commandRoundTrip() throws {
        let message = MeshMessage(type: "chat", requestID: "1", sourceAgent: "a", targetAgent: "b", payload: ["text": "hi"])
        for command in [IPCCommand.send(targetPeer: "b", message: message), .broadcast(message: message), .listPeers, .connect(peerID: "b")] {
            #expect(try IPCCommand.parse(command.jsonText) == command)
        }
    }

    @Test("every event prints a line that parses back to itself")
    func eventRoundTrip() throws {
        for event in [IPCEvent.message(fromPeer: "a", message: MeshMessage(type: "ping").json), .peerConnected(peerID: "a"),
                      .peerDisconnected(peerID: "a"), .peerList(peers: ["a", "b"]), .error(code: "unknown_peer", message: "no such peer")] {
            #expect(try IPCEvent.parse(event.jsonText) == event)
        }
    }

    @Test("bad commands get a typed error", arguments: [
        "", "{}", #"{"type":"send","payload":{"message":{"type":"x"}}}"#, #"{"type":"send","payload":{"target_peer":"b"}}"#,
        #"{"type":"broadcast","payload":{"message":{"request_id":"no type"}}}"#, #"{"type":"fly","payload":{}}"#,
        #"{"type":"broadcast","payload":{"message":{"type":"x","source_agent":3}}}"#,
    ])
    func hostile(line: String) {
        #expect(throws: MeshWireError.self) { try IPCCommand.parse(line) }
    }
}
