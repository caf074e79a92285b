import Testing
import Wire
@testable import STUN

@Suite("Dissector: Wireshark-like trees, error nodes instead of traps")
struct DissectorTests {
    @Test("the IPv4 response shows header fields with offsets, and the decoded mapped address")
    func ipv4Response() throws {
        let tree = STUNDissector.dissect(RFC5769.ipv4Response, integrityKey: RFC5769.shortTermKey)
        #expect(tree.name == STUNDissector.protocolName)
        #expect(tree.value.hasPrefix("Binding Success Response"))
        let type = try #require(tree.find("Message Type"))
        #expect(type.offset == 0 && type.length == 2)
        #expect(type.value == "0x0101 (Binding Success Response)")
        #expect(try #require(type.find("Message Class")).value.contains("C1 = 1 (bit 8), C0 = 0 (bit 4)"))
        #expect(tree.find("Message Length")?.value == "60")
        #expect(tree.find("Message Cookie")?.value == "0x2112a442")
        #expect(tree.find("Message Transaction ID")?.value == "0xb7e7a701bc34d686fa87dfae")
        let xor = try #require(tree.find("XOR-MAPPED-ADDRESS"))
        #expect(xor.value == "192.0.2.1:32853")
        #expect(xor.offset == 36 && xor.length == 12)
        #expect(xor.find("Attribute Type")?.value == "XOR-MAPPED-ADDRESS (0x0020), comprehension-required")
        #expect(xor.find("Protocol Family")?.value == "IPv4 (0x01)")
        #expect(xor.find("X-Port")?.value.hasPrefix("0xa147 (port 32853") == true)
        #expect(xor.find("X-Address")?.value.hasPrefix("0xe112a643 (192.0.2.1") == true)
        #expect(xor.find("Mapped")?.value == "192.0.2.1:32853")
        let software = try #require(tree.find("SOFTWARE"))
        #expect(software.find("Attribute Type")?.value.hasSuffix("comprehension-optional") == true)
        #expect(software.find("Padding")?.length == 1)
        #expect(tree.find("MESSAGE-INTEGRITY")?.find("Verdict")?.value == "valid")
        #expect(tree.find("FINGERPRINT")?.find("Verdict")?.value == "valid")
        #expect(!tree.all.contains { $0.isError })
    }

    @Test("without a key MESSAGE-INTEGRITY is shown but not judged")
    func noKey() {
        let tree = STUNDissector.dissect(RFC5769.request)
        #expect(tree.find("MESSAGE-INTEGRITY")?.find("Verdict")?.value == "not checked (no key given)")
        #expect(tree.find("USERNAME")?.value == "\"evtj:h6vY\"")
        #expect(tree.find("Padding")?.value.contains("not zero") == true, "RFC 5769 pads USERNAME with spaces")
    }

    @Test("a wrong key and a broken fingerprint are error nodes with the expected values")
    func badVerdicts() throws {
        var bytes = RFC5769.ipv6Response
        bytes[bytes.count - 1] ^= 0xFF
        let tree = STUNDissector.dissect(bytes, integrityKey: .shortTerm(password: "wrong"))
        let integrity = try #require(tree.find("MESSAGE-INTEGRITY")?.find("Verdict"))
        #expect(integrity.isError && integrity.value.hasPrefix("INVALID (expected"))
        let fingerprint = try #require(tree.find("FINGERPRINT")?.find("Verdict"))
        #expect(fingerprint.isError)
        #expect(fingerprint.value == "INVALID (expected 0xc8fb0b4c)")
        #expect(tree.find("XOR-MAPPED-ADDRESS")?.value == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
    }

    @Test("garbage and truncations become error nodes")
    func garbage() {
        #expect(STUNDissector.dissect([]).find("Malformed")?.isError == true)
        let dtls = STUNDissector.dissect([0x16, 0xFE, 0xFD, 0x00])
        #expect(dtls.isError && dtls.value.contains("not STUN"))
        var badCookie = RFC5769.ipv4Response
        badCookie[5] = 0
        #expect(STUNDissector.dissect(badCookie).find("Message Cookie")?.isError == true)
        let cut = STUNDissector.dissect(Array(RFC5769.ipv4Response.prefix(40)))
        #expect(cut.find("Message Length")?.isError == true)
        #expect(cut.find("Malformed")?.isError == true, "the cut XOR-MAPPED-ADDRESS is reported")
        #expect(cut.find("SOFTWARE")?.value == "\"test vector\"", "attributes before the cut still show")
    }

    @Test("a malformed attribute value is an error node inside that attribute")
    func malformedValue() throws {
        var message = STUNMessage(type: .bindingSuccess, transactionID: try TransactionID(bytes: Array(repeating: 1, count: 12)))
        message.append(STUNAttribute(type: .xorMappedAddress, value: [0, 9, 0, 0, 1, 2, 3, 4]))
        message.append(STUNAttribute(type: STUNAttributeType(rawValue: 0x7F01), value: [0xAA]))
        let tree = STUNDissector.dissect(try message.encode())
        let xor = try #require(tree.find("XOR-MAPPED-ADDRESS"))
        #expect(xor.isError && xor.value.hasPrefix("malformed"))
        let unknown = try #require(tree.find("Unknown attribute 0x7f01"))
        #expect(unknown.find("Attribute Type")?.value == "Unknown (0x7f01), comprehension-required")
        #expect(unknown.find("Value")?.value == "aa")
    }

    @Test("the tree renders with offsets and hex")
    func renders() {
        let lines = STUNDissector.dissect(RFC5769.ipv4Response).render(bytes: RFC5769.ipv4Response)
        #expect(lines.contains("  0000  Message Type: 0x0101 (Binding Success Response)  [01 01]"))
        #expect(lines.contains { $0.contains("XOR-MAPPED-ADDRESS: 192.0.2.1:32853") })
    }
}
