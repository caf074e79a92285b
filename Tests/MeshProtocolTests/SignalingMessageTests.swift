import MeshProtocol
import Testing

@Suite("Signaling frames (chatixia-mesh's format)")
struct SignalingMessageTests {
    @Test("a relayed offer parses, and prints back with the same fields")
    func offerRoundTrip() throws {
        let text = #"{"type":"offer","peer_id":"alice","target_id":"bob","payload":{"sdp":"v=0\r\n"}}"#
        let frame = try SignalingMessage.parse(text)
        #expect(frame.kind == .offer)
        #expect(frame.peerID == "alice")
        #expect(frame.targetID == "bob")
        #expect(try SessionPayload(frame.payload).sdp == "v=0\r\n")
        #expect(try SignalingMessage.parse(frame.jsonText) == frame)
    }

    @Test("register without target_id or payload parses; target_id is left out when printing")
    func registerWithoutTarget() throws {
        let frame = try SignalingMessage.parse(#"{"type":"register","peer_id":"alice"}"#)
        #expect(frame.kind == .register)
        #expect(frame.targetID == nil)
        #expect(frame.payload == .null)
        #expect(!frame.jsonText.contains("target_id"))
    }

    @Test("empty or null sdpMid means m-line 0, and the index survives as an integer")
    func candidateMid() throws {
        for mid in [#""""#, "null"] {
            let payload = try JSONValue.parse(#"{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"# + mid + #","sdpMLineIndex":0}"#)
            let candidate = try CandidatePayload(payload)
            #expect(candidate.sdpMid == nil)
            #expect(candidate.isFirstMLine)
        }
        #expect(CandidatePayload(candidate: "c").json.jsonText.contains(#""sdpMLineIndex":0"#))
    }

    @Test("hostile frames get a typed error", arguments: [
        "", "[]", "not json", #"{"peer_id":"a"}"#, #"{"type":7,"peer_id":"a"}"#, #"{"type":"offer"}"#,
        #"{"type":"offer","peer_id":"a","target_id":5}"#, String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func hostile(text: String) {
        #expect(throws: MeshWireError.self) { try SignalingMessage.parse(text) }
    }

    @Test("a frame over the size limit is refused before it is parsed")
    func oversized() {
        let big = #"{"type":"offer","peer_id":"a","payload":{"sdp":""# + String(repeating: "x", count: 70_000) + #""}}"#
        #expect(throws: MeshWireError.tooLarge(size: big.utf8.count, limit: SignalingMessage.defaultMaxBytes)) {
            try SignalingMessage.parse(big)
        }
    }
}
