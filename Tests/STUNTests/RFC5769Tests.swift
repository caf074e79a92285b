import Testing
import Wire
@testable import STUN

@Suite("RFC 5769 test vectors")
struct RFC5769Tests {
    @Test("2.1 sample request parses with every attribute decoded")
    func sampleRequestParses() throws {
        let message = try STUNMessage(parsing: RFC5769.request)
        #expect(message.messageType == .bindingRequest)
        #expect(message.transactionID.description == "b7e7a701bc34d686fa87dfae")
        #expect(message.attributes.map(\.type) == [.software, .priority, .iceControlled, .username, .messageIntegrity, .fingerprint])
        #expect(try message.attribute(Software.self)?.value == "STUN test client")
        #expect(try message.attribute(ICEPriority.self)?.value == 0x6E00_01FF)
        #expect(try message.attribute(ICEControlled.self)?.tieBreaker == 0x932F_F9B1_5126_3B36)
        #expect(try message.attribute(Username.self)?.value == "evtj:h6vY")
        #expect(message.rawAttribute(.username)?.padding == [0x20, 0x20, 0x20])
    }

    @Test("2.1 sample request: MESSAGE-INTEGRITY and FINGERPRINT verify; a wrong password does not")
    func sampleRequestVerifies() {
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.request, key: RFC5769.shortTermKey) == .valid(.hmacSHA1))
        #expect(STUNMessage.verifyFingerprint(of: RFC5769.request) == .valid(0xE57A_3BCF))
        #expect(!STUNMessage.verifyIntegrity(of: RFC5769.request, key: .shortTerm(password: "wrong")).isValid)
    }

    @Test("2.2 IPv4 response decodes 192.0.2.1:32853 and verifies")
    func ipv4Response() throws {
        let message = try STUNMessage(parsing: RFC5769.ipv4Response)
        #expect(message.messageType == .bindingSuccess)
        #expect(try message.attribute(Software.self)?.value == "test vector")
        #expect(try message.attribute(XORMappedAddress.self)?.address == TransportAddress(.v4(192, 0, 2, 1), 32853))
        #expect(message.mappedAddress == TransportAddress(.v4(192, 0, 2, 1), 32853))
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.ipv4Response, key: RFC5769.shortTermKey) == .valid(.hmacSHA1))
        #expect(STUNMessage.verifyFingerprint(of: RFC5769.ipv4Response).isValid)
    }

    @Test("2.3 IPv6 response decodes [2001:db8:1234:5678:11:2233:4455:6677]:32853 and verifies")
    func ipv6Response() throws {
        let message = try STUNMessage(parsing: RFC5769.ipv6Response)
        let expected = TransportAddress(try #require(IPAddress("2001:db8:1234:5678:11:2233:4455:6677")), 32853)
        #expect(try message.attribute(XORMappedAddress.self)?.address == expected)
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.ipv6Response, key: RFC5769.shortTermKey) == .valid(.hmacSHA1))
        #expect(STUNMessage.verifyFingerprint(of: RFC5769.ipv6Response).isValid)
    }

    @Test("2.4 long-term request: USERNAME, NONCE, REALM decode and the MD5-derived key verifies")
    func longTermRequest() throws {
        let message = try STUNMessage(parsing: RFC5769.longTermRequest)
        #expect(try message.attribute(Username.self)?.value == RFC5769.longTermUsername)
        #expect(try message.attribute(Nonce.self)?.value == RFC5769.nonce)
        #expect(try message.attribute(Realm.self)?.value == RFC5769.realm)
        #expect(RFC5769.longTermKey.bytes.count == 16)
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.longTermRequest, key: RFC5769.longTermKey) == .valid(.hmacSHA1))
        #expect(STUNMessage.verifyFingerprint(of: RFC5769.longTermRequest) == .absent)
        let unprepped = STUNKey.longTerm(username: RFC5769.longTermUsername, realm: RFC5769.realm,
                                         password: "The\u{00AD}M\u{00AA}tr\u{2168}")
        #expect(!STUNMessage.verifyIntegrity(of: RFC5769.longTermRequest, key: unprepped).isValid,
                "the HMAC was computed with the SASLprep'd password, not the raw one")
    }

    @Test("every vector re-encodes to the identical bytes", arguments: RFC5769.all.map(\.name))
    func reencodesByteExact(name: String) throws {
        let bytes = try #require(RFC5769.all.first { $0.name == name }).bytes
        #expect(try STUNMessage(parsing: bytes).encode() == bytes)
    }

    @Test("building 2.4 from its parts with the long-term key reproduces the vector")
    func buildsLongTermRequest() throws {
        var message = STUNMessage.bindingRequest(transactionID: try TransactionID(bytes: Array(RFC5769.longTermRequest[8..<20])))
        message.append(try Username(RFC5769.longTermUsername))
        message.append(try Nonce(RFC5769.nonce))
        message.append(try Realm(RFC5769.realm))
        #expect(try message.encode(integrityKey: RFC5769.longTermKey) == RFC5769.longTermRequest)
    }

    @Test("re-signing 2.1 without its integrity attributes reproduces the vector's HMAC and CRC")
    func resignsSampleRequest() throws {
        let parsed = try STUNMessage(parsing: RFC5769.request)
        let bytes = try parsed.removingProtection().encode(integrityKey: RFC5769.shortTermKey, fingerprint: true)
        #expect(bytes == RFC5769.request)
    }

    @Test("building 2.2 from its parts (space padding given explicitly) reproduces the vector")
    func buildsIPv4Response() throws {
        var message = STUNMessage(type: .bindingSuccess, transactionID: try TransactionID(bytes: Array(RFC5769.request[8..<20])))
        message.append(STUNAttribute(type: .software, value: Array("test vector".utf8), padding: [0x20]))
        message.append(XORMappedAddress(TransportAddress(.v4(192, 0, 2, 1), 32853)))
        #expect(try message.encode(integrityKey: RFC5769.shortTermKey, fingerprint: true) == RFC5769.ipv4Response)
    }

    @Test("a flipped bit in the body fails both MESSAGE-INTEGRITY and FINGERPRINT")
    func tamperingIsDetected() {
        var bytes = RFC5769.ipv4Response
        bytes[30] ^= 0x01 // inside SOFTWARE
        #expect(!STUNMessage.verifyIntegrity(of: bytes, key: RFC5769.shortTermKey).isValid)
        guard case .invalid = STUNMessage.verifyFingerprint(of: bytes) else {
            Issue.record("fingerprint should be invalid")
            return
        }
    }
}
