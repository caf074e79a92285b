// Checks of exercise 07, decoding: DATA_CHANNEL_OPEN bytes to fields (RFC 8832 §5.1), the
// round trip through the student's own encoder, and the refusals. An OPEN arrives from
// the network, so every malformed input must give nil (the interface's and the README's
// rule), without a throw and without reading past the end: truncated messages, other
// message types, lengths that run past the end or leave bytes over, and strings that are
// not UTF-8.
import ExerciseInterfaces

enum DCEPOpenDecodeChecks {
    static let check = DCEPOpenChecks.check

    static let refuseRule = "RFC 8832 §5.1: an OPEN is the 12 fixed bytes, then exactly Label Length bytes of label and "
        + "Protocol Length bytes of protocol; one SCTP message carries one DCEP message, so fewer bytes are a truncated "
        + "message and more are not an OPEN. A malformed message from the network is refused (nil), never trusted"
    static let typeRule = "RFC 8832 §5.1 and §8.2.1: the first byte is the Message Type, 0x03 for DATA_CHANNEL_OPEN "
        + "(0x02 is DATA_CHANNEL_ACK, 0x00 and 0x01 are reserved, the rest unassigned): anything else is not an OPEN (nil)"
    static let invalidUTF8Rule = "RFC 8832 §5.1 and RFC 3629 §3: Label and Protocol are UTF-8; bytes that are not valid UTF-8 "
        + "(a stray 0xFF, a cut sequence, an overlong form, a UTF-16 surrogate) make the message malformed (nil)"
    static let roundTripRule = "RFC 8832 §5.1: every field survives encoding and decoding unchanged, including a Channel Type "
        + "this exercise does not define (the decoder copies the byte; whether to open such a channel is the caller's choice)"

    static let decodeChannelTypes = check(
        "decode.channel-types", points: 2, title: "decodes an OPEN of every channel type to its fields",
        rule: DCEPOpenChecks.channelTypeRule)
    static let decodeByteOrder = check(
        "decode.byte-order", points: 1, title: "reads Priority and Reliability Parameter in network byte order",
        rule: DCEPOpenChecks.byteOrderRule)
    static let decodeUTF8 = check(
        "decode.utf8", points: 1, title: "decodes UTF-8 labels and protocols, non-ASCII and empty", rule: DCEPOpenChecks.utf8Rule)
    static let roundTrip = check(
        "decode.round-trip", points: 2, title: "decodeOpen(encodeOpen(fields)) gives the same fields back", rule: roundTripRule)
    static let truncated = check(
        "decode.rejects-truncated", points: 1, title: "returns nil for a message cut short, without reading past its end",
        rule: refuseRule)
    static let wrongType = check(
        "decode.rejects-wrong-type", points: 1, title: "returns nil when the Message Type is not 0x03", rule: typeRule)
    static let badLengths = check(
        "decode.rejects-bad-lengths", points: 2,
        title: "returns nil when a length runs past the end of the message, or bytes are left over", rule: refuseRule)
    static let invalidUTF8 = check(
        "decode.rejects-invalid-utf8", points: 1, title: "returns nil when the label or protocol is not valid UTF-8",
        rule: invalidUTF8Rule)

    static let descriptors = [decodeChannelTypes, decodeByteOrder, decodeUTF8, roundTrip, truncated, wrongType, badLengths,
                              invalidUTF8]

    /// An OPEN of channel type 0x00, priority 256, built around the given label and protocol bytes.
    static func open(label: [UInt8], protocol subprotocol: [UInt8]) -> [UInt8] {
        [0x03, 0x00, 0x01, 0x00, 0, 0, 0, 0, UInt8(label.count >> 8), UInt8(label.count & 0xFF),
         UInt8(subprotocol.count >> 8), UInt8(subprotocol.count & 0xFF)] + label + subprotocol
    }

    /// `bytes` with the byte at `index` replaced.
    static func replacing(_ bytes: [UInt8], _ changes: [Int: UInt8]) -> [UInt8] {
        var copy = bytes
        for (index, value) in changes { copy[index] = value }
        return copy
    }

    static func checks<Codec: DCEPOpenExercise>(_: Codec.Type) -> [ExerciseCheck] {
        let vectors = DCEPOpenVectors.self
        let chat = vectors.reliable.bytes, game = vectors.rexmitUnordered.bytes
        return [
            decodes(Codec.self, decodeChannelTypes, vectors.channelTypes),
            decodes(Codec.self, decodeByteOrder, vectors.byteOrder),
            decodes(Codec.self, decodeUTF8, vectors.utf8 + vectors.emptyLabels),
            ExerciseCheck(roundTrip) { roundTrips(Codec.self) },
            refuses(Codec.self, truncated, [
                ([], "no bytes at all"),
                ([0x03], "only the Message Type"),
                (Array(chat.prefix(11)), "11 of the 12 fixed bytes"),
                (Array(chat.prefix(15)), "Label Length 4, but only 3 label bytes follow"),
                (Array(game.dropLast(2)), "Protocol Length 7, but only 5 protocol bytes follow"),
            ]),
            refuses(Codec.self, wrongType, [
                ([0x02], "a DATA_CHANNEL_ACK"),
                (replacing(chat, [0: 0x02]), "Message Type 0x02 (ACK) in front of an OPEN's fields"),
                (replacing(chat, [0: 0x00]), "Message Type 0x00 (reserved)"),
                (replacing(chat, [0: 0x01]), "Message Type 0x01 (reserved)"),
                (replacing(chat, [0: 0x04]), "Message Type 0x04 (unassigned)"),
                (replacing(chat, [0: 0xff]), "Message Type 0xff (reserved)"),
            ]),
            refuses(Codec.self, badLengths, [
                (replacing(chat, [8: 0xff, 9: 0xff]), "Label Length 65535, but 4 bytes follow"),
                (replacing(chat, [10: 0xff, 11: 0xff]), "Label Length 4 and Protocol Length 65535, but 4 bytes follow"),
                (replacing(chat, [8: 0x80, 9: 0x00, 10: 0x80, 11: 0x00]),
                 "Label Length 32768 and Protocol Length 32768 (together 65536), but 4 bytes follow"),
                (chat + [0x00], "one byte left over after the protocol"),
                (replacing(chat, [9: 0x02]), "Label Length 2 and Protocol Length 0, but 4 bytes follow"),
                (replacing(chat, [9: 0x00]), "both lengths 0, but 4 bytes follow"),
            ]),
            refuses(Codec.self, invalidUTF8, [
                (open(label: [0xff], protocol: []), "label 0xff: never a UTF-8 byte"),
                (open(label: [0x63, 0xc3], protocol: []), "label \"c\" then 0xc3: a two-byte sequence cut after its first byte"),
                (open(label: [0xc0, 0xaf], protocol: []), "label c0 af: an overlong (forbidden) spelling of \"/\""),
                (open(label: [0xed, 0xa0, 0x80], protocol: []), "label ed a0 80: a UTF-16 surrogate, not a character"),
                (open(label: Array("chat".utf8), protocol: [0x80]), "valid label \"chat\", protocol 0x80: a lone continuation byte"),
            ]),
        ]
    }

    static func call<Codec: DCEPOpenExercise>(_: Codec.Type, _ bytes: [UInt8]) -> String {
        "\(Codec.self).decodeOpen(\(DCEPOpenChecks.bytes(bytes)))"
    }

    static func render(_ fields: DCEPOpenFields?) -> String {
        fields.map { "DCEPOpenFields(\($0))" } ?? "nil"
    }

    /// A check that each vector's bytes decode to exactly its fields.
    static func decodes<Codec: DCEPOpenExercise>(
        _: Codec.Type, _ descriptor: CheckDescriptor, _ vectors: [DCEPOpenVector]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for vector in vectors {
                let expected = render(vector.fields)
                if let failure = Verdict.answers(call(Codec.self, vector.bytes) + " — " + vector.name,
                                                 expected: vector.fields as DCEPOpenFields?, shown: expected,
                                                 rule: descriptor.rule, render: render,
                                                 note: { mistake($0, vector.fields) }, {
                    try Codec.decodeOpen(vector.bytes)
                }) { return .fail(failure) }
            }
            return .pass
        }
    }

    /// The student's own encoder, then decoder, on fields that exercise every width and edge.
    static func roundTrips<Codec: DCEPOpenExercise>(_: Codec.Type) -> CheckOutcome {
        let cases = DCEPOpenVectors.all.map(\.fields) + [
            DCEPOpenFields(channelType: 0x05, priority: 0, reliabilityParameter: 7, label: "unknown type", protocol: ""),
            DCEPOpenFields(channelType: 0x82, priority: 0x8001, reliabilityParameter: 0x8000_0001,
                           label: "tab\tand \"quotes\"", protocol: "v1.chat.example"),
            DCEPOpenFields(channelType: 0x01, priority: 256, reliabilityParameter: 65_536,
                           label: String(repeating: "€", count: 1000), protocol: "ü"),
        ]
        for fields in cases {
            let input = "\(Codec.self).decodeOpen(\(Codec.self).encodeOpen(DCEPOpenFields(\(fields))))"
            let encoded: [UInt8]
            do {
                encoded = try Codec.encodeOpen(fields)
            } catch {
                return .fail(CheckFailure(input: input, expected: render(fields), actual: "encodeOpen " + Describe.thrown(error),
                                          rule: roundTripRule))
            }
            let via = "; encodeOpen gave " + DCEPOpenChecks.bytes(encoded)
            do {
                let decoded = try Codec.decodeOpen(encoded)
                if decoded != fields {
                    return .fail(CheckFailure(input: input, expected: render(fields),
                                              actual: render(decoded) + mistake(decoded, fields) + via, rule: roundTripRule))
                }
            } catch {
                return .fail(CheckFailure(input: input, expected: render(fields), actual: "decodeOpen " + Describe.thrown(error) + via,
                                          rule: roundTripRule))
            }
        }
        return .pass
    }

    /// A check that each malformed input gives nil.
    static func refuses<Codec: DCEPOpenExercise>(
        _: Codec.Type, _ descriptor: CheckDescriptor, _ cases: [(bytes: [UInt8], what: String)]
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for item in cases {
                let input = call(Codec.self, item.bytes) + " — " + item.what
                let expected = "nil (not an OPEN)"
                do {
                    if let decoded = try Codec.decodeOpen(item.bytes) {
                        return .fail(CheckFailure(input: input, expected: expected, actual: "returned " + render(decoded),
                                                  rule: descriptor.rule))
                    }
                } catch ExerciseError.invalidInput(let why) {
                    return .fail(CheckFailure(
                        input: input, expected: expected,
                        actual: "threw ExerciseError.invalidInput(\"\(why)\") (refuse a malformed OPEN by returning nil, "
                            + "as the README says: it comes from the network, and a decoder's caller just drops it)",
                        rule: descriptor.rule))
                } catch {
                    return .fail(CheckFailure(input: input, expected: expected, actual: Describe.thrown(error), rule: descriptor.rule))
                }
            }
            return .pass
        }
    }

    /// " (why)": the classic mistake that turns `expected` into `decoded`, or "".
    static func mistake(_ decoded: DCEPOpenFields?, _ expected: DCEPOpenFields) -> String {
        guard let decoded else { return " (nil refuses a well-formed OPEN)" }
        if decoded.priority != expected.priority, decoded.priority == expected.priority.byteSwapped {
            return " (Priority read least significant byte first; network byte order puts the most significant first)"
        }
        if decoded.reliabilityParameter != expected.reliabilityParameter,
           decoded.reliabilityParameter == expected.reliabilityParameter.byteSwapped {
            return " (Reliability Parameter read least significant byte first; network byte order puts the most significant first)"
        }
        if decoded.label == expected.protocol, decoded.protocol == expected.label, decoded.label != decoded.protocol {
            return " (label and protocol swapped: the label comes first)"
        }
        if decoded.channelType != expected.channelType {
            return " (the Channel Type is the second byte, copied as it is)"
        }
        return ""
    }
}
