import Foundation
import MeshProtocol
import MeshRegistry
import NIOWebSocket
import Testing

@Suite("RegistryServer: tokens and the upgrade, over real HTTP")
struct RegistryServerHTTPTests {
    static let keys = try! APIKeyFile(entries: [
        "ak_alice_0001": .init(peerID: "alice", role: "agent"),
        "ak_hub_0002": .init(peerID: "hub", role: "coordinator"),
    ])

    @Test("keys mode: a known x-api-key gets {token, peer_id, role}; unknown or missing gets 401")
    func tokenKeysMode() async throws {
        let registry = try await RegistryFixture.start(apiKeys: Self.keys)
        defer { Task { await registry.stop() } }
        let ok = try await RawHTTP.request(port: registry.port, method: "POST", path: "/api/token",
                                           headers: [("x-api-key", "ak_hub_0002")])
        #expect(ok.status == 200)
        #expect(ok.headers["content-type"]?.hasPrefix("application/json") == true)
        let body = try JSONValue.parse(ok.body)
        #expect(body["peer_id"] == "hub")
        #expect(body["role"] == "coordinator")
        #expect(body["token"]?.stringValue?.split(separator: ".").count == 3)
        for headers in [[("x-api-key", "ak_nobody")], [], [("x-peer-name", "alice")]] {
            let refused = try await RawHTTP.request(port: registry.port, method: "POST", path: "/api/token", headers: headers)
            #expect(refused.status == 401, "\(headers)")
            #expect(!refused.body.contains("ak_"), "the answer never echoes a key")
        }
        await registry.stop()
    }

    @Test("lab mode: x-peer-name gets a token for that name; x-api-key and no header get 401; a bad name 400")
    func tokenLabMode() async throws {
        let registry = try await RegistryFixture.start()
        defer { Task { await registry.stop() } }
        let ok = try await RawHTTP.request(port: registry.port, method: "POST", path: "/api/token",
                                           headers: [("x-peer-name", "alice.2_b-c")])
        #expect(ok.status == 200)
        let body = try JSONValue.parse(ok.body)
        #expect(body["peer_id"] == "alice.2_b-c")
        #expect(body["role"] == "agent")
        for headers in [[("x-api-key", "ak_dev_001")], []] {
            let refused = try await RawHTTP.request(port: registry.port, method: "POST", path: "/api/token", headers: headers)
            #expect(refused.status == 401)
            #expect(refused.body.contains("x-peer-name"), "the 401 says what lab mode wants")
        }
        for name in ["a b", "registry", String(repeating: "n", count: 65), "ünï"] {
            let bad = try await RawHTTP.request(port: registry.port, method: "POST", path: "/api/token",
                                                headers: [("x-peer-name", name)])
            #expect(bad.status == 400, "\(name)")
        }
        await registry.stop()
    }

    @Test("GET /ws with a missing, forged or expired token gets 401 before the upgrade; a good one 101")
    func upgradeNeedsToken() async throws {
        let secret = try RegistrySecret(text: String(repeating: "q", count: 48))
        let registry = try await RegistryFixture.start(secret: secret)
        defer { Task { await registry.stop() } }
        let good = try await registry.labToken("alice")
        let authority = await TokenAuthority(secret: secret)
        let expired = try await authority.mint(peerID: "alice", role: "agent", now: Date(timeIntervalSinceNow: -3600)).token
        let otherSecret = await TokenAuthority(secret: try RegistrySecret(text: String(repeating: "w", count: 48)))
        let forged = try await otherSecret.mint(peerID: "alice", role: "agent").token
        let parts = good.split(separator: ".")
        let none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + "."
        for (label, path) in [("missing", "/ws"), ("empty", "/ws?token="), ("garbage", "/ws?token=abc"),
                              ("forged", "/ws?token=\(forged)"), ("expired", "/ws?token=\(expired)"),
                              ("alg none", "/ws?token=\(none)")] {
            let reply = try await RawHTTP.upgrade(port: registry.port, path: path)
            #expect(reply.status == 401, "\(label): \(reply.status) \(reply.body)")
            #expect(reply.headers["upgrade"] == nil, "\(label): no upgrade")
        }
        let accepted = try await RawHTTP.upgrade(port: registry.port, path: "/ws?token=\(good)")
        #expect(accepted.status == 101)
        #expect(accepted.headers["upgrade"]?.lowercased() == "websocket")
        // Without the upgrade headers: 401 for a bad token, 426 for a good one.
        #expect(try await RawHTTP.request(port: registry.port, method: "GET", path: "/ws?token=\(forged)").status == 401)
        #expect(try await RawHTTP.request(port: registry.port, method: "GET", path: "/ws?token=\(good)").status == 426)
        await registry.stop()
    }

    @Test("GET / serves the chat page as HTML; /healthz reports the mode")
    func pageAndHealth() async throws {
        let registry = try await RegistryFixture.start(apiKeys: Self.keys)
        defer { Task { await registry.stop() } }
        let page = try await RawHTTP.request(port: registry.port, method: "GET", path: "/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.body == ChatPage.html)
        let health = try await RawHTTP.request(port: registry.port, method: "GET", path: "/healthz")
        #expect(try JSONValue.parse(health.body) == ["ok": true, "mode": "keys", "peers": 0])
        await registry.stop()
    }

    @Test("a port in use is a typed listener error; bad settings are refused before binding")
    func startFailures() async throws {
        let registry = try await RegistryFixture.start()
        defer { Task { await registry.stop() } }
        var settings = RegistrySettings()
        settings.port = registry.port
        do {
            try await RegistryServer(settings: settings).start()
            Issue.record("a second registry bound the same port")
        } catch {
            #expect(error.code == .listener)
            #expect(error.reason.contains("\(registry.port)"))
        }
        settings.tokenLifetime = .zero
        await #expect(throws: RegistryError.self) { try await RegistryServer(settings: settings).start() }
        await registry.stop()
    }
}

@Suite("RegistryServer: signaling between real WebSocket clients")
struct RegistryServerSignalingTests {
    @Test("register gets peer_list; the others get peer_joined, then peer_left when the peer goes")
    func registerAndPresence() async throws {
        let registry = try await RegistryFixture.start()
        defer { Task { await registry.stop() } }
        let (alice, first) = try await registry.join("alice")
        #expect(first == [])
        let (bob, second) = try await registry.join("bob")
        #expect(second == ["alice"])
        let joined = try await alice.next { $0.kind == .peerJoined }
        #expect(joined.peerID == "registry")
        #expect(joined.payload["peer_id"] == "bob")
        #expect(registry.server.registeredPeers == ["alice", "bob"])
        bob.close()
        _ = try await bob.closed()
        let left = try await alice.next { $0.kind == .peerLeft }
        #expect(left.payload["peer_id"] == "bob")
        await registry.stop()
    }

    @Test("an offer, an answer and a candidate are relayed to target_id byte for byte")
    func relay() async throws {
        let registry = try await RegistryFixture.start()
        defer { Task { await registry.stop() } }
        let (alice, _) = try await registry.join("alice")
        let (bob, _) = try await registry.join("bob")
        let offer = #"{"type":"offer","peer_id":"alice","target_id":"bob","payload":{"sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n","x":1.50}}"#
        alice.send(offer)
        #expect(try await bob.nextText { $0.contains(#""type":"offer""#) } == offer)
        let answer = #"{"payload":{"sdp":"v=0\r\n"},"type":"answer","target_id":"alice","peer_id":"bob"}"#
        bob.send(answer)
        #expect(try await alice.nextText { $0.contains(#""type":"answer""#) } == answer)
        let candidate = #"{"type":"ice_candidate","peer_id":"bob","target_id":"alice","payload":{"candidate":"candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host","sdpMid":null,"sdpMLineIndex":0}}"#
        bob.send(candidate)
        #expect(try await alice.nextText { $0.contains("ice_candidate") } == candidate)
        await registry.stop()
    }

    @Test("a frame sent as someone else is refused and never reaches anyone")
    func impersonation() async throws {
        let registry = try await RegistryFixture.start()
        defer { Task { await registry.stop() } }
        let (alice, _) = try await registry.join("alice")
        let (bob, _) = try await registry.join("bob")
        let (mallory, _) = try await registry.join("mallory")
        mallory.send(#"{"type":"offer","peer_id":"bob","target_id":"alice","payload":{"sdp":"evil"}}"#)
        let refused = try await mallory.next { $0.kind == .error }
        #expect(refused.payload["code"] == .string(RegistryErrorCode.peerIDMismatch))
        // The registry handles mallory's frames in order: her next (honest) offer is the
        // first offer alice can get, so the forged one was never relayed.
        mallory.send(#"{"type":"offer","peer_id":"mallory","target_id":"alice","payload":{"sdp":"honest"}}"#)
        let first = try await alice.next { $0.kind == .offer }
        #expect(first.peerID == "mallory")
        #expect(try SessionPayload(first.payload).sdp == "honest")
        #expect(!bob.pending.contains { $0.contains("evil") })
        await registry.stop()
    }

    @Test("malformed JSON gets an error frame and the connection stays up")
    func malformed() async throws {
        let registry = try await RegistryFixture.start()
        defer { Task { await registry.stop() } }
        let (alice, _) = try await registry.join("alice")
        alice.send("{this is not json")
        let error = try await alice.next { $0.kind == .error }
        #expect(error.peerID == "registry")
        #expect(error.payload["code"] == .string(RegistryErrorCode.malformed))
        alice.send(#"{"type":"salsa","peer_id":"alice"}"#)
        let unknown = try await alice.next { $0.kind == .error }
        #expect(unknown.payload["code"] == .string(RegistryErrorCode.unknownType))
        #expect(unknown.payload["ref_type"] == "salsa")
        alice.send(#"{"type":"register","peer_id":"alice"}"#)
        _ = try await alice.next { $0.kind == .peerList }
        #expect(!alice.isClosed)
        await registry.stop()
    }

    @Test("a frame over the limit gets too_large; one past the WebSocket limit is closed with 1009")
    func frameSize() async throws {
        let registry = try await RegistryFixture.start { $0.limits.maxFrameBytes = 4096 }
        defer { Task { await registry.stop() } }
        let (alice, _) = try await registry.join("alice")
        alice.send(#"{"type":"heartbeat","peer_id":"alice","payload":""# + String(repeating: "x", count: 8000) + #""}"#)
        let error = try await alice.next { $0.kind == .error }
        #expect(error.payload["code"] == .string(RegistryErrorCode.tooLarge))
        #expect(!alice.isClosed)
        let limit = registry.server.settings.webSocketMaxFrameBytes
        alice.send(String(repeating: "y", count: limit + 1))
        let close = try await alice.closed()
        #expect(close?.closeCode == .messageTooLarge)
        await registry.stop()
    }

    @Test("frames over the rate get rate_limited; a flood is closed with 1008 and the others see peer_left")
    func rateLimit() async throws {
        let registry = try await RegistryFixture.start {
            $0.limits = RegistryLimits(framesPerSecond: 0.5, burst: 2, floodLimit: 6)
        }
        defer { Task { await registry.stop() } }
        let (alice, _) = try await registry.join("alice")
        let (bob, _) = try await registry.join("bob")   // bob's own bucket: a register left one token
        for _ in 0..<12 { bob.send(#"{"type":"heartbeat","peer_id":"bob"}"#) }
        let refused = try await bob.next { $0.kind == .error }
        #expect(refused.payload["code"] == .string(RegistryErrorCode.rateLimited))
        let close = try await bob.closed()
        #expect(close?.closeCode == .policyViolation)
        let left = try await alice.next { $0.kind == .peerLeft }
        #expect(left.payload["peer_id"] == "bob")
        await registry.stop()
    }

    @Test("a second connection as the same peer replaces the first: close 4000, no churn for the others")
    func replacement() async throws {
        let registry = try await RegistryFixture.start()
        defer { Task { await registry.stop() } }
        let (alice, _) = try await registry.join("alice")
        let (bob, _) = try await registry.join("bob")
        _ = try await alice.next { $0.kind == .peerJoined }
        let (newAlice, list) = try await registry.join("alice")
        #expect(list == ["bob"])
        let notice = try await alice.next { $0.kind == .error }
        #expect(notice.payload["code"] == .string(RegistryErrorCode.replaced))
        let close = try await alice.closed()
        #expect(close?.closeCode == .unknown(RegistryCloseCode.replaced))
        #expect(close?.reason == "replaced")
        // bob sees neither a peer_left nor a second peer_joined, and reaches the new alice.
        bob.send(#"{"type":"offer","peer_id":"bob","target_id":"alice","payload":{"sdp":"v=0"}}"#)
        let offer = try await newAlice.next { $0.kind == .offer }
        #expect(offer.peerID == "bob")
        bob.send(#"{"type":"register","peer_id":"bob"}"#)
        #expect(try await bob.next { $0.kind == .peerList }.payload == ["peers": ["alice"]])
        #expect(!bob.pending.contains { $0.contains("peer_left") || $0.contains("peer_joined") })
        #expect(registry.server.registeredPeers == ["alice", "bob"])
        await registry.stop()
    }

    @Test("the registry pings every peer: one that never answers is closed, one that does stays")
    func keepalive() async throws {
        let registry = try await RegistryFixture.start { $0.pingInterval = .seconds(1) }
        defer { Task { await registry.stop() } }
        let (alice, _) = try await registry.join("alice")
        let token = try await registry.labToken("sleepy")
        // A raw connection that upgrades and then never reads a frame or answers a ping.
        let opcodes = try await RawHTTP.upgradeAndListen(port: registry.port, path: "/ws?token=\(token)", timeout: 30)
        #expect(opcodes.contains(0x9), "a ping came: \(opcodes)")
        #expect(opcodes.last == 0x8, "and then a close: \(opcodes)")
        // alice's client answered every ping meanwhile, and is still served.
        #expect(!alice.isClosed)
        alice.send(#"{"type":"register","peer_id":"alice"}"#)
        _ = try await alice.next { $0.kind == .peerList }
        await registry.stop()
    }

    @Test("stopping the registry closes every WebSocket with 1001")
    func stopCloses() async throws {
        let registry = try await RegistryFixture.start()
        let (alice, _) = try await registry.join("alice")
        await registry.stop()
        let close = try await alice.closed()
        #expect(close?.closeCode == .goingAway)
        #expect(registry.server.port == nil)
    }
}
