// Checks of exercise 02, part 2: decoding the XOR-MAPPED-ADDRESS value (RFC 8489 §14.2),
// against the RFC 5769 vectors and edge cases a hostile network can send.
import ExerciseInterfaces

enum XORMappedAddressChecks {
    static let exerciseID = BindingRequestChecks.exerciseID
    static let check = DescriptorMaker(exerciseID: exerciseID)
    static let rfcID = BindingRequestChecks.rfcTransactionID
    static let highBitsID = BindingRequestChecks.highBitsTransactionID

    static let portRule = "RFC 8489 §14.2: X-Port is the port XORed with the most significant 16 bits of the magic cookie (0x2112)"
    static let ipv4Rule = "RFC 8489 §14.2: for IPv4, X-Address is the address XORed with the magic cookie 0x2112A442"
    static let ipv6Rule = "RFC 8489 §14.2: for IPv6, X-Address is the address XORed with the magic cookie followed by the 96-bit transaction ID"
    static let familyRule = "RFC 8489 §14.1: the second byte of the value is the family, 0x01 for IPv4 and 0x02 for IPv6"

    /// RFC 5769 §2.2, the XOR-MAPPED-ADDRESS value of the IPv4 response: 192.0.2.1 port 32853.
    static let rfcIPv4Value: [UInt8] = [0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43]
    /// RFC 5769 §2.3, the value of the IPv6 response: 2001:db8:1234:5678:11:2233:4455:6677 port 32853.
    static let rfcIPv6Value: [UInt8] = [
        0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79,
        0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
    ]
    static let rfcIPv4 = DecodedAddress(family: 0x01, port: 32853, address: [192, 0, 2, 1])
    static let rfcIPv6 = DecodedAddress(family: 0x02, port: 32853, address: [
        0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
    ])
    /// 255.254.253.128 port 65535: X-Port 0xdeed, X-Address de ec 59 c2 (sign-extension and byte-order traps).
    static let highIPv4Value: [UInt8] = [0x00, 0x01, 0xde, 0xed, 0xde, 0xec, 0x59, 0xc2]
    static let highIPv4 = DecodedAddress(family: 0x01, port: 65535, address: [255, 254, 253, 128])
    /// fe80::8000:ffff:abcd:ef01 port 32769 under the high-bits transaction ID: X-Port 0xa113.
    static let highIPv6Value: [UInt8] = [
        0x00, 0x02, 0xa1, 0x13, 0xdf, 0x92, 0xa4, 0x42, 0xff, 0xfe, 0xfd, 0xfc,
        0x00, 0x81, 0x7d, 0x7c, 0x5b, 0x2c, 0x3d, 0xc2,
    ]
    static let highIPv6 = DecodedAddress(family: 0x02, port: 32769, address: [
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0xff, 0xff, 0xab, 0xcd, 0xef, 0x01,
    ])

    static let rfc5769IPv4 = check(
        "decode.rfc5769-ipv4", points: 2, title: "decodes the RFC 5769 §2.2 IPv4 vector to 192.0.2.1 port 32853",
        rule: ipv4Rule + "; " + portRule)
    static let rfc5769IPv6 = check(
        "decode.rfc5769-ipv6", points: 2,
        title: "decodes the RFC 5769 §2.3 IPv6 vector to 2001:db8:1234:5678:11:2233:4455:6677 port 32853",
        rule: ipv6Rule + "; " + portRule)
    static let ipv4HighBits = check(
        "decode.ipv4-high-bits", points: 1,
        title: "decodes an IPv4 port and address whose high bits are set (255.254.253.128 port 65535)",
        rule: ipv4Rule + "; " + portRule)
    static let ipv6HighBits = check(
        "decode.ipv6-high-bits", points: 1,
        title: "decodes an IPv6 address under another transaction ID (fe80::8000:ffff:abcd:ef01 port 32769)",
        rule: ipv6Rule + "; " + portRule)
    static let reserved = check(
        "decode.ignores-reserved-byte", points: 1, title: "ignores the reserved first byte of the value",
        rule: "RFC 8489 §14.1: the first 8 bits of the value MUST be set to 0 by senders and MUST be ignored by receivers")
    static let truncated = check(
        "decode.rejects-truncated", points: 1, title: "throws on a value too short for its family, without reading past its end",
        rule: "RFC 8489 §14.1–14.2: the value is 4 bytes (reserved, family, port) plus a 4-byte IPv4 or 16-byte IPv6 address; "
            + "a shorter value is malformed")
    static let unknownFamily = check(
        "decode.rejects-unknown-family", points: 1, title: "throws on an address family other than 0x01 and 0x02",
        rule: "RFC 8489 §14.1: the family is 0x01 (IPv4) or 0x02 (IPv6); no other value says how long the address is")
    static let badID = check(
        "decode.rejects-bad-id", points: 1, title: "throws when the transaction ID is not 12 bytes",
        rule: "RFC 8489 §5: the transaction ID is exactly 96 bits, and the IPv6 XOR key needs all of them")

    static let descriptors = [rfc5769IPv4, rfc5769IPv6, ipv4HighBits, ipv6HighBits, reserved, truncated, unknownFamily, badID]

    static func checks<Coding: STUNCodingExercise>(_ coding: Coding.Type) -> [ExerciseCheck] {
        var reservedValue = rfcIPv4Value
        reservedValue[0] = 0xff
        return [
            decodes(Coding.self, rfc5769IPv4, "RFC 5769 §2.2 value", rfcIPv4Value, rfcID, rfcIPv4),
            decodes(Coding.self, rfc5769IPv6, "RFC 5769 §2.3 value", rfcIPv6Value, rfcID, rfcIPv6),
            decodes(Coding.self, ipv4HighBits, "value", highIPv4Value, rfcID, highIPv4),
            decodes(Coding.self, ipv6HighBits, "value", highIPv6Value, highBitsID, highIPv6),
            decodes(Coding.self, reserved, "value (reserved byte 0xff)", reservedValue, rfcID, rfcIPv4),
            rejects(Coding.self, truncated, [
                ([], rfcID, "empty value"),
                ([0x00, 0x01, 0xa1], rfcID, "3 bytes: no room for family and port"),
                (Array(rfcIPv4Value.prefix(7)), rfcID, "IPv4 family, 7 of 8 bytes"),
                (Array(rfcIPv6Value.prefix(19)), rfcID, "IPv6 family, 19 of 20 bytes"),
                ([0x00, 0x02] + Array(rfcIPv4Value.dropFirst(2)), rfcID, "IPv6 family but only an IPv4-sized 8 bytes"),
            ]),
            rejects(Coding.self, unknownFamily, [
                ([0x00, 0x00] + Array(rfcIPv4Value.dropFirst(2)), rfcID, "family 0x00"),
                ([0x00, 0x03] + Array(rfcIPv6Value.dropFirst(2)), rfcID, "family 0x03, 20 bytes"),
                ([0x00, 0x81] + Array(rfcIPv4Value.dropFirst(2)), rfcID, "family 0x81"),
            ]),
            rejects(Coding.self, badID, [
                (rfcIPv6Value, Array(rfcID.prefix(11)), "IPv6 value, 11-byte transaction ID"),
                (rfcIPv4Value, rfcID + [0x00], "IPv4 value, 13-byte transaction ID"),
                (rfcIPv4Value, [], "IPv4 value, empty transaction ID"),
            ]),
        ]
    }

    /// A check that `value` decodes to `expected`; on a mismatch the rule names the wrong field.
    static func decodes<Coding: STUNCodingExercise>(
        _: Coding.Type, _ descriptor: CheckDescriptor, _ label: String,
        _ value: [UInt8], _ id: [UInt8], _ expected: DecodedAddress
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            let input = "\(Coding.self).decodeXORMappedAddress(\(label) \(Describe.hex(value)), transactionID: \(Describe.hex(id)))"
            let expectedText = Describe.address(expected)
            do {
                let actual = try Coding.decodeXORMappedAddress(value, transactionID: id)
                guard actual == expected else {
                    var rules: [String] = []
                    if actual.family != expected.family { rules.append(familyRule) }
                    if actual.port != expected.port { rules.append(portRule) }
                    if actual.address != expected.address { rules.append(expected.family == 0x01 ? ipv4Rule : ipv6Rule) }
                    if descriptor.id == reserved.id, actual.family != expected.family { rules.insert(reserved.rule, at: 0) }
                    return .fail(CheckFailure(input: input, expected: expectedText, actual: Describe.address(actual),
                                              rule: rules.joined(separator: "; ")))
                }
                return .pass
            } catch {
                return .fail(CheckFailure(input: input, expected: expectedText, actual: Describe.thrown(error), rule: descriptor.rule))
            }
        }
    }

    /// A check that every case throws (and that the throw is not the starter's placeholder).
    static func rejects<Coding: STUNCodingExercise>(
        _: Coding.Type, _ descriptor: CheckDescriptor, _ cases: [(value: [UInt8], id: [UInt8], what: String)]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for item in cases {
                let input = "\(Coding.self).decodeXORMappedAddress(\(Describe.hex(item.value)), "
                    + "transactionID: \(Describe.hex(item.id))) — \(item.what)"
                let expected = "throws ExerciseError.invalidInput"
                do {
                    let decoded = try Coding.decodeXORMappedAddress(item.value, transactionID: item.id)
                    return .fail(CheckFailure(input: input, expected: expected,
                                              actual: "returned " + Describe.address(decoded), rule: descriptor.rule))
                } catch ExerciseError.notImplemented {
                    return .fail(CheckFailure(input: input, expected: expected,
                                              actual: Describe.thrown(ExerciseError.notImplemented), rule: descriptor.rule))
                } catch {
                    continue
                }
            }
            return .pass
        }
    }
}
