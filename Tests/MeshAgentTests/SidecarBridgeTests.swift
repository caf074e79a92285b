import MeshAgent
import MeshProtocol
import Testing

@Suite("Sidecar: mesh events to IPC events, commands to the agent")
struct SidecarBridgeTests {
    @Test("mesh events map to chatixia's IPC events; the message is handed on as received")
    func eventMapping() {
        let raw: JSONValue = ["type": "chat", "extra_field": "kept", "payload": ["n": 1]]
        let message = MeshMessage(type: "chat", payload: ["n": 1])
        #expect(Sidecar.ipcEvent(for: .peerConnected("bob")) == .peerConnected(peerID: "bob"))
        #expect(Sidecar.ipcEvent(for: .peerDisconnected("bob")) == .peerDisconnected(peerID: "bob"))
        #expect(Sidecar.ipcEvent(for: .message(from: "bob", message: message, raw: raw)) == .message(fromPeer: "bob", message: raw))
        #expect(Sidecar.ipcEvent(for: .error(code: "connect_timeout", message: "x")) == .error(code: "connect_timeout", message: "x"))
        for silent: MeshAgentEvent in [.registered(peers: ["a"]), .peerJoined("a"), .peerLeft("a"),
                                       .signalingLost(reason: "closed"), .signalingRestored] {
            #expect(Sidecar.ipcEvent(for: silent) == nil)
        }
    }

    @Test("commands on an agent that is not in the mesh: list_peers is empty, send and connect are error events")
    func commandsWithoutMesh() async throws {
        let agent = MeshAgent(configuration: MeshAgentConfiguration(registry: "http://127.0.0.1:9", credentials: .name("lonely")))
        let server = try await IPCServer.bind()
        let sidecar = Sidecar(agent: agent, server: server)
        #expect(await sidecar.handle(.listPeers) == [.peerList(peers: [])])
        #expect(await sidecar.handle(.broadcast(message: MeshMessage(type: "x"))) == [])
        for command: IPCCommand in [.send(targetPeer: "bob", message: MeshMessage(type: "x")), .connect(peerID: "bob")] {
            let answer = await sidecar.handle(command)
            #expect(answer.count == 1)
            guard case let .error(code, message)? = answer.first else {
                Issue.record("expected an error event for \(command), got \(answer)")
                continue
            }
            #expect(!code.isEmpty)
            #expect(!message.isEmpty)
        }
        await agent.stop()
        await server.close()
    }
}
