import Foundation
import Testing

/// `ice-check sdp` on the committed fixtures (Tests/SDPTests/Fixtures), read
/// through their repository paths: the facts a learner is told must be right.
@Suite("ice-check sdp explains real descriptions")
struct SDPExplainTests {
    private func candidates(_ object: [String: Any]) throws -> [[String: Any]] {
        try #require(object["candidates"] as? [[String: Any]])
    }

    private func parts(_ candidate: [String: Any]) throws -> (Int, Int, Int) {
        let parts = try #require(candidate["priority_parts"] as? [String: Any])
        return (try #require(parts["type_preference"] as? Int), try #require(parts["local_preference"] as? Int),
                try #require(parts["component"] as? Int))
    }

    @Test("the Chromium offer's host candidate has its priority taken apart by the RFC formula")
    func chromiumOfferHuman() throws {
        let run = try IceCheck.run(["sdp", IceCheck.fixture("chromium-offer.sdp")])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let out = run.stdout
        #expect(out.contains("  10  Candidate #1: host 192.0.2.10:57963 udp"))
        #expect(out.contains("Priority: 2113937151 = 2^24×126 + 2^8×30 + (256 − 1)"))
        #expect(out.contains("Type preference: 126 (priority >> 24"))
        #expect(out.contains("Local preference: 30 ((priority >> 8) & 0xFFFF"))
        #expect(out.contains("Component: 1 (256 − (priority & 0xFF); matches the component field)"))
        #expect(out.contains("Candidate #2: host [2001:db8::10]:44756 udp"))
        #expect(out.contains("Address: 2001:db8::10 (IPv6)"))
        #expect(out.contains("Local preference: 40"))
        #expect(out.contains("  15  Fingerprint: sha-256 79:DA:D8:77"))
        #expect(out.contains("Length: 32 bytes, as sha-256 requires"))
        #expect(out.contains("  16  Setup: actpass"))
        #expect(out.contains("DTLS role: decided by the answer"))
        #expect(out.hasPrefix("\(IceCheck.fixture("chromium-offer.sdp")): 19 lines (CRLF), 1 media section(s), 2 candidate(s); an offer (a=setup:actpass"))
        #expect(out.contains("ice-options: trickle"))
        #expect(out.contains("m=application 57963 UDP/DTLS/SCTP webrtc-datachannel"))
        #expect(out.contains("SCTP port: 5000"))
        #expect(out.contains("max-message-size: 262144 bytes"))
        #expect(out.contains("No candidate here survives"))
        #expect(out.contains("ICE would fall back to: relay"))
        // The ice-pwd is a MESSAGE-INTEGRITY key: only its length unless asked.
        #expect(out.contains("ice-pwd: hidden, 24 chars"))
        #expect(!out.contains("o39u/HbxBnW71IRtdPPab7l6"))
        let shown = try IceCheck.run(["sdp", IceCheck.fixture("chromium-offer.sdp"), "--show-password"])
        #expect(shown.stdout.contains("ice-pwd: o39u/HbxBnW71IRtdPPab7l6"))
    }

    @Test("--json prints one object with the same facts")
    func chromiumOfferJSON() throws {
        let run = try IceCheck.run(["sdp", IceCheck.fixture("chromium-offer.sdp"), "--json"])
        #expect(run.status == 0)
        let object = try run.json()
        for key in ["source", "kind", "line_ending", "media", "ice", "fingerprints", "setup", "candidates",
                    "udp_blocked", "datachannel", "priority_formula", "bundle", "ok", "exit_code"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["kind"] as? String == "offer")
        #expect(object["line_ending"] as? String == "CRLF")
        let list = try candidates(object)
        #expect(list.count == 2)
        let host = try #require(list.first)
        #expect(host["type"] as? String == "host")
        #expect(host["address"] as? String == "192.0.2.10")
        #expect(host["address_kind"] as? String == "IPv4")
        #expect(host["port"] as? Int == 57963)
        #expect(host["priority"] as? Int == 2_113_937_151)
        #expect(host["line"] as? Int == 10)
        #expect(host["foundation"] as? String == "2552246213")
        #expect(host["generation"] as? Int == 0)
        #expect(host["network_cost"] as? Int == 999)
        #expect(host["priority_consistent"] as? Bool == true)
        let (type, local, component) = try parts(host)
        #expect(type == 126 && local == 30 && component == 1)
        let fingerprint = try #require((object["fingerprints"] as? [[String: Any]])?.first)
        #expect(fingerprint["algorithm"] as? String == "sha-256")
        #expect(fingerprint["length"] as? Int == 32)
        #expect(fingerprint["length_ok"] as? Bool == true)
        let setup = try #require(object["setup"] as? [String: Any])
        #expect(setup["role"] as? String == "actpass")
        let ice = try #require(object["ice"] as? [String: Any])
        #expect(ice["ufrag"] as? String == "L2h2")
        #expect(ice["pwd_length"] as? Int == 24)
        #expect(ice["pwd"] == nil)
        #expect(ice["trickle"] as? Bool == true)
        let blocked = try #require(object["udp_blocked"] as? [String: Any])
        #expect(blocked["fallback"] as? String == "relay")
        #expect((blocked["remaining"] as? [Int])?.isEmpty == true)
        let media = try #require((object["media"] as? [[String: Any]])?.first)
        #expect(media["proto"] as? String == "UDP/DTLS/SCTP")
        #expect(media["sctp_port"] as? Int == 5000)
        #expect(media["mid"] as? String == "0")
        #expect(media["in_bundle"] as? Bool == true)
        #expect((object["datachannel"] as? [String: Any])?["usable"] as? Bool == true)
    }

    @Test("the Safari-style answer: mDNS host, srflx with hidden base, TCP and a TURN/TCP relay survive blocked UDP")
    func safariAnswer() throws {
        let run = try IceCheck.run(["sdp", IceCheck.fixture("handwritten-safari-answer.sdp"), "--json"])
        #expect(run.status == 0)
        let object = try run.json()
        let list = try candidates(object)
        #expect(list.count == 5)
        #expect(list[0]["address_kind"] as? String == "mDNS")
        #expect(list[0]["mdns"] as? Bool == true)
        #expect(list[1]["type"] as? String == "srflx")
        #expect(list[1]["related_address"] as? String == "0.0.0.0")
        #expect(list[2]["transport"] as? String == "tcp")
        #expect(list[2]["tcptype"] as? String == "active")
        #expect(list[2]["udp_blocked"] as? String == "remains")
        #expect(list[3]["network_id"] as? Int == 2)
        let relay = list[4]
        #expect(relay["type"] as? String == "relay")
        #expect(relay["relay_protocol"] as? String == "tcp")
        #expect(relay["ufrag"] as? String == "9Q+u")
        #expect(relay["related_port"] as? Int == 58231)
        let (type, local, component) = try parts(relay)
        #expect(type == 1 && local == 32544 && component == 1)
        let blocked = try #require(object["udp_blocked"] as? [String: Any])
        #expect(blocked["remaining"] as? [Int] == [3, 5])
        #expect(blocked["fallback"] as? String == "relay")
        let setup = try #require(object["setup"] as? [String: Any])
        #expect(setup["role"] as? String == "active")
        #expect(setup["dtls_role"] as? String == "client")
        #expect(object["kind"] as? String == "answer")

        let human = try IceCheck.run(["sdp", IceCheck.fixture("handwritten-safari-answer.sdp")])
        #expect(human.stdout.contains("mDNS obfuscation"))
        #expect(human.stdout.contains("this side is the DTLS client"))
        #expect(human.stdout.contains("Candidates that could remain: #3, #5."))
        #expect(human.stdout.contains("ICE would fall back to: relay (here: #5)"))
    }

    @Test("the legacy Firefox offer: DTLS/SCTP 5000 with sctpmap, srflx behind NAT, a relay that depends on TURN's transport")
    func firefoxLegacy() throws {
        let run = try IceCheck.run(["sdp", IceCheck.fixture("handwritten-firefox-legacy-offer.sdp"), "--json"])
        #expect(run.status == 0)
        let object = try run.json()
        let media = try #require((object["media"] as? [[String: Any]])?.first)
        #expect(media["legacy_sctpmap"] as? Bool == true)
        #expect(media["sctp_port"] as? Int == 5000)
        #expect(media["end_of_candidates"] as? Bool == true)
        let list = try candidates(object)
        #expect(list[2]["related_address"] as? String == "192.0.2.20")
        #expect(list[3]["udp_blocked"] as? String == "depends")
        let blocked = try #require(object["udp_blocked"] as? [String: Any])
        #expect(blocked["remaining"] as? [Int] == [2])
        #expect(blocked["remaining_if_turn_over_tcp_or_tls"] as? [Int] == [4])
        let human = try IceCheck.run(["sdp", IceCheck.fixture("handwritten-firefox-legacy-offer.sdp")])
        #expect(human.stdout.contains("behind NAT: base is 192.0.2.20:49761"))
        #expect(human.stdout.contains("legacy form"))
        #expect(human.stdout.contains("   6  Fingerprint: sha-256"))
    }

    @Test("the minimal LF description: ice-lite, a session-level sha-1 fingerprint, a rejected audio section")
    func minimalLF() throws {
        let run = try IceCheck.run(["sdp", IceCheck.fixture("handwritten-minimal-lf.sdp"), "--json"])
        #expect(run.status == 0)
        let object = try run.json()
        #expect(object["line_ending"] as? String == "LF")
        #expect((object["ice"] as? [String: Any])?["lite"] as? Bool == true)
        let fingerprint = try #require((object["fingerprints"] as? [[String: Any]])?.first)
        #expect(fingerprint["algorithm"] as? String == "sha-1")
        #expect(fingerprint["length"] as? Int == 20)
        #expect(fingerprint["expected_length"] as? Int == 20)
        let media = try #require(object["media"] as? [[String: Any]])
        #expect(media.count == 2)
        #expect(media[1]["rejected"] as? Bool == true)
        #expect(media[1]["data_channel"] as? Bool == false)
        #expect((object["setup"] as? [String: Any])?["dtls_role"] as? String == "server")
    }

    @Test("aiortc's offer: three fingerprints and the RFC's own host priority 2130706431")
    func aiortcOffer() throws {
        let run = try IceCheck.run(["sdp", IceCheck.fixture("aiortc-offer.sdp"), "--json"])
        #expect(run.status == 0)
        let object = try run.json()
        let algorithms = (object["fingerprints"] as? [[String: Any]])?.compactMap { $0["algorithm"] as? String }
        #expect(algorithms == ["sha-256", "sha-384", "sha-512"])
        let (type, local, component) = try parts(try #require(try candidates(object).first))
        #expect(type == 126 && local == 65535 && component == 1)
    }

    @Test("every committed fixture is explained, as text and as JSON", arguments: [
        "chromium-offer.sdp", "chromium-offer-mdns.sdp", "aiortc-offer.sdp", "chromium-answer-to-aiortc.sdp",
        "aiortc-answer-to-chromium.sdp", "handwritten-firefox-legacy-offer.sdp", "handwritten-safari-answer.sdp",
        "handwritten-minimal-lf.sdp",
    ])
    func everyFixture(name: String) throws {
        let text = try IceCheck.run(["sdp", IceCheck.fixture(name)])
        #expect(text.status == 0, "\(name): \(text.stderr)")
        #expect(text.stdout.contains("If UDP were blocked"))
        let json = try IceCheck.run(["sdp", IceCheck.fixture(name), "--json"])
        let object = try json.json()
        let source = try String(contentsOfFile: IceCheck.fixture(name), encoding: .utf8)
        let count = source.components(separatedBy: "a=candidate:").count - 1
        #expect((object["candidates"] as? [Any])?.count == count)
    }
}
