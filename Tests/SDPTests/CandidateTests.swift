import Foundation
import SDP
import Testing
import Wire

@Suite("Candidate grammar (RFC 8839 §5.1)")
struct CandidateTests {
    @Test("reads every field of a Chrome srflx candidate")
    func everyField() throws {
        let text = "candidate:842163049 1 udp 1677729535 203.0.113.7 61325 typ srflx raddr 192.0.2.10 rport 61325"
            + " generation 0 ufrag EsAw network-id 1 network-cost 10"
        let candidate = try Candidate(parsing: text)
        #expect(candidate.foundation == "842163049")
        #expect(candidate.component == 1)
        #expect(candidate.transport == .udp)
        #expect(candidate.priority == 1_677_729_535)
        #expect(candidate.address == "203.0.113.7")
        #expect(candidate.connectionAddress == .ip(.v4(203, 0, 113, 7)))
        #expect(candidate.port == 61325)
        #expect(candidate.type == .serverReflexive)
        #expect(candidate.relatedAddress == "192.0.2.10")
        #expect(candidate.relatedPort == 61325)
        #expect(candidate.generation == 0)
        #expect(candidate.ufrag == "EsAw")
        #expect(candidate.networkID == 1)
        #expect(candidate.networkCost == 10)
        #expect(candidate.tcpType == nil)
        #expect(candidate.description == text)
    }

    @Test("the a= line, the trickle string and the bare value parse to the same candidate")
    func threeSpellings() throws {
        let value = "1 1 UDP 2130706431 192.0.2.1 5000 typ host"
        let a = try Candidate(parsing: "a=candidate:" + value)
        let b = try Candidate(parsing: "candidate:" + value)
        let c = try Candidate(attributeValue: Substring(value))
        #expect(a == b && b == c)
        #expect(a.line == SDPLine("a", "candidate:" + value))
    }

    @Test("transport compares case-insensitively but keeps its spelling")
    func transportCase() throws {
        let upper = try Candidate(parsing: "candidate:1 1 UDP 1 192.0.2.1 1 typ host")
        #expect(upper.transport == .udp)
        #expect(upper.transport.rawValue == "UDP")
        #expect(upper.attributeValue.contains(" UDP "))
        #expect(Set([CandidateTransport("TCP"), .tcp]).count == 1)
    }

    @Test("IPv6 connection and related addresses")
    func ipv6() throws {
        let candidate = try Candidate(parsing: "candidate:9 2 udp 1 2001:db8::1:2 9000 typ relay raddr ::ffff:192.0.2.1 rport 1")
        #expect(candidate.component == 2)
        #expect(candidate.connectionAddress == .ip(IPAddress("2001:db8::1:2")!))
        #expect(candidate.relatedAddress == "::ffff:192.0.2.1")
        #expect(candidate.type == .relayed)
    }

    @Test("an mDNS .local name is a host name flagged as mDNS; a plain FQDN is not")
    func mdns() throws {
        let mdns = try Candidate(parsing: "candidate:1 1 udp 1 4506a701-59d1-41d3-8ad3-f2892fd37422.local 1 typ host")
        #expect(mdns.connectionAddress == .hostname("4506a701-59d1-41d3-8ad3-f2892fd37422.local"))
        #expect(mdns.connectionAddress?.isMDNS == true)
        let fqdn = try Candidate(parsing: "candidate:1 1 udp 1 turn.example.org 1 typ relay")
        #expect(fqdn.connectionAddress?.isMDNS == false)
    }

    @Test("TCP candidates carry their tcptype", arguments: [("active", TCPCandidateType.active),
                                                            ("passive", .passive), ("so", .simultaneousOpen)])
    func tcp(token: String, expected: TCPCandidateType) throws {
        let candidate = try Candidate(parsing: "candidate:3 1 TCP 1518280447 192.0.2.5 9 typ host tcptype \(token)")
        #expect(candidate.transport == .tcp)
        #expect(candidate.tcpType == expected)
        #expect(candidate.attributeValue.hasSuffix("tcptype \(token)"))
    }

    @Test("unknown extensions are kept in order and written back byte for byte")
    func unknownExtensions() throws {
        let value = "7 1 udp 100 192.0.2.1 7 typ prflx x-b 2 generation 3 x-a 1"
        let candidate = try Candidate(attributeValue: Substring(value))
        #expect(candidate.type == .peerReflexive)
        #expect(candidate.extensions == [.init("x-b", "2"), .init("generation", "3"), .init("x-a", "1")])
        #expect(candidate.generation == 3)
        #expect(candidate.attributeValue == value)
    }

    @Test("the memberwise initializer writes Chrome's field order")
    func builder() {
        let candidate = Candidate(foundation: "1", priority: 5, address: "192.0.2.1", port: 4, type: .relayed,
                                  relatedAddress: "0.0.0.0", relatedPort: 0, tcpType: nil, generation: 0,
                                  ufrag: "abcd", networkID: 1, networkCost: 10,
                                  otherExtensions: [.init("x", "y")])
        #expect(candidate.description
            == "candidate:1 1 udp 5 192.0.2.1 4 typ relay raddr 0.0.0.0 rport 0 generation 0 ufrag abcd network-id 1 network-cost 10 x y")
    }

    @Test("malformed candidates are typed errors", arguments: [
        "candidate:1 1 udp 1 192.0.2.1 1 typ",                 // too few fields
        "candidate:1 0 udp 1 192.0.2.1 1 typ host",            // component 0
        "candidate:1 257 udp 1 192.0.2.1 1 typ host",          // component > 256
        "candidate:1 1 udp 4294967296 192.0.2.1 1 typ host",   // priority > 2^32-1
        "candidate:1 1 udp -1 192.0.2.1 1 typ host",           // signed priority
        "candidate:1 1 udp +1 192.0.2.1 1 typ host",           // signed priority
        "candidate:1 1 udp 1 192.0.2.1 65536 typ host",        // port too large
        "candidate:1 1 udp 1 192.0.2.1 x typ host",            // port not a number
        "candidate:1 1 udp 1 192.0.2.999 1 typ host",          // bad IPv4
        "candidate:1 1 udp 1 2001:db8::g 1 typ host",          // bad IPv6
        "candidate:1 1 udp 1 192.0.2.1 1 type host",           // not 'typ'
        "candidate:1 1 udp 1 192.0.2.1 1 typ host raddr",      // extension without value
        "candidate:1 1 udp 1 192.0.2.1 1 typ srflx rport 70000",
        "candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr nope!",
        "candidate:1 1 udp 1 192.0.2.1 1 typ host generation x",
        "candidate:1 1 udp 1 192.0.2.1  1 typ host",           // double space
        "candidate:f@o 1 udp 1 192.0.2.1 1 typ host",          // foundation not ice-chars
        "candidate:123456789012345678901234567890123 1 udp 1 192.0.2.1 1 typ host",
    ])
    func malformed(text: String) {
        #expect(throws: SDPError.self) { try Candidate(parsing: text) }
        do { _ = try Candidate(parsing: text) } catch {
            #expect(error.code == .malformedCandidate)
            #expect(error.origin == .peer)
        }
    }

    @Test("a bad candidate in a description names its line number")
    func lineNumber() {
        let sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "a=candidate:1 1 udp 1 192.0.2.1 1 typ host\r\na=candidate:1 1 udp 99999999999 192.0.2.1 1 typ host\r\n"
        #expect(throws: SDPError(.malformedCandidate, "priority '99999999999' must be 1-10 digits within 2^32-1", line: 7)) {
            try SessionDescription(parsing: sdp)
        }
        let badPort = sdp.replacingOccurrences(of: "99999999999 192.0.2.1 1", with: "1 192.0.2.1 65536")
        do { _ = try SessionDescription(parsing: badPort); Issue.record("parsed") } catch {
            #expect(error.line == 7)
            #expect(error.code == .malformedCandidate)
            #expect(error.reason.contains("port"))
        }
    }
}
