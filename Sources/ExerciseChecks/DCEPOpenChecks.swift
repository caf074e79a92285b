// Checks of exercise 07: the DATA_CHANNEL_OPEN codec (RFC 8832 §5.1). This file declares
// every check and holds the encoding ones; the decoding ones are in
// DCEPOpenDecodeChecks.swift. A coding exercise, so failures show the expected bytes
// (DCEPOpenVectors.swift, written by hand from the RFC layout), the student's bytes, the
// first byte that differs and the field it belongs to, and name the classic mistakes:
// a number written least significant byte first, a length counted in characters, the
// Message Type forgotten, a terminator or padding after the strings.
import ExerciseInterfaces

enum DCEPOpenChecks {
    static let exerciseID = "07-dcep-open"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let layoutRule = "RFC 8832 §5.1: DATA_CHANNEL_OPEN is Message Type 0x03 (1 byte), Channel Type (1), Priority (2), "
        + "Reliability Parameter (4), Label Length (2), Protocol Length (2), then the Label and the Protocol back to back, "
        + "with no padding or terminator"
    static let channelTypeRule = "RFC 8832 §5.1: Channel Type 0x00 DATA_CHANNEL_RELIABLE, 0x01 PARTIAL_RELIABLE_REXMIT, "
        + "0x02 PARTIAL_RELIABLE_TIMED, each with the high bit 0x80 for its UNORDERED form; the Reliability Parameter is 0 for "
        + "the reliable types, the number of retransmissions for REXMIT, the lifetime in milliseconds for TIMED"
    static let byteOrderRule = "RFC 8832 §5.1: Priority is a 2-byte and Reliability Parameter a 4-byte unsigned integer; "
        + "like every number of SCTP and DCEP they are in network byte order, most significant byte first"
    static let utf8Rule = "RFC 8832 §5.1: Label and Protocol are UTF-8 strings (RFC 3629), and Label Length and Protocol "
        + "Length give their lengths in bytes, not in characters"
    static let emptyRule = "RFC 8832 §5.1: the label may be an empty string, and an empty protocol means none; "
        + "an empty field is a length of 0 and no bytes"
    static let tooLongRule = "RFC 8832 §5.1: Label Length and Protocol Length are 16-bit unsigned integers, so a label or "
        + "protocol longer than 65535 UTF-8 bytes cannot be sent: refuse it rather than cut it or let the length wrap"

    static let encodeReliable = check(
        "encode.reliable", points: 2, title: "encodes reliable channels (0x00, 0x80) byte for byte", rule: layoutRule)
    static let encodeRexmit = check(
        "encode.partial-rexmit", points: 2,
        title: "encodes limited-retransmission channels (0x01, 0x81) with their count", rule: channelTypeRule)
    static let encodeTimed = check(
        "encode.partial-timed", points: 2,
        title: "encodes limited-lifetime channels (0x02, 0x82) with their lifetime in ms", rule: channelTypeRule)
    static let encodeByteOrder = check(
        "encode.byte-order", points: 2,
        title: "writes Priority and Reliability Parameter in network byte order, up to 65535 and 4294967295",
        rule: byteOrderRule)
    static let encodeUTF8 = check(
        "encode.utf8", points: 2, title: "writes non-ASCII labels and protocols as UTF-8, lengths in bytes", rule: utf8Rule)
    static let encodeEmpty = check(
        "encode.empty-label", points: 1, title: "an empty label (and protocol) is a length of 0 and no bytes", rule: emptyRule)
    static let encodeTooLong = check(
        "encode.rejects-too-long", points: 1,
        title: "throws ExerciseError.invalidInput for a label or protocol over 65535 bytes; 65535 is fine", rule: tooLongRule)

    static let descriptors = [encodeReliable, encodeRexmit, encodeTimed, encodeByteOrder, encodeUTF8, encodeEmpty, encodeTooLong]
        + DCEPOpenDecodeChecks.descriptors

    static func checks<Codec: DCEPOpenExercise>(_: Codec.Type) -> [ExerciseCheck] {
        let vectors = DCEPOpenVectors.self
        return [
            encodes(Codec.self, encodeReliable, [vectors.reliable, vectors.reliableUnordered]),
            encodes(Codec.self, encodeRexmit, [vectors.rexmit, vectors.rexmitUnordered]),
            encodes(Codec.self, encodeTimed, [vectors.timed, vectors.timedUnordered]),
            encodes(Codec.self, encodeByteOrder, vectors.byteOrder),
            encodes(Codec.self, encodeUTF8, vectors.utf8),
            encodes(Codec.self, encodeEmpty, vectors.emptyLabels),
            ExerciseCheck(encodeTooLong) { tooLong(Codec.self) },
        ] + DCEPOpenDecodeChecks.checks(Codec.self)
    }

    /// `DCEPOpen.encodeOpen(channelType: 0x00, priority: 256, …)`.
    static func call<Codec: DCEPOpenExercise>(_: Codec.Type, _ fields: DCEPOpenFields) -> String {
        "\(Codec.self).encodeOpen(DCEPOpenFields(\(fields)))"
    }

    /// A check that each vector's fields encode to exactly its bytes.
    static func encodes<Codec: DCEPOpenExercise>(
        _: Codec.Type, _ descriptor: CheckDescriptor, _ vectors: [DCEPOpenVector]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for vector in vectors {
                let input = call(Codec.self, vector.fields)
                let expected = bytes(vector.bytes)
                do {
                    let actual = try Codec.encodeOpen(vector.fields)
                    guard actual == vector.bytes else {
                        return .fail(CheckFailure(input: input, expected: expected,
                                                  actual: bytes(actual) + "; " + difference(actual, vector), rule: descriptor.rule))
                    }
                } catch {
                    return .fail(CheckFailure(input: input, expected: expected, actual: Describe.thrown(error), rule: descriptor.rule))
                }
            }
            return .pass
        }
    }

    /// Labels and protocols just over the 16-bit limit must throw; one at the limit must encode.
    static func tooLong<Codec: DCEPOpenExercise>(_: Codec.Type) -> CheckOutcome {
        let limit = 65_535
        let refused: [(DCEPOpenFields, String)] = [
            (fields(label: String(repeating: "a", count: limit + 1), protocol: ""), "a label of 65536 \"a\" (65536 bytes)"),
            (fields(label: "", protocol: String(repeating: "p", count: limit + 1)), "a protocol of 65536 \"p\" (65536 bytes)"),
            (fields(label: String(repeating: "€", count: 21_846), protocol: ""),
             "a label of 21846 \"€\" (21846 characters, but 65538 UTF-8 bytes)"),
        ]
        for (open, what) in refused {
            let input = "\(Codec.self).encodeOpen(…) with " + what
            if let failure = Verdict.rejects(input, rule: tooLongRule, { _ = try Codec.encodeOpen(open) }) {
                return .fail(failure)
            }
        }
        // 65535 bytes is the largest label that fits: FF FF, then the bytes.
        let longest = fields(label: String(repeating: "a", count: limit), protocol: "")
        let input = "\(Codec.self).encodeOpen(…) with a label of 65535 \"a\" (65535 bytes, the most a 16-bit length can say)"
        let expected = "03 00 01 00 00 00 00 00 ff ff 00 00, then 65535 bytes 61: 65547 bytes in all"
        do {
            let actual = try Codec.encodeOpen(longest)
            let right = actual.count == 12 + limit && Array(actual.prefix(12)) == [3, 0, 1, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0]
                && actual.dropFirst(12).allSatisfy { $0 == 0x61 }
            guard right else {
                return .fail(CheckFailure(input: input, expected: expected,
                                          actual: Describe.hex(Array(actual.prefix(12))) + " …: \(actual.count) bytes in all",
                                          rule: tooLongRule))
            }
        } catch {
            return .fail(CheckFailure(input: input, expected: expected, actual: Describe.thrown(error), rule: tooLongRule))
        }
        return .pass
    }

    static func fields(label: String, protocol: String) -> DCEPOpenFields {
        DCEPOpenFields(channelType: 0x00, priority: 256, reliabilityParameter: 0, label: label, protocol: `protocol`)
    }

    /// "03 00 01 00 … (16 bytes)".
    static func bytes(_ bytes: [UInt8]) -> String {
        let shown = bytes.count > 64 ? Describe.hex(Array(bytes.prefix(64))) + " …" : Describe.hex(bytes)
        return shown + " (\(bytes.count) byte\(bytes.count == 1 ? "" : "s"))"
    }

    // MARK: - Explaining a difference

    /// The field that byte `offset` of an OPEN belongs to, given its label length.
    static func field(at offset: Int, labelLength: Int, total: Int) -> String {
        switch offset {
        case 0: return "Message Type"
        case 1: return "Channel Type"
        case 2...3: return "Priority"
        case 4...7: return "Reliability Parameter"
        case 8...9: return "Label Length"
        case 10...11: return "Protocol Length"
        case _ where offset < 12 + labelLength: return "Label"
        case _ where offset < total: return "Protocol"
        default: return "after the end of the message"
        }
    }

    /// Where `actual` first departs from the vector, and the classic mistake behind it when one fits.
    static func difference(_ actual: [UInt8], _ vector: DCEPOpenVector) -> String {
        let expected = vector.bytes
        let labelLength = vector.fields.label.utf8.count
        let offset = (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] } ?? min(actual.count, expected.count)
        var text = offset < min(actual.count, expected.count)
            ? "first difference at byte \(offset), in \(field(at: offset, labelLength: labelLength, total: expected.count)): "
                + "expected \(Describe.hex([expected[offset]])), got \(Describe.hex([actual[offset]]))"
            : actual.count < expected.count
                ? "the bytes stop after \(actual.count) of \(expected.count), in "
                    + field(at: actual.count, labelLength: labelLength, total: expected.count)
                : "\(actual.count - expected.count) byte(s) too many after the end of the message"
        if let note = mistake(actual, vector) { text += " (" + note + ")" }
        return text
    }

    /// The classic mistake that turns the vector's bytes into `actual`, or nil.
    static func mistake(_ actual: [UInt8], _ vector: DCEPOpenVector) -> String? {
        let expected = vector.bytes
        if actual == Array(expected.dropFirst()) {
            return "the Message Type byte 0x03 is missing: the OPEN starts with its type"
        }
        if actual.count > expected.count, Array(actual.prefix(expected.count)) == expected {
            return "nothing follows the protocol: the lengths say where the strings end, so there is no terminator or padding"
        }
        guard actual.count >= 12, expected.count >= 12 else { return nil }
        let labelLength = vector.fields.label.utf8.count
        for (range, name) in [(2..<4, "Priority"), (4..<8, "Reliability Parameter"), (8..<10, "Label Length"),
                              (10..<12, "Protocol Length")] {
            let want = Array(expected[range]), got = Array(actual[range])
            if got != want, got == want.reversed() {
                return "\(name) is written least significant byte first; network byte order puts the most significant byte first"
            }
        }
        let writtenLabelLength = Int(actual[8]) << 8 | Int(actual[9])
        let writtenProtocolLength = Int(actual[10]) << 8 | Int(actual[11])
        for (text, written, name) in [(vector.fields.label, writtenLabelLength, "Label Length"),
                                      (vector.fields.protocol, writtenProtocolLength, "Protocol Length")]
        where written != text.utf8.count {
            if written == text.count {
                return "\(name) is \(written), the number of characters; it counts UTF-8 bytes: \(text.utf8.count)"
            }
            if written == text.utf16.count {
                return "\(name) is \(written), the number of UTF-16 code units; it counts UTF-8 bytes: \(text.utf8.count)"
            }
        }
        if writtenLabelLength == vector.fields.protocol.utf8.count, writtenProtocolLength == labelLength,
           writtenLabelLength != writtenProtocolLength {
            return "the label and the protocol are swapped: Label Length and the Label come first"
        }
        return nil
    }
}
