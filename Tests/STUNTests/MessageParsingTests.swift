import Testing
import Wire
@testable import STUN

@Suite("Message parsing: header checks, TLV framing, RFC 8489 §14.5 ignore rules")
struct MessageParsingTests {
    let id = try! TransactionID(bytes: Array(repeating: 0xAB, count: 12))

    func code(_ bytes: [UInt8]) -> STUNError.Code? {
        do {
            _ = try STUNMessage(parsing: bytes)
            return nil
        } catch let error as STUNError {
            #expect(error.origin == .peer)
            return error.code
        } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    @Test("each header check has its own error code")
    func headerChecks() {
        var bytes = RFC5769.ipv4Response
        #expect(code(Array(bytes.prefix(19))) == .truncated)
        bytes[0] |= 0x80
        #expect(code(bytes) == .notSTUN)
        bytes = RFC5769.ipv4Response
        bytes[4] = 0x00
        #expect(code(bytes) == .badMagicCookie)
        bytes = RFC5769.ipv4Response
        bytes[3] = 0x3D
        #expect(code(bytes) == .badLength, "length not a multiple of 4")
        #expect(code(RFC5769.ipv4Response + [0, 0, 0, 0]) == .badLength, "datagram longer than the length field")
        #expect(code(Array(RFC5769.ipv4Response.dropLast(4))) == .truncated, "datagram shorter than the length field")
    }

    @Test("messages above the size limit are rejected before parsing")
    func sizeLimit() {
        #expect(throws: STUNError.self) { try STUNMessage(parsing: RFC5769.request, maximumSize: 100) }
        #expect((try? STUNMessage(parsing: RFC5769.request, maximumSize: 108)) != nil)
        #expect(code([UInt8](repeating: 0, count: 70_000)) == .messageTooLarge)
    }

    @Test("an attribute running past the message end is a typed truncation")
    func attributeOverrun() {
        // Header length 8: one attribute header announcing 8 bytes, only 4 present.
        let bytes: [UInt8] = [0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42] + Array(repeating: 1, count: 12)
            + [0x80, 0x22, 0x00, 0x08, 0x41, 0x42, 0x43, 0x44]
        #expect(code(bytes) == .truncated)
    }

    @Test("attributes after MESSAGE-INTEGRITY are ignored except -SHA256 and FINGERPRINT")
    func ignoredAfterIntegrity() throws {
        var message = STUNMessage(type: .bindingRequest, transactionID: id)
        message.append(try Username("u"))
        message.append(try MessageIntegrity(hmac: Array(repeating: 0, count: 20)))
        message.append(try Software("after MI"))
        message.append(try MessageIntegritySHA256(hmac: Array(repeating: 0, count: 32)))
        message.append(try Realm("after MI-SHA256"))
        message.append(Fingerprint(value: 0))
        message.append(try Nonce("after FINGERPRINT"))
        let parsed = try STUNMessage(parsing: try message.encode())
        #expect(parsed.attributes.map(\.type) == [.username, .messageIntegrity, .messageIntegritySHA256, .fingerprint])
        #expect(parsed.ignoredAttributes.map(\.type) == [.software, .realm, .nonce])
        #expect(try parsed.attribute(Software.self) == nil)
    }

    @Test("a stream reader parses two back-to-back messages (RFC 8489 §6.2.2 framing)")
    func streamParsing() throws {
        var reader = ByteReader(RFC5769.request + RFC5769.ipv4Response)
        let first = try STUNMessage(parsing: &reader)
        let second = try STUNMessage(parsing: &reader)
        #expect(first.messageType == .bindingRequest)
        #expect(second.messageType == .bindingSuccess)
        #expect(reader.isAtEnd)
        var short = ByteReader(Array(RFC5769.request.prefix(50)))
        #expect(throws: STUNError.self) { try STUNMessage(parsing: &short) }
    }

    @Test("looksLikeSTUN accepts the vectors and refuses DTLS and short input")
    func looksLikeSTUN() {
        #expect(RFC5769.all.allSatisfy { STUNMessage.looksLikeSTUN($0.bytes) })
        #expect(!STUNMessage.looksLikeSTUN([22, 254, 253] + Array(repeating: 0, count: 30)))
        #expect(!STUNMessage.looksLikeSTUN([0, 1, 0, 0]))
    }

    @Test("transaction ids are 12 bytes and random ids come from the injected generator")
    func transactionIDs() throws {
        #expect(throws: STUNError.self) { try TransactionID(bytes: [1, 2, 3]) }
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        let first = TransactionID(using: &a)
        #expect(first == TransactionID.random(using: &b))
        #expect(first != TransactionID(using: &a))
        #expect(first.bytes.count == 12)
    }

    @Test("encoding refuses attributes that overflow the 16-bit length")
    func encodeOverflow() {
        var message = STUNMessage(type: .bindingRequest, transactionID: id)
        message.append(STUNAttribute(type: .data, value: Array(repeating: 0, count: 40_000)))
        message.append(STUNAttribute(type: .data, value: Array(repeating: 0, count: 40_000)))
        #expect(throws: STUNError.self) { try message.encode() }
    }

    @Test("CRC-32 is the ISO/Ethernet one")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test("MESSAGE-INTEGRITY-SHA256 signs and verifies; it wins over MESSAGE-INTEGRITY when both are present")
    func sha256() throws {
        let key = STUNKey.shortTerm(password: "pw")
        var message = STUNMessage.bindingRequest(transactionID: id)
        message.append(try Username("user"))
        let onlySHA256 = try message.encode(integrityKey: key, algorithms: [.hmacSHA256], fingerprint: true)
        #expect(STUNMessage.verifyIntegrity(of: onlySHA256, key: key) == .valid(.hmacSHA256))
        #expect(STUNMessage.verifyFingerprint(of: onlySHA256).isValid)
        var both = try message.encode(integrityKey: key, algorithms: [.hmacSHA1, .hmacSHA256])
        #expect(STUNMessage.verifyIntegrity(of: both, key: key) == .valid(.hmacSHA256))
        both[both.count - 1] ^= 1 // break the SHA-256 HMAC only
        guard case .invalid(.hmacSHA256, _, _) = STUNMessage.verifyIntegrity(of: both, key: key) else {
            Issue.record("the SHA-256 HMAC should be the one checked")
            return
        }
    }

    @Test("verification of garbage reports malformed, not a crash")
    func verifyGarbage() {
        guard case .malformed = STUNMessage.verifyIntegrity(of: [1, 2, 3], key: .shortTerm(password: "x")) else {
            Issue.record("expected malformed")
            return
        }
        guard case .malformed = STUNMessage.verifyFingerprint(of: Array(RFC5769.request.prefix(60))) else {
            Issue.record("expected malformed")
            return
        }
        #expect(STUNMessage.verifyIntegrity(of: RFC5769.longTermRequest, key: .shortTerm(password: "")).isValid == false)
    }
}
