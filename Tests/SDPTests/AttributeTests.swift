import SDP
import Testing
import Wire

@Suite("Typed attribute values")
struct AttributeTests {
    @Test("fingerprints of each SHA length parse and print upper-case", arguments: [
        ("sha-1", 20), ("sha-224", 28), ("sha-256", 32), ("sha-384", 48), ("sha-512", 64),
    ])
    func fingerprintLengths(function: String, length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        let text = function + " " + Hex.encode(bytes, separator: ":")   // lower-case on input
        let fingerprint = try Fingerprint(parsing: Substring(text))
        #expect(fingerprint.hashFunction.digestLength == length)
        #expect(fingerprint.bytes == bytes)
        #expect(fingerprint.description == function + " " + Hex.encode(bytes, separator: ":").uppercased())
        let short = function + " " + Hex.encode(bytes.dropLast(), separator: ":")
        #expect(throws: SDPError.self) { try Fingerprint(parsing: Substring(short)) }
    }

    @Test("hash function names compare case-insensitively; unknown ones keep any length")
    func hashFunctions() throws {
        #expect(try Fingerprint(parsing: "SHA-256 " + Array(repeating: "AA", count: 32).joined(separator: ":"))
            .hashFunction == .sha256)
        let unknown = try Fingerprint(parsing: "md2 01:02:03")
        #expect(unknown.hashFunction.digestLength == nil && unknown.bytes == [1, 2, 3])
    }

    @Test("fingerprint bytes must be two hex digits each", arguments: [
        "sha-1 +F", "sha-256 ABC", "sha-256 AB::CD", "sha-256 AB:CD:", "sha-256", "sha-256 AB CD", "sha-256 G0",
    ])
    func badFingerprint(text: String) {
        #expect(throws: SDPError.self) { try Fingerprint(parsing: Substring(text)) }
    }

    @Test("session and media attributes through the typed accessors")
    func accessors() throws {
        let sdp = try SessionDescription(parsing: """
            v=0
            o=- 1 1 IN IP4 0.0.0.0
            s=-
            b=CT:100
            t=0 0
            a=group:BUNDLE a b
            a=group:LS a
            a=msid-semantic:  WMS x y
            a=ice-options:trickle ice2
            m=application 9/2 TCP/DTLS/SCTP webrtc-datachannel
            a=setup:holdconn
            a=max-message-size:0
            a=sctp-port:6000
            a=end-of-candidates

            """)
        #expect(sdp.lineEnding == .lf)
        #expect(sdp.bandwidths == [Bandwidth(type: "CT", value: 100)])
        #expect(sdp.groups == [MediaGroup(semantics: "BUNDLE", mids: ["a", "b"]), MediaGroup(semantics: "LS", mids: ["a"])])
        #expect(sdp.bundle == ["a", "b"])
        #expect(sdp.msidSemantic == MSIDSemantic(semantic: "WMS", identifiers: ["x", "y"]))
        #expect(sdp.iceOptions == ["trickle", "ice2"])
        #expect(sdp.supportsTrickle)
        #expect(!sdp.isICELite)
        let section = try #require(sdp.media.first)
        #expect(section.mediaLine.portCount == 2)
        #expect(section.mediaLine.isSCTPOverDTLS)
        #expect(section.carriesDataChannels)
        #expect(section.setup == .holdconn)
        #expect(section.maxMessageSize == 0)
        #expect(section.dataChannelSCTPPort == 6000)
        #expect(section.hasEndOfCandidates)
        #expect(section.attributeValues("end-of-candidates") == [nil])
    }

    @Test("a description built in code serialises with CRLF and parses back equal")
    func buildByHand() throws {
        var section = MediaDescription(.dataChannel, lines: [SDPLine("c", "IN IP4 0.0.0.0")])
        section.append(SDPAttribute("mid", "0"))
        section.append(Candidate(foundation: "1", priority: 1, address: "::1", port: 9, type: .host))
        var sdp = SessionDescription(origin: Origin(sessionID: "7"), media: [section])
        sdp.append(SDPAttribute("ice-lite"))
        let text = sdp.serialized()
        #expect(text == "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
            + "a=candidate:1 1 udp 1 ::1 9 typ host\r\n")
        #expect(try SessionDescription(parsing: text) == sdp)
        var rejected = sdp.media[0]
        rejected.setMediaLine(MediaLine(media: "application", port: 0, proto: "UDP/DTLS/SCTP", formats: ["webrtc-datachannel"]))
        #expect(rejected.mediaLineText == "application 0 UDP/DTLS/SCTP webrtc-datachannel")
    }
}
