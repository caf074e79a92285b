import Testing
import Wire
@testable import STUN

@Suite("Attributes: each layout round-trips and rejects malformed values")
struct AttributeRoundTripTests {
    let id = try! TransactionID(bytes: Array(0x01...0x0C))

    func roundTrip<A: STUNAttributeValue & Equatable>(_ value: A) throws -> A {
        let attribute = STUNAttribute(value, transactionID: id)
        var message = STUNMessage(type: .bindingSuccess, transactionID: id)
        message.append(attribute)
        let reparsed = try STUNMessage(parsing: try message.encode())
        return try #require(try reparsed.attribute(A.self))
    }

    func decode<A: STUNAttributeValue>(_ type: A.Type, _ value: [UInt8]) throws -> A {
        try STUNAttribute(type: A.attributeType, value: value).decode(as: A.self, transactionID: id)
    }

    @Test("MAPPED-ADDRESS IPv4 and IPv6")
    func mappedAddress() throws {
        let v4 = MappedAddress(TransportAddress(.v4(10, 1, 2, 3), 5000))
        #expect(try roundTrip(v4) == v4)
        #expect(v4.encodedValue == [0, 1, 0x13, 0x88, 10, 1, 2, 3])
        let v6 = MappedAddress(TransportAddress(.loopbackV6, 443))
        #expect(try roundTrip(v6) == v6)
        #expect(v6.encodedValue.count == 20)
    }

    @Test("XOR-MAPPED-ADDRESS XORs the port with 0x2112 and IPv4 with the cookie")
    func xorMappedIPv4() throws {
        let value = XORMappedAddress(TransportAddress(.v4(127, 0, 0, 1), 54321))
        var writer = ByteWriter()
        value.encode(into: &writer, transactionID: id)
        let xPort: UInt16 = 54321 ^ 0x2112
        let expected: [UInt8] = [0x00, 0x01, UInt8(xPort >> 8), UInt8(xPort & 0xFF), 0x7F ^ 0x21, 0x12, 0xA4, 0x01 ^ 0x42]
        #expect(writer.bytes == expected)
        #expect(try roundTrip(value) == value)
    }

    @Test("XOR-MAPPED-ADDRESS IPv6 XORs with cookie and transaction id")
    func xorMappedIPv6() throws {
        let value = XORMappedAddress(TransportAddress(.loopbackV6, 9))
        var writer = ByteWriter()
        value.encode(into: &writer, transactionID: id)
        let mask: [UInt8] = [0x21, 0x12, 0xA4, 0x42] + Array(0x01...0x0C)
        #expect(Array(writer.bytes[4...]) == zip(IPAddress.loopbackV6.bytes, mask).map { $0 ^ $1 })
        #expect(try roundTrip(value) == value)
    }

    @Test("address attributes reject unknown families and wrong lengths")
    func addressRejections() {
        #expect(throws: STUNError.self) { try decode(XORMappedAddress.self, [0, 3, 0, 1, 1, 2, 3, 4]) }
        #expect(throws: STUNError.self) { try decode(MappedAddress.self, [0, 1, 0, 1, 1, 2, 3]) }
        #expect(throws: STUNError.self) { try decode(MappedAddress.self, [0, 2, 0, 1, 1, 2, 3, 4]) }
        #expect(throws: STUNError.self) { try decode(AlternateServer.self, [0, 1]) }
    }

    @Test("text attributes round-trip UTF-8 and enforce their limits")
    func textAttributes() throws {
        #expect(try roundTrip(try Username("alice:bob")) == (try Username("alice:bob")))
        #expect(try roundTrip(try Realm("example.org")).value == "example.org")
        #expect(try roundTrip(try Nonce("abc")).value == "abc")
        #expect(try roundTrip(try Software("webrtc-lab ✓")).value == "webrtc-lab ✓")
        #expect(throws: STUNError.self) { try Username(String(repeating: "u", count: 509)) }
        #expect((try? Username(String(repeating: "u", count: 508))) != nil)
        #expect(throws: STUNError.self) { try Software(String(repeating: "s", count: 764)) }
        #expect(throws: STUNError.self) { try decode(Username.self, [0xFF, 0xFE]) }
        do {
            _ = try Realm(String(repeating: "r", count: 800))
            Issue.record("expected an error")
        } catch let error as STUNError {
            #expect(error.origin == .caller, "too long a local value is API misuse")
        }
    }

    @Test("ERROR-CODE splits 401 into class 4 and number 1")
    func errorCode() throws {
        let value = try ErrorCodeAttribute(.unauthenticated)
        #expect(value.encodedValue == [0, 0, 4, 1] + Array("Unauthenticated".utf8))
        #expect(try roundTrip(value) == value)
        #expect(try roundTrip(try ErrorCodeAttribute(STUNErrorCode(rawValue: 699), reason: "odd")).code.rawValue == 699)
        #expect(throws: STUNError.self) { try ErrorCodeAttribute(STUNErrorCode(rawValue: 200)) }
        #expect(throws: STUNError.self) { try decode(ErrorCodeAttribute.self, [0, 0, 2, 0]) }
        #expect(throws: STUNError.self) { try decode(ErrorCodeAttribute.self, [0, 0, 4, 100]) }
        #expect(throws: STUNError.self) { try decode(ErrorCodeAttribute.self, [0, 0, 4]) }
    }

    @Test("every listed error code has its RFC reason phrase")
    func errorPhrases() {
        let codes: [STUNErrorCode] = [.tryAlternate, .badRequest, .unauthenticated, .forbidden, .unknownAttribute,
                                      .allocationMismatch, .staleNonce, .wrongCredentials, .unsupportedTransportProtocol,
                                      .peerAddressFamilyMismatch, .allocationQuotaReached, .roleConflict, .serverError,
                                      .insufficientCapacity]
        #expect(codes.map(\.rawValue) == [300, 400, 401, 403, 420, 437, 438, 441, 442, 443, 486, 487, 500, 508])
        #expect(codes.allSatisfy { $0.reasonPhrase != nil })
        #expect(STUNErrorCode.staleNonce.description == "438 Stale Nonce")
    }

    @Test("UNKNOWN-ATTRIBUTES lists types; an odd count gets two padding bytes")
    func unknownAttributes() throws {
        let value = UnknownAttributes([STUNAttributeType(rawValue: 0x7F01), .lifetime, .data])
        #expect(try roundTrip(value) == value)
        #expect(STUNAttribute(value, transactionID: id).encodedLength == 4 + 6 + 2)
        #expect(throws: STUNError.self) { try decode(UnknownAttributes.self, [0x00, 0x01, 0x02]) }
    }

    @Test("MESSAGE-INTEGRITY, -SHA256 and FINGERPRINT check their sizes")
    func fixedSizes() throws {
        #expect(try roundTrip(try MessageIntegrity(hmac: Array(repeating: 7, count: 20))).hmac.count == 20)
        #expect(throws: STUNError.self) { try MessageIntegrity(hmac: [1, 2, 3]) }
        #expect(throws: STUNError.self) { try decode(MessageIntegrity.self, Array(repeating: 0, count: 19)) }
        #expect(try roundTrip(try MessageIntegritySHA256(hmac: Array(repeating: 1, count: 16))).hmac.count == 16)
        #expect(throws: STUNError.self) { try MessageIntegritySHA256(hmac: Array(repeating: 1, count: 18)) }
        #expect(throws: STUNError.self) { try decode(MessageIntegritySHA256.self, Array(repeating: 0, count: 36)) }
        #expect(try roundTrip(Fingerprint(value: 0xDEAD_BEEF)) == Fingerprint(value: 0xDEAD_BEEF))
        #expect(throws: STUNError.self) { try decode(Fingerprint.self, [1, 2, 3]) }
    }

    @Test("ICE attributes: PRIORITY, USE-CANDIDATE, ICE-CONTROLLED, ICE-CONTROLLING")
    func iceAttributes() throws {
        #expect(try roundTrip(ICEPriority(0x6E00_01FF)) == ICEPriority(0x6E00_01FF))
        #expect(STUNAttribute(ICEUseCandidate(), transactionID: id).encodedLength == 4)
        #expect(try roundTrip(ICEUseCandidate()) == ICEUseCandidate())
        #expect(try roundTrip(ICEControlled(tieBreaker: .max)) == ICEControlled(tieBreaker: .max))
        #expect(try roundTrip(ICEControlling(tieBreaker: 42)) == ICEControlling(tieBreaker: 42))
        #expect(throws: STUNError.self) { try decode(ICEUseCandidate.self, [0]) }
        #expect(throws: STUNError.self) { try decode(ICEControlling.self, [0, 0, 0, 0]) }
        #expect(throws: STUNError.self) { try decode(ICEPriority.self, [0, 0]) }
    }

    @Test("ALTERNATE-SERVER round-trips")
    func alternateServer() throws {
        let value = AlternateServer(TransportAddress(.v4(192, 0, 2, 7), 3479))
        #expect(try roundTrip(value) == value)
    }

    @Test("an unknown attribute survives a round trip untouched, padding included")
    func unknownSurvives() throws {
        var message = STUNMessage(type: .bindingRequest, transactionID: id)
        message.append(STUNAttribute(type: STUNAttributeType(rawValue: 0xC0DE), value: [1, 2, 3], padding: [9, 9, 9]))
        let bytes = try message.encode()
        #expect(Array(bytes.suffix(8)) == [0xC0, 0xDE, 0x00, 0x03, 1, 2, 3, 9])
        let reparsed = try STUNMessage(parsing: bytes)
        #expect(reparsed.attributes == message.attributes.map { STUNAttribute(type: $0.type, value: $0.value, padding: [9]) })
        #expect(try reparsed.encode() == bytes)
    }

    @Test("decoding an attribute as the wrong type is API misuse")
    func wrongType() {
        do {
            _ = try STUNAttribute(type: .software, value: []).decode(as: Username.self, transactionID: id)
            Issue.record("expected an error")
        } catch let error as STUNError {
            #expect(error.code == .invalidArgument)
            #expect(error.origin == .caller)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
