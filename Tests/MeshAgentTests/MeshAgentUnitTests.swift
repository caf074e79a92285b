import DataChannels
@testable import MeshAgent
import MeshProtocol
import Testing

@Suite("Mesh agent parts without a network")
struct MeshAgentUnitTests {
    @Test("one registry base gives both URLs, for http, https, ws and a bare host:port")
    func registryBase() {
        let plain = MeshAgentConfiguration(registry: "http://127.0.0.1:8080/", credentials: .name("a"))
        #expect(plain.tokenURL == "http://127.0.0.1:8080/api/token")
        #expect(plain.signalingURL == "ws://127.0.0.1:8080/ws")
        let secure = MeshAgentConfiguration(registry: "https://mesh.example:443", credentials: .name("a"))
        #expect(secure.signalingURL == "wss://mesh.example:443/ws")
        let fromWS = MeshAgentConfiguration(registry: "ws://127.0.0.1:9", credentials: .name("a"))
        #expect(fromWS.tokenURL == "http://127.0.0.1:9/api/token")
        let bare = MeshAgentConfiguration(registry: "127.0.0.1:9", credentials: .name("a"))
        #expect(bare.tokenURL == "http://127.0.0.1:9/api/token" && bare.signalingURL == "ws://127.0.0.1:9/ws")
    }

    @Test("the token goes into the WebSocket URL percent-encoded")
    func tokenInURL() {
        #expect(MeshAgentEngine.signalingURL("ws://h/ws", token: "a.b-c_d") == "ws://h/ws?token=a.b-c_d")
        #expect(MeshAgentEngine.signalingURL("ws://h/ws", token: "a+b/c=") == "ws://h/ws?token=a%2Bb%2Fc%3D")
        #expect(MeshAgentEngine.signalingURL("ws://h/ws?x=1", token: "t") == "ws://h/ws?x=1&token=t")
    }

    @Test("token responses and ready JWTs are read; bad ones get a typed error")
    func tokens() throws {
        let token = try MeshToken(json: #"{"token":"j.w.t","peer_id":"alice","role":"agent"}"#)
        #expect(token == MeshToken(token: "j.w.t", peerID: "alice", role: "agent"))
        #expect(throws: MeshAgentError.self) { try MeshToken(json: #"{"peer_id":"alice"}"#) }
        #expect(throws: MeshAgentError.self) { try MeshToken(json: "<html>") }
        // {"sub":"bob","role":"agent"} as base64url, unsigned: the registry checks signatures, not us.
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IiLCJyb2xlIjoiYWdlbnQifQ.c2ln"
        #expect(try MeshTokenClient.token(fromJWT: jwt).peerID == "bob")
        #expect(throws: MeshAgentError.self) { try MeshTokenClient.token(fromJWT: "not-a-jwt") }
    }

    @Test("a DataChannel message becomes a mesh message event, or an error event when malformed")
    func messageEvents() {
        let good = MeshAgentEngine.event(for: .text(#"{"type":"chat","payload":{"text":"hi"}}"#), from: "bob", maxBytes: 1000)
        guard case let .message(from, message, raw) = good else {
            Issue.record("not a message: \(good)")
            return
        }
        #expect(from == "bob" && message.type == "chat" && raw["payload"]?["text"] == "hi")
        let binary = MeshAgentEngine.event(for: .binary(Array(#"{"type":"x"}"#.utf8)), from: "bob", maxBytes: 1000)
        #expect(binary == .message(from: "bob", message: MeshMessage(type: "x", payload: .null), raw: ["type": "x"]))
        for bad: DataChannelMessage in [.text("nope"), .text("[1]"), .text(#"{"type":""}"#), .binary([0xFF, 0xFE]),
                                        .text(#"{"type":"x","pad":""# + String(repeating: "a", count: 2000) + #""}"#)] {
            let event = MeshAgentEngine.event(for: bad, from: "bob", maxBytes: 1000)
            guard case let .error(code, _) = event else {
                Issue.record("accepted: \(bad)")
                continue
            }
            #expect(code == "bad_mesh_message")
        }
    }
}
