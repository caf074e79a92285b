import DataChannels
import ExerciseInterfaces
import Exercises
import Foundation
import WebRTC

/// --use-exercise: the student's exercise 07 (`Exercises.DCEPOpen`) writes the
/// DATA_CHANNEL_OPENs the client sends and reads the ones the server receives.
///
/// The implementation is a parameter (any `DCEPOpenExercise`, the student's by
/// default) so tests can prove the success path with the reference solution.
///
/// Before any packet, `encodeOpen` must give exactly the library's bytes
/// (`DataChannelOpen.bytes`) for every OPEN the client sends and for a few that those
/// miss (non-ASCII text, an empty label, bytes that tell the byte order apart), and
/// `decodeOpen` must read those bytes back to the same fields: a wrong codec would
/// otherwise show up as a channel that never opens, far from its cause. On the wire,
/// whatever the student's code answers is what is used; where it disagrees with the
/// library on an OPEN the checks did not cover, a note goes to stderr.
enum DCEPExercise {
    static let file = "exercises/07-dcep-open/DCEPOpen.swift"

    /// The OPENs checked before the run: the client's six, then three more.
    static var samples: [DataChannelOpen] {
        EchoClient.specs.map { parameters(of: $0).openMessage } + [
            DataChannelOpen(channelType: .reliable, priority: 256, reliabilityParameter: 0, label: "météo ☀", protocol: "чат"),
            DataChannelOpen(channelType: .partialReliableTimedUnordered, priority: 513, reliabilityParameter: 70_000,
                            label: "", protocol: "json"),
            DataChannelOpen(channelType: .partialReliableRexmit, priority: 255, reliabilityParameter: 0x1234_5678,
                            label: "📈", protocol: ""),
        ]
    }

    /// What the library makes of an echo channel's options (the same mapping as `createDataChannel`).
    static func parameters(of spec: EchoClient.ChannelSpec) -> DataChannelParameters {
        let reliability: DataChannelReliability = if let count = spec.options.maxRetransmits {
            .maxRetransmits(count)
        } else if let lifetime = spec.options.maxPacketLifeTime {
            .maxPacketLifeTime(milliseconds: lifetime)
        } else {
            .reliable
        }
        return DataChannelParameters(label: spec.label, protocol: spec.options.protocol, ordered: spec.options.ordered,
                                     reliability: reliability)
    }

    /// The exercise's fields of a library OPEN.
    static func fields(of open: DataChannelOpen) -> DCEPOpenFields {
        DCEPOpenFields(channelType: open.channelType.rawValue, priority: open.priority,
                       reliabilityParameter: open.reliabilityParameter, label: open.label, protocol: open.protocol)
    }

    /// The library OPEN of the exercise's fields.
    static func open(of fields: DCEPOpenFields) -> DataChannelOpen {
        DataChannelOpen(channelType: DataChannelType(rawValue: fields.channelType), priority: fields.priority,
                        reliabilityParameter: fields.reliabilityParameter, label: fields.label, protocol: fields.protocol)
    }

    /// Checks `implementation` against the library, then wraps it as the peer connections' OPEN codec.
    /// - Throws: `ChatFailure(.exerciseFailure)` naming the function, with the expected and actual bytes.
    static func codec(using implementation: any DCEPOpenExercise.Type = DCEPOpen.self,
                      note: @escaping @Sendable (String) -> Void = DCEPExercise.printNote) throws -> DCEPOpenCodec {
        try check(implementation)
        return wrap(implementation, note: note)
    }

    /// Compares `implementation` with the library on `samples`: encoding, then decoding the library's bytes.
    /// - Throws: `ChatFailure(.exerciseFailure)` naming the function, with the expected and actual bytes.
    static func check(_ implementation: any DCEPOpenExercise.Type) throws {
        for sample in samples {
            let fields = fields(of: sample), expected = sample.bytes
            let call = "encodeOpen(DCEPOpenFields(\(fields)))"
            let actual: [UInt8]
            do {
                actual = try implementation.encodeOpen(fields)
            } catch {
                throw failure(error, in: "encodeOpen", call: call)
            }
            guard actual == expected else {
                throw ChatFailure(.exerciseFailure, "--use-exercise: your \(call) in \(file) is not what the library "
                                  + "sends (DataChannelOpen.bytes)\n" + comparison(expected: expected, actual: actual)
                                  + "\n  check it with `lab check 07`")
            }
            let decodeCall = "decodeOpen(\(hex(expected)))"
            let decoded: DCEPOpenFields?
            do {
                decoded = try implementation.decodeOpen(expected)
            } catch {
                throw failure(error, in: "decodeOpen", call: decodeCall)
            }
            guard decoded == fields else {
                throw ChatFailure(.exerciseFailure, "--use-exercise: your \(decodeCall) in \(file) gave "
                                  + (decoded.map { "DCEPOpenFields(\($0))" } ?? "nil") + "\n  expected: DCEPOpenFields(\(fields))"
                                  + "\n  check it with `lab check 07`")
            }
        }
    }

    /// `implementation` as the peer connections' OPEN codec, unchecked: what it answers is
    /// what is used, and each disagreement with the library is told to `note`.
    static func wrap(_ implementation: any DCEPOpenExercise.Type, note: @escaping @Sendable (String) -> Void) -> DCEPOpenCodec {
        let implementation = Stateless(type: implementation)
        return DCEPOpenCodec(
            encode: { open in
                let fields = fields(of: open)
                guard let bytes = try? implementation.type.encodeOpen(fields) else {
                    note("--use-exercise: your encodeOpen threw for DCEPOpenFields(\(fields)); the OPEN is not sent")
                    return []
                }
                if bytes != open.bytes {
                    note("--use-exercise: your encodeOpen sends\n" + comparison(expected: open.bytes, actual: bytes))
                }
                return bytes
            },
            decode: { bytes in
                let library = try? DataChannelOpen(parsing: bytes)
                let decoded: DCEPOpenFields?
                do {
                    decoded = try implementation.type.decodeOpen(bytes)
                } catch {
                    note("--use-exercise: your decodeOpen threw \(error) on \(hex(bytes)); the channel does not open")
                    return nil
                }
                if decoded != library.map(fields(of:)) {
                    note("--use-exercise: on \(hex(bytes)) your decodeOpen gave "
                         + (decoded.map { "DCEPOpenFields(\($0))" } ?? "nil (no channel)")
                         + ", the library reads " + (library.map { "DCEPOpenFields(\(fields(of: $0)))" } ?? "nothing (malformed)"))
                }
                return decoded.map(open(of:))
            })
    }

    /// An exercise type, to be called from the host thread. `@unchecked Sendable`: the
    /// exercise protocols are implemented by caseless enums of static functions with no
    /// state (the lab's convention), so there is nothing for two threads to share.
    private struct Stateless: @unchecked Sendable {
        let type: any DCEPOpenExercise.Type
    }

    /// Notes on stderr, one per disagreement seen on the wire.
    @Sendable static func printNote(_ text: String) {
        FileHandle.standardError.write(Data(("datachannel-chat: " + text + "\n").utf8))
    }

    private static func failure(_ error: any Error, in function: String, call: String) -> ChatFailure {
        if case ExerciseError.notImplemented? = error as? ExerciseError {
            return ChatFailure(.exerciseFailure, "--use-exercise: \(function) in \(file) is not implemented yet "
                               + "(it throws notImplemented); write it, then check it with `lab check 07`")
        }
        return ChatFailure(.exerciseFailure, "--use-exercise: your \(call) in \(file) threw \(error) on a valid OPEN")
    }

    /// "  expected: … / actual: … / first difference at byte N (field)".
    static func comparison(expected: [UInt8], actual: [UInt8]) -> String {
        let offset = (0..<min(expected.count, actual.count)).first { expected[$0] != actual[$0] } ?? min(expected.count, actual.count)
        let labelLength = expected.count >= 10 ? Int(expected[8]) << 8 | Int(expected[9]) : 0
        let place = offset < min(expected.count, actual.count) || actual.count != expected.count
            ? "first difference at byte \(offset) (\(field(at: offset, labelLength: labelLength, total: expected.count)))"
            : "identical"
        return "  expected: \(hex(expected)) (\(expected.count) bytes)\n  actual:   \(hex(actual)) (\(actual.count) bytes)\n  "
            + place
    }

    /// The RFC 8832 §5.1 field that byte `offset` of an OPEN belongs to.
    static func field(at offset: Int, labelLength: Int, total: Int) -> String {
        switch offset {
        case 0: "Message Type"
        case 1: "Channel Type"
        case 2...3: "Priority"
        case 4...7: "Reliability Parameter"
        case 8...9: "Label Length"
        case 10...11: "Protocol Length"
        case _ where offset < 12 + labelLength: "Label"
        case _ where offset < total: "Protocol"
        default: "after the end of the message"
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "(no bytes)" : bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
    }
}
