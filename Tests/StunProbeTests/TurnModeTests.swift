import Foundation
import Testing
import PacketCapture
import SocketDriver
import STUN
import ToolTestSupport
import Wire

/// `stun-probe --turn`: the whole TURN walk-through against the embedded server and
/// against coturn, the overhead figures, the pcap, and the failures a student meets.
@Suite("stun-probe --turn")
struct TurnModeTests {
    /// The steps' message kinds on the client's hop, in order (ChannelData carries a channel number).
    static let expectedKinds = [
        "Allocate Request", "Allocate Error Response 401", "Allocate Request", "Allocate Success Response",
        "CreatePermission Request", "CreatePermission Success Response",
        "Send Indication", "Data Indication",
        "ChannelBind Request", "ChannelBind Success Response",
        "ChannelData 0x4000", "ChannelData 0x4000",
        "Refresh Request", "Refresh Success Response",
        "Refresh Request", "Refresh Success Response",
    ]

    @Test("against the embedded server: every step, the relayed address, the lifetime, and 36 vs 4 bytes of framing")
    func embedded() throws {
        let result = try Probe.run(["--turn", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try result.json()
        #expect(object["embedded_server"] as? Bool == true)
        try Self.checkWalkThrough(object)
    }

    @Test("against coturn on loopback: the same walk-through, and the pcap holds every datagram, which tshark decodes as TURN")
    func coturn() throws {
        let coturn = try Coturn.start(credentials: Coturn.Credentials(username: "lab", password: "secret", realm: "webrtc-lab"))
        defer { coturn.stop() }
        let path = Programs.temporaryPath("turn-coturn", ".pcap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Probe.run(["--turn", "127.0.0.1:\(coturn.port)", "--json", "--pcap", path])
        #expect(result.status == 0, "stderr: \(result.stderr)\ncoturn:\n\(coturn.stop().suffix(2000))")
        let object = try result.json()
        #expect(object["embedded_server"] as? Bool == false)
        #expect(object["server"] as? String == "127.0.0.1:\(coturn.port)")
        try Self.checkWalkThrough(object)

        // The pcap: exactly the datagrams --json lists, client hop and peer hop, with good checksums.
        let messages = try #require(object["messages"] as? [[String: Any]])
        let packets = try PcapReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path)))).packets()
        #expect(packets.count == messages.count && packets.count == 20, "\(packets.count) packets, \(messages.count) messages")
        #expect(object["pcap_records"] as? Int == packets.count)
        for (packet, message) in zip(packets, messages) {
            #expect(Hex.encode(packet.payload) == message["hex"] as? String)
            #expect("\(packet.datagram.source)" == message["from"] as? String)
            #expect(packet.isIPChecksumValid && packet.isUDPChecksumValid)
        }
        // tshark: STUN/TURN on the server's port (ChannelData included), bare UDP to and from the peer.
        let summary = try Tshark.run(["-r", path, "-d", "udp.port==\(coturn.port),stun"])
        #expect(summary.status == 0, "tshark: \(summary.stderr)")
        let lines = summary.stdout.split(separator: "\n").map(String.init)
        let expected = [
            "Allocate Request", "Allocate Error Response error-code: 401", "Allocate Request UDP user: lab realm: webrtc-lab",
            "Allocate Success Response XOR-RELAYED-ADDRESS", "CreatePermission Request", "CreatePermission Success Response",
            "Send Indication", "Len=24", "Len=24", "Data Indication", "Channel-Bind Request", "Channel-Bind Success Response",
            "ChannelData TURN Message", "Len=24", "Len=24", "ChannelData TURN Message", "Refresh Request lifetime: 600",
            "Refresh Success Response", "Refresh Request lifetime: 0", "Refresh Success Response",
        ]
        #expect(lines.count == expected.count, "tshark saw:\n\(summary.stdout)")
        for (line, text) in zip(lines, expected) { #expect(line.contains(text), "expected \"\(text)\" in: \(line)") }
        let flagged = try Tshark.run(["-r", path, "-d", "udp.port==\(coturn.port),stun",
                                      "-Y", "_ws.malformed || _ws.expert.severity >= warning"])
        #expect(flagged.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "flagged: \(flagged.stdout)")
        print("stun-probe --turn vs coturn: allocate \(object["allocate_ms"] ?? "-") ms, steps \(object["steps"] ?? "-")")
    }

    @Test("the human report shows each step's packet tree, the peer's bare payload and the overhead comparison")
    func human() throws {
        let result = try Probe.run(["--turn", "--message", "abc"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let out = result.stdout
        for step in ["== 1. Allocate", "== 2. CreatePermission", "== 3. Send indication", "== 4. ChannelBind",
                     "== 5. ChannelData both ways", "== 6. Refresh", "== 7. Refresh with LIFETIME 0"] {
            #expect(out.contains(step), "missing \(step)")
        }
        #expect(out.contains("<-- Allocate Error Response 401"))
        #expect(out.contains("REALM: \"webrtc-lab\""))
        #expect(out.contains("--> Allocate Request (signed)"))
        #expect(out.contains("MESSAGE-INTEGRITY: valid"))
        #expect(out.contains("XOR-RELAYED-ADDRESS: 127.0.0.1:"))
        #expect(out.contains("LIFETIME: 600 s"))
        #expect(out.contains("LIFETIME: 0 s"))
        #expect(out.contains("Channel Number: 0x4000"))
        #expect(out.contains("the bare payload \"abc\""))
        #expect(out.contains("Received 3 bytes as ChannelData on channel 0x4000: \"abc\" (the payload we sent, echoed)"))
        // 3 bytes: DATA is padded to 4, so a Send indication spends 37 bytes on framing; ChannelData still 4.
        #expect(out.contains("Send indication (client->server)") && out.contains("40 bytes = 3 payload + 37 overhead"))
        #expect(out.contains("7 bytes = 3 payload + 4 overhead (ChannelData header 4)"))
        #expect(out.contains("ChannelData saves 33 bytes per datagram over a Send indication"))
    }

    @Test("a wrong password: the signed Allocate gets 401 again, explained on one line, exit 6 (embedded server and coturn)")
    func wrongPassword() throws {
        let coturn = try Coturn.start(credentials: Coturn.Credentials(username: "lab", password: "secret", realm: "webrtc-lab"))
        defer { coturn.stop() }
        for server in [[], ["127.0.0.1:\(coturn.port)"]] {
            let result = try Probe.run(["--turn", "--password", "wrong"] + server)
            #expect(result.status == 6, "\(server): stdout \(result.stdout.suffix(500)) stderr \(result.stderr)")
            #expect(result.errorLines.count == 1, "stderr: \(result.stderr)")
            let line = result.errorLines.first ?? ""
            #expect(line.contains("Allocate refused with 401 Unauthenticated"), "\(line)")
            #expect(line.contains("password is wrong"), "\(line)")
            // Both 401s are shown: the challenge, then the refusal of the signed request.
            #expect(result.stdout.components(separatedBy: "<-- Allocate Error Response 401").count == 3)
            #expect(!result.stdout.contains("== 2."))
            let json = try Probe.run(["--turn", "--password", "wrong", "--json"] + server)
            #expect(json.status == 6)
            let object = try json.json()
            #expect(object["ok"] as? Bool == false)
            #expect(object["exit_code"] as? Int == 6)
            #expect((object["error"] as? String)?.contains("401") == true)
            #expect(object["relayed_address"] == nil)
        }
    }

    @Test("the TURN password never appears in the output, the log or --json, whether it is right or wrong (coturn)")
    func passwordNeverPrinted() throws {
        let password = "pw-\(UInt32.random(in: 100_000...999_999))-never-printed"
        let coturn = try Coturn.start(credentials: Coturn.Credentials(username: "lab", password: password, realm: "webrtc-lab"))
        defer { coturn.stop() }
        let server = "127.0.0.1:\(coturn.port)"
        for (given, status) in [(password, Int32(0)), (password + "-wrong", Int32(6))] {
            for json in [false, true] {
                let run = try Probe.run(["--turn", server, "--username", "lab", "--password", given] + (json ? ["--json"] : []))
                #expect(run.status == status, "\(run.stdout.suffix(400)) \(run.stderr)")
                #expect(!run.stdout.contains(password) && !run.stderr.contains(password),
                        "the password appears in the output (json: \(json))")
            }
        }
    }

    @Test("a silent peer exits 4 naming the peer, and the allocation is still deleted")
    func silentPeer() throws {
        let silent = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { silent.close() }
        let result = try Probe.run(["--turn", "--json", "--peer", "\(silent.localAddress)", "--timeout", "1"])
        #expect(result.status == 4, "stderr: \(result.stderr)")
        #expect(result.errorLines.first?.contains("nothing came back through the relay") == true, "\(result.stderr)")
        let object = try result.json()
        #expect(object["embedded_peer"] as? Bool == false)
        let messages = try #require(object["messages"] as? [[String: Any]])
        let kinds = messages.compactMap { $0["kind"] as? String }
        #expect(kinds.contains("Send Indication") && !kinds.contains("Data Indication"), "\(kinds)")
        // The clean-up: a Refresh with LIFETIME 0, answered.
        let last = try #require(messages.last(where: { $0["leg"] as? String == "client->server" })?["hex"] as? String)
        let refresh = try STUNMessage(parsing: try #require(Hex.decode(last)))
        #expect(refresh.messageType.method == .refresh)
        #expect(try refresh.attribute(Lifetime.self)?.seconds == 0)
        #expect(kinds.last == "Refresh Success Response")
    }

    @Test("a silent server exits 4 after the retransmission schedule (--rto shortens it)")
    func silentServer() throws {
        let silent = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { silent.close() }
        let result = try Probe.run(["--turn", "\(silent.localAddress)", "--rto", "5"])
        #expect(result.status == 4, "stderr: \(result.stderr)")
        #expect(result.errorLines.first?.contains("Allocate: no answer after every retransmission") == true, "\(result.stderr)")
        #expect(result.stdout.contains("sent again (send #7"))
    }

    @Test("bad arguments for --turn exit 2 with one line naming the problem", arguments: [
        (["--turn", "--serve"], "--serve"),
        (["--turn", "--count", "2"], "--count"),
        (["--turn", "--use-exercise"], "--use-exercise"),
        (["--turn", "--peer", "example.org:80"], "--peer"),
        (["--turn", "--peer", "127.0.0.1:0"], "--peer"),
        (["--turn", "--message", ""], "--message"),
        (["--peer", "127.0.0.1:9"], "--turn"),
        (["--turn", "127.0.0.1:99999"], "bad port"),
    ])
    func usage(arguments: [String], mention: String) throws {
        let result = try Probe.run(arguments)
        #expect(result.status == 2)
        #expect(result.errorLines.count == 1, "stderr: \(result.stderr)")
        #expect(result.errorLines.first?.contains(mention) == true, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("--help documents --turn with examples")
    func help() throws {
        let result = try Probe.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("stun-probe --turn "))
        #expect(result.stdout.contains("XOR-RELAYED-ADDRESS"))
        #expect(result.stdout.contains("--peer <address>"))
    }

    // MARK: - Shared checks

    /// The walk-through's messages, decoded again here with the library (not the tool's words).
    static func checkWalkThrough(_ object: [String: Any]) throws {
        #expect(object["ok"] as? Bool == true)
        let messages = try #require(object["messages"] as? [[String: Any]])
        let clientHop = messages.filter { ($0["leg"] as? String)?.hasPrefix("client") == true
            || ($0["leg"] as? String)?.hasPrefix("server") == true }
        #expect(clientHop.compactMap { $0["kind"] as? String } == expectedKinds)
        let decoded = clientHop.map { message -> STUNMessage? in
            guard let hex = message["hex"] as? String, let bytes = Hex.decode(hex) else { return nil }
            return try? STUNMessage(parsing: bytes)
        }
        // 401 with REALM and NONCE; the retry carries USERNAME, REALM, NONCE and MESSAGE-INTEGRITY.
        let challenge = try #require(decoded[1])
        #expect(try challenge.attribute(Realm.self)?.value == "webrtc-lab")
        #expect(challenge.contains(.nonce))
        #expect(!(decoded[0]?.contains(.messageIntegrity) ?? true))
        let signed = try #require(decoded[2])
        for type in [STUNAttributeType.username, .realm, .nonce, .messageIntegrity] { #expect(signed.contains(type), "\(type)") }
        // The success: XOR-RELAYED-ADDRESS = relayed_address, XOR-MAPPED-ADDRESS = our socket, LIFETIME 600.
        let success = try #require(decoded[3])
        let relayed = try #require(try success.attribute(XORRelayedAddress.self)?.address)
        #expect("\(relayed)" == object["relayed_address"] as? String)
        #expect("\(try #require(try success.attribute(XORMappedAddress.self)?.address))" == object["client_address"] as? String)
        #expect(try success.attribute(Lifetime.self)?.seconds == 600)
        #expect(object["lifetime_s"] as? Int == 600)
        // CreatePermission: the peer's IP, port 0 (permissions ignore ports).
        let permission = try #require(decoded[4])
        let permitted = try #require(try permission.attribute(XORPeerAddress.self)?.address)
        #expect(permitted.port == 0 && "\(permitted.ip)" == "127.0.0.1")
        // ChannelBind 0x4000 to the peer, and the final Refresh asks for LIFETIME 0.
        #expect(try decoded[8]?.attribute(ChannelNumber.self)?.number == 0x4000)
        #expect("\(try #require(try decoded[8]?.attribute(XORPeerAddress.self)?.address))" == object["peer"] as? String)
        #expect(try decoded[12]?.attribute(Lifetime.self)?.seconds == 600)
        #expect(try decoded[14]?.attribute(Lifetime.self)?.seconds == 0)
        // The peer got the bare payload from the relayed address, twice (once per framing).
        let peerHop = messages.filter { $0["leg"] as? String == "relay->peer" }
        #expect(peerHop.count == 2)
        #expect(peerHop.allSatisfy { $0["from"] as? String == "\(relayed)" && $0["bytes"] as? Int == 24 })
        // The overhead, from the datagrams' sizes: a Send indication spends 36 bytes, ChannelData 4.
        let overhead = try #require(object["overhead"] as? [[String: Any]])
        func row(_ framing: String, _ leg: String) -> [String: Any]? {
            overhead.first { $0["framing"] as? String == framing && $0["leg"] as? String == leg }
        }
        #expect(row("Send indication", "client->server")?["overhead_bytes"] as? Int == 36)
        #expect(row("Send indication", "client->server")?["datagram_bytes"] as? Int == 60)
        #expect(row("ChannelData", "client->server")?["overhead_bytes"] as? Int == 4)
        #expect(row("ChannelData", "server->client")?["datagram_bytes"] as? Int == 28)
        #expect((row("Data indication", "server->client")?["overhead_bytes"] as? Int ?? 0) >= 36)
        #expect(object["channel_data_saves_bytes"] as? Int == 32)
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 7)
    }
}
