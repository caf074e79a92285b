import Testing
import Wire
@testable import STUN

/// RFC 3489 messages by hand: type, length, a 128-bit transaction id, attributes.
enum Classic {
    static let transactionID: [UInt8] = Array(0xA0...0xAF)

    static func message(type: UInt16 = 0x0001, id: [UInt8] = transactionID, _ attributes: [[UInt8]] = []) -> [UInt8] {
        let body = attributes.flatMap { $0 }
        return [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + id + body
    }

    static func attribute(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
        [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
    }

    /// What Debian's `stun` sends: a Binding request with CHANGE-REQUEST.
    static func request(flags: UInt8) -> [UInt8] { message([attribute(0x0003, [0, 0, 0, flags])]) }
}

@Suite("RFC 3489 messages: parsed only when asked, kept distinct, re-encoded byte for byte")
struct ClassicMessageTests {
    @Test("a classic request fails the RFC 8489 parser with badMagicCookie, and parses when classic is accepted")
    func parse() throws {
        let bytes = Classic.request(flags: 0)
        #expect(throws: STUNError(.badMagicCookie, "magic cookie is 0xa0a1a2a3, expected 0x2112a442", offset: 4)) {
            try STUNMessage(parsing: bytes)
        }
        let message = try STUNMessage(parsing: bytes, acceptingClassic: true)
        #expect(message.format == .rfc3489(transactionIDPrefix: 0xA0A1_A2A3))
        #expect(message.format.isClassic)
        #expect(message.classicTransactionID == Classic.transactionID)
        #expect(message.transactionID.bytes == Array(0xA4...0xAF))
        #expect(message.messageType == .bindingRequest)
        #expect(try message.attribute(ChangeRequest.self) == ChangeRequest(flags: 0))
        #expect(try message.encode() == bytes, "re-encoding keeps the 128-bit id")
    }

    @Test("RFC 8489 messages are unchanged by acceptingClassic: RFC 5769 vectors re-encode exactly")
    func modernUnchanged() throws {
        for vector in [RFC5769.request, RFC5769.ipv4Response, RFC5769.ipv6Response] {
            let message = try STUNMessage(parsing: vector, acceptingClassic: true)
            #expect(message.format == .rfc8489 && message.classicTransactionID == nil)
            #expect(try message.encode() == vector)
            #expect(message == (try STUNMessage(parsing: vector)))
        }
    }

    @Test("a classic message built from a 16-byte id encodes it at bytes 4-19; other sizes are caller errors")
    func build() throws {
        var message = try STUNMessage(type: .bindingSuccess, classicTransactionID: Classic.transactionID)
        message.append(MappedAddress(TransportAddress(.v4(192, 0, 2, 1), 32853)))
        let bytes = try message.encode()
        #expect(bytes == Classic.message(type: 0x0101, [Classic.attribute(0x0001, [0, 1, 0x80, 0x55, 192, 0, 2, 1])]))
        #expect(try STUNMessage(parsing: bytes, acceptingClassic: true) == message)
        #expect(throws: STUNError.self) { try STUNMessage(type: .bindingRequest, classicTransactionID: Array(0..<12)) }
        #expect((try? message.encode(fingerprint: true)) == nil, "FINGERPRINT does not exist in RFC 3489")
        do {
            _ = try message.encode(integrityKey: .shortTerm(password: "x"))
            Issue.record("RFC 8489 integrity on a classic message must be refused")
        } catch let error as STUNError {
            #expect(error.origin == .caller)
        }
    }

    @Test("hostile classic input gives typed errors: odd attribute length, truncation, length mismatch, top bits")
    func hostile() {
        func code(_ bytes: [UInt8]) -> STUNError.Code? {
            do { _ = try STUNMessage(parsing: bytes, acceptingClassic: true); return nil } catch let error as STUNError {
                return error.code
            } catch { return nil }
        }
        #expect(code(Classic.message([Classic.attribute(0x0006, [0x61, 0x62, 0x63]) + [0]])) == .malformedAttribute,
                "RFC 3489 values are multiples of 4")
        #expect(code(Classic.message([[0x00, 0x03, 0x00, 0x08, 0, 0, 0, 0]])) == .truncated)
        #expect(code(Array(Classic.request(flags: 0).dropLast(4))) == .truncated)
        var long = Classic.request(flags: 0)
        long += [0, 0, 0, 0]
        #expect(code(long) == .badLength)
        var topBits = Classic.request(flags: 0)
        topBits[0] = 0x40
        #expect(code(topBits) == .notSTUN)
        #expect(code(Array(Classic.request(flags: 0).prefix(19))) == .truncated)
    }

    @Test("the dissector explains a missing cookie instead of only flagging it")
    func dissect() throws {
        let tree = STUNDissector.dissect(Classic.request(flags: 6))
        let cookie = try #require(tree.find("Message Cookie"))
        #expect(cookie.isError && cookie.value.contains("RFC 3489"))
        let change = try #require(tree.find("CHANGE-REQUEST"))
        #expect(change.value == "0x6 (change IP, change port)")
        #expect(change.find("Change IP")?.value == "set (A, 0x4)")
        #expect(change.find("Change Port")?.value == "set (B, 0x2)")
    }
}

@Suite("STUNServer answers RFC 3489 clients (RFC 8489 §11.2) like Debian's stun expects")
struct ClassicServerTests {
    func server(_ authentication: STUNServerAuthentication = .none, classic: Bool = true) -> STUNServer {
        var random = SplitMix64(seed: 7)
        return STUNServer(configuration: .init(software: "lab-server", authentication: authentication,
                                               answersClassicClients: classic), random: &random)
    }

    func ask(_ server: inout STUNServer, _ bytes: [UInt8]) -> Drained<STUNServerEvent> {
        server.feed(.datagram(Datagram(from: Addresses.client, to: Addresses.server, payload: bytes), at: .zero))
    }

    /// "lab-server" padded with spaces to 12 bytes: classic parsers skip no padding.
    let software = Classic.attribute(0x8022, Array("lab-server  ".utf8))

    @Test("a classic Binding request gets MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS, SOFTWARE and its 128-bit id back, byte for byte")
    func success() throws {
        var server = server()
        let out = ask(&server, Classic.request(flags: 0))
        try #require(out.datagrams.count == 1 && out.events.count == 1)
        // 50000 = 0xc350, 3478 = 0x0d96; no XOR-MAPPED-ADDRESS, no FINGERPRINT.
        let expected = Classic.message(type: 0x0101, [
            Classic.attribute(0x0001, [0, 1, 0xC3, 0x50, 127, 0, 0, 1]),
            Classic.attribute(0x0004, [0, 1, 0x0D, 0x96, 127, 0, 0, 1]),
            Classic.attribute(0x0005, [0, 1, 0x0D, 0x96, 127, 0, 0, 1]),
            software,
        ])
        #expect(out.datagrams[0].payload == expected)
        #expect(out.datagrams[0].destination == Addresses.client && out.datagrams[0].source == Addresses.server)
        let response = try STUNMessage(parsing: out.datagrams[0].payload, acceptingClassic: true)
        #expect(response.classicTransactionID == Classic.transactionID)
        #expect(try response.attribute(SourceAddress.self)?.address == Addresses.server)
        #expect(try response.attribute(ChangedAddress.self)?.address == Addresses.server)
        guard case let .answered(answer) = out.events[0] else { Issue.record("\(out.events)"); return }
        #expect(answer.isClassic && answer.mappedAddress == Addresses.client && answer.errorCode == nil)
        #expect(answer.changeRequest == ChangeRequest(flags: 0))
        #expect(answer.description.hasPrefix(
            "127.0.0.1:50000 Binding Request (RFC 3489, no magic cookie, CHANGE-REQUEST 0x0) -> Binding Success Response (MAPPED-ADDRESS 127.0.0.1:50000)"))
        #expect(ask(&server, Classic.message()).datagrams.count == 1, "no CHANGE-REQUEST at all is answered too")
    }

    @Test("a change request it cannot honour gets 420 listing CHANGE-REQUEST (twice: RFC 3489 fills 32 bits), byte for byte")
    func changeRequest() throws {
        var server = server()
        for flags: UInt8 in [0x2, 0x4, 0x6] {
            let out = ask(&server, Classic.request(flags: flags))
            try #require(out.datagrams.count == 1)
            let phrase = Array("Unknown Attribute: this server has no alternate address ".utf8)
            #expect(phrase.count % 4 == 0)
            let expected = Classic.message(type: 0x0111, [
                Classic.attribute(0x0009, [0, 0, 4, 20] + phrase),
                Classic.attribute(0x000A, [0x00, 0x03, 0x00, 0x03]),
                software,
            ])
            #expect(out.datagrams[0].payload == expected)
            guard case let .answered(answer) = out.events.first else { Issue.record("\(out.events)"); continue }
            #expect(answer.errorCode == .unknownAttribute && answer.response == .bindingError && answer.mappedAddress == nil)
            #expect(answer.description.contains("CHANGE-REQUEST 0x\(String(flags, radix: 16))) -> Binding Error Response 420"))
        }
    }

    @Test("RESPONSE-ADDRESS is never honoured (420), a malformed CHANGE-REQUEST is 400, USERNAME is ignored")
    func otherAttributes() throws {
        var server = server()
        let redirect = ask(&server, Classic.message([Classic.attribute(0x0002, [0, 1, 0x13, 0x88, 10, 0, 0, 1])]))
        let redirected = try STUNMessage(parsing: try #require(redirect.datagrams.first).payload, acceptingClassic: true)
        #expect(redirect.datagrams.first?.destination == Addresses.client)
        #expect(redirected.errorCode?.code == .unknownAttribute)
        #expect(try redirected.attribute(UnknownAttributes.self)?.types == [.responseAddress, .responseAddress])

        let bad = ask(&server, Classic.message([Classic.attribute(0x0003, [0, 0, 0, 0, 0, 0, 0, 6])]))
        let badResponse = try STUNMessage(parsing: try #require(bad.datagrams.first).payload, acceptingClassic: true)
        #expect(badResponse.errorCode?.code == .badRequest)
        #expect((badResponse.errorCode?.reason.utf8.count ?? 1) % 4 == 0, "classic text is a multiple of 4")

        let named = ask(&server, Classic.message([Classic.attribute(0x0006, Array("user".utf8))]))
        let namedResponse = try STUNMessage(parsing: try #require(named.datagrams.first).payload, acceptingClassic: true)
        #expect(namedResponse.messageType == .bindingSuccess)
        #expect(!namedResponse.contains(.messageIntegrity) && !namedResponse.contains(.fingerprint))
    }

    @Test("classic garbage, non-Binding classic messages, and classic clients of a credentialed or opted-out server are dropped")
    func drops() {
        let cases: [(STUNServer, [UInt8], String)] = [
            (server(), Classic.message([Classic.attribute(0x0006, [0x61, 0x62]) + [0, 0]]), "malformed"),
            (server(), Array(Classic.request(flags: 0).dropLast(2)), "malformed"),
            (server(), Classic.message(type: 0x0002), "only classic Binding requests"),
            (server(), Classic.message(type: 0x0101), "RFC 3489 Binding Success Response (no magic cookie): only classic Binding requests"),
            (server(), Classic.message(type: 0x0011), "only classic Binding requests"),
            (server(.shortTerm(users: ["alice": "secret"])), Classic.request(flags: 0), "requires credentials"),
            (server(.longTerm(realm: "r", users: [:])), Classic.request(flags: 0), "requires credentials"),
            (server(classic: false), Classic.request(flags: 0), "turned off"),
        ]
        for (initial, bytes, reason) in cases {
            var server = initial
            let out = ask(&server, bytes)
            #expect(out.datagrams.isEmpty, "no answer expected (\(reason))")
            guard case let .dropped(_, text) = out.events.first, out.events.count == 1 else {
                Issue.record("expected one dropped event for \(reason), got \(out.events)")
                continue
            }
            #expect(text.contains(reason), "\(text)")
        }
    }

    @Test("classic support is in effect only without credentials")
    func configuration() {
        #expect(STUNServer.Configuration().classicClientsAnswered)
        #expect(!STUNServer.Configuration(authentication: .shortTerm(users: [:])).classicClientsAnswered)
        #expect(!STUNServer.Configuration(answersClassicClients: false).classicClientsAnswered)
    }

    @Test("mutated classic requests never trap and always produce exactly one event")
    func mutations() {
        var random = SplitMix64(seed: 3489)
        var server = server()
        let seeds = [Classic.request(flags: 0), Classic.request(flags: 6),
                     Classic.message([Classic.attribute(0x0002, [0, 1, 0, 80, 1, 2, 3, 4]), Classic.attribute(0x0006, [1, 2, 3, 4])])]
        var answered = 0
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            let out = ask(&server, bytes)
            #expect(out.events.count == 1 && out.datagrams.count <= 1)
            if let reply = out.datagrams.first {
                answered += 1
                // Whatever was answered is well formed in its own dialect.
                #expect((try? STUNMessage(parsing: reply.payload, acceptingClassic: true)) != nil)
            }
        }
        #expect(answered > 0)
    }
}
