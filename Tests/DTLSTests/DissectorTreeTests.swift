import Testing
import Wire
@testable import DTLS

/// The trees and one-line summaries `dtls-handshake` prints. Field names and values
/// were compared with `tshark -r x.pcap -V -O dtls` on the same capture: record headers,
/// handshake headers, cipher suites, groups, extensions, key-exchange lengths and the
/// alert all agree (tshark spells types "Client Hello", alert names "Handshake Failure").
@Suite("Dissector: Wireshark-like trees and flight summaries")
struct DissectorTreeTests {
    typealias A = DissectorFixtures.CaptureA
    typealias B = DissectorFixtures.CaptureB
    typealias C = DissectorFixtures.CaptureC

    @Test("the first ClientHello's tree has tshark's fields at the right offsets")
    func clientHelloTree() throws {
        let tree = DTLSDissector.dissect(A.datagram1)
        #expect(tree.name == DTLSDissector.protocolName)
        #expect(tree.value == "ClientHello (seq 0, 180 bytes), 205 bytes")
        #expect(!tree.flattened.contains { $0.isError })
        let record = try #require(tree.firstNode(named: "DTLS Record Layer"))
        #expect(record.value == "Handshake Protocol: Client Hello" && record.offset == 0 && record.length == 205)
        #expect(record.firstNode(named: "Version")?.value == "DTLS 1.0 (0xfeff)")
        #expect(record.firstNode(named: "Length")?.value == "192")
        let handshake = try #require(record.firstNode(named: "Handshake Protocol"))
        #expect(handshake.offset == 13 && handshake.length == 192)
        #expect(handshake.firstNode(named: "Handshake Type")?.value == "Client Hello (1)")
        let suites = try #require(handshake.firstNode(named: "Cipher Suites"))
        #expect(suites.value == "28 suite(s)" && suites.offset == 0x3F && suites.length == 56)
        #expect(suites.children.first?.value == "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xc02c)")
        #expect(suites.children.last?.value == "TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff)")
        #expect(handshake.firstNode(named: "GMT Unix Time")?.value.hasPrefix("2021-02-04 14:48:07 UTC") == true)
        let groups = handshake.nodes(named: "Supported Group").map(\.value)
        #expect(groups == ["x25519 (0x001d)", "secp256r1 (0x0017)", "x448 (0x001e)", "secp521r1 (0x0019)", "secp384r1 (0x0018)"])
        #expect(handshake.nodes(named: "Extension").map(\.value)
                == ["ec_point_formats (len=4)", "supported_groups (len=12)", "session_ticket (len=0)",
                    "encrypt_then_mac (len=0)", "extended_master_secret (len=0)", "signature_algorithms (len=42)"])
        let lines = tree.render(bytes: A.datagram1)
        #expect(lines.contains("      0016  Fragment Length: 180  [00 00 b4]"))
        #expect(lines.contains("      0079  Extensions Length: 82  [00 52]"))
    }

    @Test("fragments are shown with their place in the message, bodies are not parsed")
    func fragmentTree() throws {
        let tree = DTLSDissector.dissect(A.datagram5)
        let message = try #require(tree.firstNode(named: "Handshake Protocol"))
        #expect(message.value == "Certificate (Fragment)")
        #expect(message.firstNode(named: "Fragment Offset")?.value == "117")
        let fragment = try #require(message.firstNode(named: "Fragment"))
        #expect(fragment.length == 203 && fragment.value.hasPrefix("bytes 117..<320 of 374"))
        #expect(message.firstNode(named: "Certificates") == nil)
        #expect(!tree.flattened.contains { $0.isError })
    }

    @Test("epoch-1 records are labelled encrypted, never parsed")
    func encryptedTree() throws {
        let tree = DTLSDissector.dissect(A.datagram8)
        let records = tree.nodes(named: "DTLS Record Layer")
        #expect(records.map(\.value) == ["Handshake Protocol: Certificate", "Handshake Protocol: Client Key Exchange",
                                         "Handshake Protocol: Certificate Verify", "Change Cipher Spec Protocol: Change Cipher Spec",
                                         "Handshake Protocol: Encrypted Handshake Message"])
        let finished = try #require(records.last?.firstNode(named: "Encrypted Handshake Message"))
        #expect(finished.length == 48 && finished.offset == 631 - 48)
        #expect(records.last?.firstNode(named: "Handshake Type") == nil)
        #expect(tree.firstNode(named: "Pubkey Length")?.value == "32")
        #expect(tree.firstNode(named: "Signature Length")?.value == "70")
        #expect(DTLSDissector.dissect(A.datagram12).firstNode(named: "Encrypted Application Data")?.length == 48)
        #expect(DTLSDissector.dissect(A.datagram14).firstNode(named: "DTLS Record Layer")?.value == "Encrypted Alert")
    }

    @Test("a plaintext alert shows level and description by name")
    func alertTree() throws {
        let tree = DTLSDissector.dissect(C.datagram9)
        #expect(tree.firstNode(named: "DTLS Record Layer")?.value == "Alert (Level: fatal, Description: handshake_failure)")
        #expect(tree.firstNode(named: "Level")?.value == "fatal (2)")
        #expect(tree.firstNode(named: "Description")?.value == "handshake_failure (40)")
    }

    @Test("capture B's server flight: srtp profile, ALPN and the chosen suite by name")
    func serverFlightTree() throws {
        let tree = DTLSDissector.dissect(B.datagram4)
        #expect(tree.nodes(named: "Handshake Protocol").count == 5)
        #expect(tree.firstNode(named: "Cipher Suite")?.value == "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (0xcca9)")
        #expect(tree.firstNode(named: "SRTP Protection Profile")?.value == "SRTP_AES128_CM_HMAC_SHA1_80 (0x0001)")
        #expect(tree.firstNode(named: "ALPN Next Protocol")?.value == "webrtc")
        #expect(tree.firstNode(named: "Named Curve")?.value == "x25519 (0x001d)")
        #expect(tree.firstNode(named: "Certificate Length")?.value == "368")
        #expect(!tree.flattened.contains { $0.isError })
    }

    @Test("one summary line per datagram, as the handshake tool prints them")
    func summaries() {
        let lines = A.all.map { DTLSFlightSummary(datagram: $0).line }
        #expect(lines == [
            "ClientHello (seq 0, 180 bytes)",
            "HelloVerifyRequest (seq 0, 23 bytes)",
            "ClientHello (seq 1, 200 bytes)",
            "ServerHello, Certificate (fragment 0+117 of 374)",
            "Certificate (fragment 117+203 of 374)",
            "Certificate (fragment 320+54 of 374), ServerKeyExchange",
            "CertificateRequest, ServerHelloDone",
            "Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Encrypted Handshake Message",
            "NewSessionTicket (fragment 0+203 of 550)",
            "NewSessionTicket (fragment 203+203 of 550)",
            "NewSessionTicket (fragment 406+144 of 550), ChangeCipherSpec, Encrypted Handshake Message",
            "Application Data (48 bytes)",
            "Encrypted Alert",
            "Encrypted Alert",
        ])
        #expect(DTLSFlightSummary(datagram: B.datagram4).line
                == "ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone")
        #expect(DTLSFlightSummary(datagram: B.datagram6).line == "ChangeCipherSpec, Encrypted Handshake Message")
        #expect(DTLSFlightSummary(datagram: B.datagram7).line == "Application Data (19 bytes)")
        #expect(DTLSFlightSummary(datagram: C.datagram9).line == "Alert (fatal, handshake_failure)")
        let entry = DTLSFlightSummary(datagram: A.datagram3).entries[0]
        #expect(entry.name == "ClientHello" && entry.messageSequence == 1 && entry.length == 200)
    }
}
