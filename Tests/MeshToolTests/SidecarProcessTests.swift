import Foundation
import MeshProtocol
import Testing
import ToolTestSupport

@Suite("datachannel-chat sidecar as a process", .serialized)
struct SidecarProcessTests {
    @Test("two sidecars and a registry: send, broadcast, list_peers, connect and error events over the sockets")
    func twoSidecars() throws {
        let registry = try RegistryProcess()
        let alice = try SidecarProcess(registry: registry, name: "alice")
        let bob = try SidecarProcess(registry: registry, name: "bob")
        #expect(alice.peerID == "alice")
        #expect(bob.peerID == "bob")
        // Private directory 0700, socket 0600.
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: alice.socketPath)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let directory = URL(fileURLWithPath: alice.socketPath).deletingLastPathComponent().path
        let directoryMode = try #require(try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int)
        #expect(directoryMode == 0o700)

        let a = try AgentConnection(path: alice.socketPath)
        let b = try AgentConnection(path: bob.socketPath)
        try a.waitForPeers(["bob"])
        try b.waitForPeers(["alice"])

        let chat = MeshMessage(type: "chat", requestID: "r-1", sourceAgent: "alice", targetAgent: "bob",
                               payload: ["text": "hello bob", "n": 7, "nested": ["ok": true]])
        a.send(.send(targetPeer: "bob", message: chat))
        #expect(try b.waitForMessage(from: "alice", type: "chat") == chat.json)

        b.send(.broadcast(message: MeshMessage(type: "announce", sourceAgent: "bob", payload: ["note": "hi all"])))
        #expect(try a.waitForMessage(from: "bob", type: "announce")["payload"]?["note"] == "hi all")

        a.send(.listPeers)
        #expect(try a.waitFor("peer_list") { if case .peerList = $0 { true } else { false } } == .peerList(peers: ["bob"]))

        // Beyond chatixia: errors are reported, and the connection stays up.
        a.send(.send(targetPeer: "ghost", message: MeshMessage(type: "chat")))
        let unknown = try a.waitFor("an error event") { if case .error = $0 { true } else { false } }
        guard case let .error(code, _) = unknown else { return }
        #expect(code == "unknown_peer")
        a.write("{not json\n")
        #expect(try a.waitFor("an error event") { if case .error = $0 { true } else { false } }
            == .error(code: "bad_command", message: try #require(Self.badCommandMessage("{not json"))))
        a.write("{\"type\":\"broadcast\",\"payload\":{\"message\":{\"type\":\"" + String(repeating: "x", count: 300_000) + "\"}}}\n")
        let large = try a.waitFor("an error event") { if case .error = $0 { true } else { false } }
        guard case let .error(largeCode, _) = large else { return }
        #expect(largeCode == "too_large")
        a.send(.connect(peerID: "bob"))
        a.send(.send(targetPeer: "bob", message: MeshMessage(type: "after-errors")))
        _ = try b.waitForMessage(from: "alice", type: "after-errors")

        // The agent leaves: its sidecar exits 0 and removes its socket; the other side is told.
        a.close()
        #expect(alice.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: alice.socketPath))
        try b.waitFor("peer_disconnected alice", timeout: .seconds(15)) { $0 == .peerDisconnected(peerID: "alice") }
        b.close()
        #expect(bob.waitForExit() == 0)
        registry.program.stop()
    }

    /// The text the sidecar puts in a bad_command error for `line` (the parser's own words).
    static func badCommandMessage(_ line: String) -> String? {
        do {
            _ = try IPCCommand.parse(line)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a sidecar that cannot join exits non-zero with one line on stderr and creates no socket")
    func startupFailures() throws {
        let product = try Programs.product("datachannel-chat")
        let socket = Programs.temporaryPath("never", ".sock")
        // Nothing listens on this port.
        let port = try Programs.freeUDPPort()
        let unreachable = try Programs.run("/usr/bin/env", [
            "TOKEN_URL=http://127.0.0.1:\(port)/api/token", "SIGNALING_URL=ws://127.0.0.1:\(port)/ws",
            "API_KEY=ak_nobody", "IPC_SOCKET=\(socket)", product, "sidecar",
        ], timeout: .seconds(60))
        #expect(unreachable.status != 0)
        #expect(unreachable.errorLines.count == 1, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("cannot join the mesh"))
        #expect(!FileManager.default.fileExists(atPath: socket))

        // A key the registry does not know: 401.
        let registry = try RegistryProcess(keys: ["ak_alice": "alice"])
        let refused = try Programs.run("/usr/bin/env", [
            "TOKEN_URL=\(registry.tokenURL)", "SIGNALING_URL=\(registry.signalingURL)",
            "API_KEY=ak_wrong_key", "IPC_SOCKET=\(socket)", product, "sidecar",
        ], timeout: .seconds(60))
        #expect(refused.status != 0)
        #expect(refused.errorLines.count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("unauthorized"))
        #expect(!refused.stderr.contains("ak_wrong_key"), "the key must not be echoed")
        #expect(!FileManager.default.fileExists(atPath: socket))

        // No credentials at all: a usage error.
        let none = try Programs.run("/usr/bin/env", ["-u", "API_KEY", "TOKEN_URL=\(registry.tokenURL)", product, "sidecar"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no credentials"))
        registry.program.stop()
    }

    @Test("IPC_SOCKET is honoured (keys mode), and SIGTERM ends the sidecar with 0 and removes the socket")
    func givenSocketAndSigterm() throws {
        let registry = try RegistryProcess(keys: ["ak_alice": "alice"])
        let path = Programs.temporaryPath("alice", ".sock")
        let alice = try SidecarProcess(registry: registry, apiKey: "ak_alice", socketPath: path)
        #expect(alice.socketPath == path)
        #expect(alice.peerID == "alice")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let agent = try AgentConnection(path: path)
        agent.send(.listPeers)
        #expect(try agent.next() == .peerList(peers: []))
        kill(alice.pid, SIGTERM)
        #expect(alice.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
        registry.program.stop()
    }
}
