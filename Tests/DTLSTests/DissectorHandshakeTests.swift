import Testing
import Wire
@testable import DTLS

/// Typed parses of the captured handshake messages. Every expected value below was
/// read off tshark's decode of the same capture (`tshark -r x.pcap -V -O dtls`).
@Suite("Dissector: handshake messages (RFC 6347 §4.2.2, RFC 5246 §7.4) decoded like tshark does")
struct DissectorHandshakeTests {
    typealias A = DissectorFixtures.CaptureA
    typealias B = DissectorFixtures.CaptureB
    typealias C = DissectorFixtures.CaptureC

    static func messages(_ datagram: [UInt8]) throws -> [DTLSHandshakeMessage] {
        try DTLSRecord.parseAll(datagram: datagram)
            .filter { $0.contentType == .handshake && !$0.isEncrypted }
            .flatMap { record throws in try DTLSHandshakeMessage.parseAll(recordFragment: record.fragment) }
    }

    static func body(_ datagram: [UInt8], at index: Int = 0) throws -> DTLSHandshakeBody {
        try messages(datagram)[index].decodeBody()
    }

    @Test("the first ClientHello: seq 0, 180 bytes, no cookie, 28 suites, 6 extensions")
    func firstClientHello() throws {
        let message = try #require(try Self.messages(A.datagram1).first)
        #expect(message.header.messageType == .clientHello)
        #expect(message.header.length == 180 && message.header.messageSequence == 0 && !message.header.isFragment)
        guard case let .clientHello(hello) = try message.decodeBody() else { Issue.record("not a ClientHello"); return }
        #expect(hello.clientVersion == .dtls12)
        #expect(Hex.encode(hello.random.bytes) == "601c09272bb6a875d9ff1fab016fc3491a218b12d8cdf1df429d3238806b4b70")
        #expect(DTLSRandom.utc(hello.random.gmtUnixTime) == "2021-02-04 14:48:07 UTC")
        #expect(hello.sessionID.isEmpty && hello.cookie.isEmpty)
        #expect(hello.cipherSuites.count == 28)
        #expect(hello.cipherSuites.first == .ecdheECDSAWithAES256GCMSHA384)
        #expect(hello.cipherSuites.last == .emptyRenegotiationInfoSCSV)
        #expect(hello.cipherSuites.allSatisfy { $0.name != nil }, "OpenSSL 3.0's whole offer has names")
        #expect(hello.cipherSuites[3].description == "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (0xcca9)")
        #expect(hello.compressionMethods == [.null])
        #expect(hello.extensions.map { $0.type.name ?? "?" } == ["ec_point_formats", "supported_groups", "session_ticket",
                                                                 "encrypt_then_mac", "extended_master_secret", "signature_algorithms"])
        #expect(hello.extension(.supportedGroups)?.content
                == .supportedGroups([.x25519, .secp256r1, TLSNamedGroup(rawValue: 30), TLSNamedGroup(rawValue: 25), .secp384r1]))
        guard case let .signatureAlgorithms(schemes)? = hello.extension(.signatureAlgorithms)?.content else {
            Issue.record("signature_algorithms not decoded"); return
        }
        #expect(schemes.count == 20)
        #expect(schemes.first?.description == "ecdsa_secp256r1_sha256 (0x0403)")
        #expect(schemes.last?.description == "SHA512 DSA (0x0602)", "legacy pairs are named like Wireshark does")
        #expect(hello.extension(.extendedMasterSecret)?.content == .empty)
    }

    @Test("HelloVerifyRequest carries a 20-byte cookie that the second ClientHello echoes")
    func cookieExchange() throws {
        guard case let .helloVerifyRequest(request) = try Self.body(A.datagram2) else { Issue.record("no HVR"); return }
        #expect(request.serverVersion == .dtls10)
        #expect(request.cookie.count == 20)
        #expect(Hex.encode(request.cookie) == "12977d0a3aaa6ebe06ed0c4db3227fcc33b8b8f0")
        let message = try #require(try Self.messages(A.datagram3).first)
        #expect(message.header.messageSequence == 1 && message.header.length == 200)
        guard case let .clientHello(hello) = try message.decodeBody() else { Issue.record("no ClientHello"); return }
        #expect(hello.cookie == request.cookie)
    }

    @Test("ServerHello picks TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 and answers with 4 extensions")
    func serverHello() throws {
        guard case let .serverHello(hello) = try Self.body(A.datagram4) else { Issue.record("no ServerHello"); return }
        #expect(hello.cipherSuite.name == "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
        #expect(hello.cipherSuite.isECDHE)
        #expect(hello.sessionID.isEmpty)
        #expect(hello.extensions.map(\.type) == [.renegotiationInfo, .ecPointFormats, .sessionTicket, .extendedMasterSecret])
        #expect(hello.extension(.renegotiationInfo)?.content == .renegotiationInfo([]))
    }

    @Test("the certificate arrives in three fragments: 0+117, 117+203, 320+54 of 374")
    func certificateFragments() throws {
        let pieces = try [A.datagram4, A.datagram5, A.datagram6].flatMap(Self.messages)
            .filter { $0.header.messageType == .certificate }
        #expect(pieces.map(\.header.fragmentOffset) == [0, 117, 320])
        #expect(pieces.map(\.header.fragmentLength) == [117, 203, 54])
        #expect(pieces.allSatisfy { $0.header.isFragment && $0.header.length == 374 && $0.header.messageSequence == 2 })
        guard case let .fragment(offset, bytes) = try pieces[1].decodeBody() else { Issue.record("not a fragment"); return }
        #expect(offset == 117 && bytes.count == 203)
        // Reassembled by hand, the fragments are the same Certificate the client sends whole.
        let whole = pieces.flatMap(\.fragment)
        var reader = ByteReader(whole)
        let list = try DTLSCertificateList(parsing: &reader)
        guard case let .certificate(clientList) = try Self.body(A.datagram8) else { Issue.record("no client Certificate"); return }
        #expect(list.certificates.count == 1 && list.certificates[0].count == 368)
        #expect(Array(list.certificates[0].prefix(4)) == [0x30, 0x82, 0x01, 0x6C])
        #expect(clientList == list, "both sides used the same c.pem")
    }

    @Test("ServerKeyExchange: x25519, a 32-byte key, ecdsa_secp256r1_sha256, a 71-byte signature")
    func serverKeyExchange() throws {
        guard case let .serverKeyExchange(exchange) = try Self.body(A.datagram6, at: 1) else { Issue.record("no SKE"); return }
        guard case let .ecdhe(curve, key, algorithm, signature) = exchange.parameters else { Issue.record("not ECDHE"); return }
        #expect(curve == .x25519 && key.count == 32)
        #expect(algorithm == .ecdsaSecp256r1SHA256 && signature.count == 71)
    }

    @Test("CertificateRequest: rsa_sign, dss_sign, ecdsa_sign; 20 algorithms; no CA names; then ServerHelloDone")
    func certificateRequest() throws {
        let messages = try Self.messages(A.datagram7)
        #expect(messages.map(\.header.messageType) == [.certificateRequest, .serverHelloDone])
        guard case let .certificateRequest(request) = try messages[0].decodeBody() else { Issue.record("no CR"); return }
        #expect(request.certificateTypes == [.rsaSign, TLSClientCertificateType(rawValue: 2), .ecdsaSign])
        #expect(request.signatureAlgorithms.count == 20 && request.certificateAuthorities.isEmpty)
        #expect(try messages[1].decodeBody() == .serverHelloDone)
    }

    @Test("the client's flight: a 32-byte ECDHE key and a 70-byte ecdsa_secp256r1_sha256 CertificateVerify")
    func clientFlight() throws {
        guard case let .clientKeyExchange(exchange) = try Self.body(A.datagram8, at: 1),
              case let .certificateVerify(verify) = try Self.body(A.datagram8, at: 2) else {
            Issue.record("unexpected bodies"); return
        }
        #expect(exchange.encoding == .ecdhePoint && exchange.publicKey.count == 32)
        #expect(verify.signatureAlgorithm == .ecdsaSecp256r1SHA256 && verify.signature.count == 70)
    }

    @Test("capture B: use_srtp and ALPN offered and answered, CHACHA20 chosen, 32-byte session id")
    func srtpAndALPN() throws {
        guard case let .clientHello(offer) = try Self.body(B.datagram1),
              case let .serverHello(answer) = try Self.body(B.datagram4) else { Issue.record("no hellos"); return }
        #expect(offer.cipherSuites.map(\.rawValue) == [0xCCA9, 0xC02B, 0x00FF])
        #expect(offer.extension(.useSRTP)?.content == .useSRTP(profiles: [.aes128CMHMACSHA1_80, .aeadAES128GCM], mki: []))
        #expect(offer.extension(.alpn)?.content == .alpn(["webrtc", "c-webrtc"]))
        #expect(answer.cipherSuite == .ecdheECDSAWithChaCha20Poly1305SHA256)
        #expect(answer.sessionID.count == 32)
        #expect(answer.extension(.useSRTP)?.content == .useSRTP(profiles: [.aes128CMHMACSHA1_80], mki: []))
        #expect(answer.extension(.alpn)?.content == .alpn(["webrtc"]))
        guard case let .serverKeyExchange(exchange) = try Self.body(B.datagram4, at: 2),
              case let .ecdhe(_, _, _, signature) = exchange.parameters else { Issue.record("no SKE"); return }
        #expect(signature.count == 72)
    }

    @Test("capture C: a client without certificate sends an empty Certificate list")
    func emptyCertificate() throws {
        let messages = try Self.messages(C.datagram8)
        #expect(messages.map(\.header.messageType) == [.certificate, .clientKeyExchange])
        #expect(try messages[0].decodeBody() == .certificate(DTLSCertificateList(certificates: [])))
    }

    @Test("every whole plaintext body re-encodes to its captured bytes")
    func bodyRoundTrip() throws {
        let datagrams = DissectorFixtures.CaptureA.all + [B.datagram1, B.datagram4, C.datagram8]
        var checked = 0
        for datagram in datagrams {
            for message in try Self.messages(datagram) where !message.header.isFragment {
                var writer = ByteWriter()
                switch try message.decodeBody() {
                case let .clientHello(body): body.encode(into: &writer)
                case let .serverHello(body): body.encode(into: &writer)
                case let .helloVerifyRequest(body): body.encode(into: &writer)
                case let .certificate(body): body.encode(into: &writer)
                case let .serverKeyExchange(body): body.encode(into: &writer)
                case let .certificateRequest(body): body.encode(into: &writer)
                case let .clientKeyExchange(body): body.encode(into: &writer)
                case let .certificateVerify(body): body.encode(into: &writer)
                case let .newSessionTicket(body): body.encode(into: &writer)
                case .serverHelloDone, .helloRequest: break
                case let .finished(data), let .unknown(data): writer.writeBytes(data)
                case let .fragment(_, data): writer.writeBytes(data)
                }
                #expect(writer.bytes == message.fragment, "\(message.header.messageType)")
                var whole = ByteWriter()
                message.encode(into: &whole)
                #expect(whole.count == DTLSHandshakeHeader.size + message.fragment.count)
                checked += 1
            }
        }
        #expect(checked == 18)
    }

    @Test("a reassembled NewSessionTicket has OpenSSL's 7200 s lifetime and a 544-byte ticket")
    func sessionTicket() throws {
        let pieces = try [A.datagram9, A.datagram10, A.datagram11].flatMap(Self.messages)
        #expect(pieces.map(\.header.fragmentOffset) == [0, 203, 406])
        var reader = ByteReader(pieces.flatMap(\.fragment))
        let ticket = try DTLSNewSessionTicket(parsing: &reader)
        #expect(ticket.lifetimeHint == 7200 && ticket.ticket.count == 544)
    }
}
