// Checks of exercise 02, part 1: the Binding request header (RFC 8489 §5), one field per
// check so a student sees exactly which field is wrong.
import ExerciseInterfaces

enum BindingRequestChecks {
    static let exerciseID = "02-stun-coding"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    /// The transaction ID of the RFC 5769 §2.1–2.3 vectors.
    static let rfcTransactionID: [UInt8] = [0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae]
    /// A second ID with every high bit set, so hard-coding the first cannot pass.
    static let highBitsTransactionID: [UInt8] = [0xff, 0xfe, 0xfd, 0xfc, 0x80, 0x81, 0x82, 0x83, 0xf0, 0xe1, 0xd2, 0xc3]

    static let size = check(
        "encode.size", points: 1, title: "a Binding request with no attributes is exactly 20 bytes",
        rule: "RFC 8489 §5: every STUN message starts with a 20-byte header; with no attributes the header is the whole message")
    static let type = check(
        "encode.type", points: 1, title: "bytes 0–1 hold the message type 0x0001 (Binding request)",
        rule: "RFC 8489 §5: the Binding method (0x001) in the request class (C1 C0 = 0 0) gives message type 0x0001, big-endian")
    static let topBits = check(
        "encode.top-bits", points: 1, title: "the two most significant bits of the message are zero",
        rule: "RFC 8489 §5: the most significant 2 bits of every STUN message MUST be zeroes (RFC 7983 demultiplexes on them)")
    static let length = check(
        "encode.length", points: 1, title: "bytes 2–3 hold the message length 0",
        rule: "RFC 8489 §5: Message Length counts the bytes after the 20-byte header, so a request with no attributes has length 0")
    static let cookie = check(
        "encode.magic-cookie", points: 1, title: "bytes 4–7 hold the magic cookie 0x2112A442",
        rule: "RFC 8489 §5: the Magic Cookie field MUST contain the fixed value 0x2112A442 in network byte order")
    static let transactionID = check(
        "encode.transaction-id", points: 1, title: "bytes 8–19 copy the caller's transaction ID",
        rule: "RFC 8489 §5: the 96-bit transaction ID follows the cookie unchanged; the response echoes it so the client can match them")
    static let badID = check(
        "encode.rejects-bad-id", points: 1, title: "a transaction ID that is not 12 bytes is rejected with a thrown error",
        rule: "RFC 8489 §5: the transaction ID is exactly 96 bits; another length is a caller error to reject, not to pad or cut")

    static let descriptors = [size, type, topBits, length, cookie, transactionID, badID]

    static func checks<Coding: STUNCodingExercise>(_ coding: Coding.Type) -> [ExerciseCheck] {
        let call = "\(Coding.self).encodeBindingRequest"
        /// Checks `bytes[range] == expected` for the RFC transaction ID.
        func field(_ descriptor: CheckDescriptor, _ range: Range<Int>, _ expected: [UInt8], _ what: String) -> ExerciseCheck {
            ExerciseCheck(descriptor) {
                let input = "\(call)(transactionID: \(Describe.hex(rfcTransactionID)))"
                let bytes: [UInt8]
                do { bytes = try Coding.encodeBindingRequest(transactionID: rfcTransactionID) } catch {
                    return .fail(CheckFailure(input: input, expected: "\(what) \(Describe.hex(expected))",
                                              actual: Describe.thrown(error), rule: descriptor.rule))
                }
                guard let actual = Describe.slice(bytes, range) else {
                    return .fail(CheckFailure(input: input, expected: "\(what) \(Describe.hex(expected))",
                                              actual: "only \(bytes.count) bytes: \(Describe.hex(bytes))", rule: descriptor.rule))
                }
                guard actual == expected else {
                    return .fail(CheckFailure(input: input, expected: "\(what) \(Describe.hex(expected))",
                                              actual: "\(what) \(Describe.hex(actual)) (whole message: \(Describe.hex(bytes)))",
                                              rule: descriptor.rule))
                }
                return .pass
            }
        }
        return [
            ExerciseCheck(size) {
                let input = "\(call)(transactionID: \(Describe.hex(rfcTransactionID)))"
                do {
                    let bytes = try Coding.encodeBindingRequest(transactionID: rfcTransactionID)
                    guard bytes.count == 20 else {
                        return .fail(CheckFailure(input: input, expected: "20 bytes",
                                                  actual: "\(bytes.count) bytes: \(Describe.hex(bytes))", rule: size.rule))
                    }
                    return .pass
                } catch {
                    return .fail(CheckFailure(input: input, expected: "20 bytes", actual: Describe.thrown(error), rule: size.rule))
                }
            },
            field(type, 0..<2, [0x00, 0x01], "bytes 0–1 ="),
            ExerciseCheck(topBits) {
                let input = "\(call)(transactionID: \(Describe.hex(rfcTransactionID)))"
                let expected = "first byte & 0xc0 == 0"
                do {
                    let bytes = try Coding.encodeBindingRequest(transactionID: rfcTransactionID)
                    guard let first = bytes.first else {
                        return .fail(CheckFailure(input: input, expected: expected, actual: "no bytes at all", rule: topBits.rule))
                    }
                    guard first & 0xc0 == 0 else {
                        return .fail(CheckFailure(input: input, expected: expected,
                                                  actual: "first byte \(Describe.hex(first)) has its top bits set", rule: topBits.rule))
                    }
                    return .pass
                } catch {
                    return .fail(CheckFailure(input: input, expected: expected, actual: Describe.thrown(error), rule: topBits.rule))
                }
            },
            field(length, 2..<4, [0x00, 0x00], "bytes 2–3 ="),
            field(cookie, 4..<8, [0x21, 0x12, 0xa4, 0x42], "bytes 4–7 ="),
            ExerciseCheck(transactionID) {
                for id in [rfcTransactionID, highBitsTransactionID] {
                    let input = "\(call)(transactionID: \(Describe.hex(id)))"
                    let expected = "bytes 8–19 = \(Describe.hex(id))"
                    do {
                        let bytes = try Coding.encodeBindingRequest(transactionID: id)
                        guard let actual = Describe.slice(bytes, 8..<20) else {
                            return .fail(CheckFailure(input: input, expected: expected,
                                                      actual: "only \(bytes.count) bytes: \(Describe.hex(bytes))", rule: transactionID.rule))
                        }
                        guard actual == id else {
                            return .fail(CheckFailure(input: input, expected: expected,
                                                      actual: "bytes 8–19 = \(Describe.hex(actual))", rule: transactionID.rule))
                        }
                    } catch {
                        return .fail(CheckFailure(input: input, expected: expected, actual: Describe.thrown(error), rule: transactionID.rule))
                    }
                }
                return .pass
            },
            ExerciseCheck(badID) {
                for count in [0, 11, 13, 16] {
                    let id = Array(rfcTransactionID.prefix(count)) + Array(repeating: 0x5a, count: max(0, count - 12))
                    let input = "\(call)(transactionID: \(Describe.hex(id))) — \(count) bytes"
                    let expected = "throws ExerciseError.invalidInput"
                    do {
                        let bytes = try Coding.encodeBindingRequest(transactionID: id)
                        return .fail(CheckFailure(input: input, expected: expected,
                                                  actual: "returned \(bytes.count) bytes: \(Describe.hex(bytes))", rule: badID.rule))
                    } catch ExerciseError.notImplemented {
                        return .fail(CheckFailure(input: input, expected: expected,
                                                  actual: Describe.thrown(ExerciseError.notImplemented), rule: badID.rule))
                    } catch {
                        continue
                    }
                }
                return .pass
            },
        ]
    }
}
