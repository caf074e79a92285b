import Testing
import Wire
@testable import STUN

@Suite("STUNServer: Binding answers, credential checks, silence on garbage")
struct ServerTests {
    let id = try! TransactionID(bytes: Array(0x30...0x3B))

    func server(_ authentication: STUNServerAuthentication = .none, software: String? = "lab-server") -> STUNServer {
        var random = SplitMix64(seed: 42)
        return STUNServer(configuration: .init(software: software, authentication: authentication), random: &random)
    }

    /// Sends `bytes` from the client; returns the single answer (parsed) and the event.
    func ask(_ server: inout STUNServer, _ bytes: [UInt8], from client: TransportAddress = Addresses.client,
             at now: Instant = .zero) throws -> (response: STUNMessage, bytes: [UInt8], answer: STUNServerAnswer) {
        let out = server.feed(.datagram(Datagram(from: client, to: Addresses.server, payload: bytes), at: now))
        try #require(out.datagrams.count == 1, "expected one answer, got events \(out.events)")
        #expect(out.datagrams[0].source == Addresses.server && out.datagrams[0].destination == client)
        guard case let .answered(answer) = try #require(out.events.first) else {
            throw STUNError(.invalidArgument, "expected an answered event, got \(out.events)")
        }
        return (try STUNMessage(parsing: out.datagrams[0].payload), out.datagrams[0].payload, answer)
    }

    func request(_ build: (inout STUNMessage) throws -> Void = { _ in }) rethrows -> STUNMessage {
        var message = STUNMessage.bindingRequest(transactionID: id)
        try build(&message)
        return message
    }

    @Test("a Binding request gets XOR-MAPPED-ADDRESS of its source, SOFTWARE and a valid FINGERPRINT")
    func binding() throws {
        var server = server()
        let (response, bytes, answer) = try ask(&server, try request().encode())
        #expect(response.messageType == .bindingSuccess)
        #expect(response.transactionID == id)
        #expect(response.attributes.map(\.type) == [.xorMappedAddress, .software, .fingerprint])
        #expect(try response.attribute(XORMappedAddress.self)?.address == Addresses.client)
        #expect(try response.attribute(Software.self)?.value == "lab-server")
        #expect(STUNMessage.verifyFingerprint(of: bytes).isValid)
        #expect(answer.mappedAddress == Addresses.client && answer.errorCode == nil)
        #expect(answer.request == .bindingRequest && answer.response == .bindingSuccess)
        #expect(server.nextTimeout == nil)
    }

    @Test("an IPv6 client gets its IPv6 address back")
    func ipv6() throws {
        var server = server()
        let client = TransportAddress(.loopbackV6, 61000)
        let (response, _, _) = try ask(&server, try request().encode(), from: client)
        #expect(response.mappedAddress == client)
    }

    @Test("the RFC 5769 sample request is answered: ICE attributes understood, response signed with the same key")
    func sampleRequest() throws {
        var server = server(.shortTerm(users: ["evtj:h6vY": RFC5769.shortTermPassword]))
        let (response, bytes, answer) = try ask(&server, RFC5769.request)
        #expect(response.messageType == .bindingSuccess)
        #expect(STUNMessage.verifyIntegrity(of: bytes, key: RFC5769.shortTermKey) == .valid(.hmacSHA1))
        #expect(answer.username == "evtj:h6vY")
    }

    @Test("short-term: missing MESSAGE-INTEGRITY or USERNAME is 400, unknown user or bad HMAC is 401")
    func shortTermRejections() throws {
        let users = ["alice": "secret"]
        let key = STUNKey.shortTerm(password: "secret")
        var server = server(.shortTerm(users: users))
        func code(_ bytes: [UInt8]) throws -> STUNErrorCode? {
            let (response, answerBytes, _) = try ask(&server, bytes)
            #expect(response.messageType == .bindingError)
            #expect(!response.contains(.messageIntegrity), "rejections cannot be signed")
            #expect(STUNMessage.verifyFingerprint(of: answerBytes).isValid)
            return response.errorCode?.code
        }
        #expect(try code(try request().encode()) == .badRequest)
        #expect(try code(try request().encode(integrityKey: key)) == .badRequest, "MESSAGE-INTEGRITY without USERNAME")
        #expect(try code(try request { $0.append(try Username("alice")) }.encode()) == .badRequest, "USERNAME without MESSAGE-INTEGRITY")
        #expect(try code(try request { $0.append(try Username("mallory")) }.encode(integrityKey: key)) == .unauthenticated)
        #expect(try code(try request { $0.append(try Username("alice")) }.encode(integrityKey: .shortTerm(password: "guess"))) == .unauthenticated)
        let (ok, okBytes, _) = try ask(&server, try request { $0.append(try Username("alice")) }.encode(integrityKey: key, algorithms: [.hmacSHA256]))
        #expect(ok.messageType == .bindingSuccess)
        #expect(STUNMessage.verifyIntegrity(of: okBytes, key: key) == .valid(.hmacSHA256), "answered with the request's algorithm")
    }

    @Test("long-term: 401 with REALM and NONCE, 400 without NONCE, 401 on a bad password, success signed")
    func longTerm() throws {
        var server = server(.longTerm(realm: "lab.example", users: ["bob": "hunter2"], nonceLifetime: .seconds(60)))
        let (challenge, _, _) = try ask(&server, try request().encode())
        #expect(challenge.errorCode?.code == .unauthenticated)
        let realm = try #require(try challenge.attribute(Realm.self)).value
        let nonce = try #require(try challenge.attribute(Nonce.self)).value
        #expect(realm == "lab.example" && !challenge.contains(.messageIntegrity))

        let key = STUNKey.longTerm(username: "bob", realm: realm, password: "hunter2")
        let missingNonce = try request { $0.append(try Username("bob")); $0.append(try Realm(realm)) }.encode(integrityKey: key)
        let (bad, _, _) = try ask(&server, missingNonce)
        #expect(bad.errorCode?.code == .badRequest)
        #expect(!bad.contains(.realm) && !bad.contains(.nonce))

        func signed(_ password: String, nonce: String) throws -> [UInt8] {
            try request {
                $0.append(try Username("bob")); $0.append(try Realm(realm)); $0.append(try Nonce(nonce))
            }.encode(integrityKey: .longTerm(username: "bob", realm: realm, password: password), fingerprint: true)
        }
        let (wrong, _, _) = try ask(&server, try signed("wrong", nonce: nonce), at: .seconds(1))
        #expect(wrong.errorCode?.code == .unauthenticated)
        #expect(wrong.contains(.realm) && wrong.contains(.nonce))

        let (ok, okBytes, answer) = try ask(&server, try signed("hunter2", nonce: nonce), at: .seconds(2))
        #expect(ok.messageType == .bindingSuccess)
        #expect(STUNMessage.verifyIntegrity(of: okBytes, key: key) == .valid(.hmacSHA1))
        #expect(answer.username == "bob")
    }

    @Test("long-term: an expired or forged nonce gets 438 Stale Nonce with a fresh one")
    func staleNonce() throws {
        var server = server(.longTerm(realm: "lab.example", users: ["bob": "hunter2"], nonceLifetime: .seconds(60)))
        let (challenge, _, _) = try ask(&server, try request().encode(), at: .zero)
        let nonce = try #require(try challenge.attribute(Nonce.self)).value
        let key = STUNKey.longTerm(username: "bob", realm: "lab.example", password: "hunter2")
        func signed(_ nonce: String) throws -> [UInt8] {
            try request {
                $0.append(try Username("bob")); $0.append(try Realm("lab.example")); $0.append(try Nonce(nonce))
            }.encode(integrityKey: key)
        }
        let (stale, _, _) = try ask(&server, try signed(nonce), at: .seconds(61))
        #expect(stale.errorCode?.code == .staleNonce)
        let fresh = try #require(try stale.attribute(Nonce.self)).value
        #expect(fresh != nonce)
        let (forged, _, _) = try ask(&server, try signed("0000000000ffffff" + String(repeating: "0", count: 20)), at: .seconds(61))
        #expect(forged.errorCode?.code == .staleNonce)
        let (ok, _, _) = try ask(&server, try signed(fresh), at: .seconds(62))
        #expect(ok.messageType == .bindingSuccess)
    }

    @Test("unknown comprehension-required attributes get 420 listing them; unknown optional ones are ignored")
    func unknownAttributes() throws {
        var server = server()
        let strange = STUNAttributeType(rawValue: 0x7F01)
        let bytes = try request {
            $0.append(STUNAttribute(type: strange, value: [1]))
            $0.append(STUNAttribute(type: .lifetime, value: [0, 0, 0, 60]))
            $0.append(STUNAttribute(type: STUNAttributeType(rawValue: 0xBEEF), value: [2]))
        }.encode()
        let (response, _, answer) = try ask(&server, bytes)
        #expect(response.errorCode?.code == .unknownAttribute)
        #expect(try response.attribute(UnknownAttributes.self)?.types == [strange, .lifetime])
        #expect(answer.errorCode == .unknownAttribute)

        let optional = try request { $0.append(STUNAttribute(type: STUNAttributeType(rawValue: 0xBEEF), value: [2])) }.encode()
        #expect(try ask(&server, optional).response.messageType == .bindingSuccess)
    }

    @Test("a request for a method other than Binding gets 400")
    func otherMethod() throws {
        var server = server()
        let allocate = STUNMessage(type: STUNMessageType(method: .allocate, messageClass: .request), transactionID: id)
        let (response, _, _) = try ask(&server, try allocate.encode())
        #expect(response.messageType == STUNMessageType(method: .allocate, messageClass: .errorResponse))
        #expect(response.errorCode?.code == .badRequest)
    }

    @Test("garbage, DTLS, indications, responses and bad fingerprints get no answer, only a dropped event")
    func silence() throws {
        var server = server()
        var badFingerprint = try request().encode(fingerprint: true)
        badFingerprint[badFingerprint.count - 1] ^= 1
        let indication = try STUNMessage(type: .bindingIndication, transactionID: id).encode()
        let cases: [([UInt8], String)] = [
            ([], "not STUN"),
            ([0x16, 0xFE, 0xFD, 0, 0, 0, 0], "not STUN"),
            ([0x00, 0x01, 0x00], "malformed"),
            (Array(RFC5769.request.prefix(60)), "malformed"),
            (RFC5769.ipv4Response, "does not answer responses"),
            (indication, "indications are never answered"),
            (badFingerprint, "bad FINGERPRINT"),
        ]
        for (payload, reason) in cases {
            let out = server.feed(.datagram(Datagram(from: Addresses.client, to: Addresses.server, payload: payload), at: .zero))
            #expect(out.datagrams.isEmpty, "no answer to \(reason)")
            guard case let .dropped(from, text) = out.events.first, out.events.count == 1 else {
                Issue.record("expected one dropped event for \(reason), got \(out.events)")
                continue
            }
            #expect(from == Addresses.client)
            #expect(text.contains(reason), "\(text)")
        }
    }

    @Test("events describe who asked what")
    func eventText() throws {
        var server = server()
        let (_, _, answer) = try ask(&server, try request().encode())
        #expect(answer.description.hasPrefix("127.0.0.1:50000 Binding Request -> Binding Success Response (mapped 127.0.0.1:50000)"))
    }
}
