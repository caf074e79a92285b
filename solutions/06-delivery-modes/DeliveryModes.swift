// Exercise 06 — DataChannel delivery modes (reference answer).
//
// Same file name, type name and public surface as exercises/06-delivery-modes/DeliveryModes.swift.
import ExerciseInterfaces

/// Delivery modes chosen for real applications, and mapped to SCTP send parameters.
public enum DeliveryModes: DeliveryModeExercise {
    /// The two questions to ask of any message: must it arrive (or is it worthless once a
    /// newer one exists), and must it wait for the ones sent before it?
    public static func mode(for useCase: DeliveryUseCase) throws -> DeliveryMode {
        switch useCase {
        // A call may depend on earlier calls, and none may be lost: TCP-like.
        case .rpc: return .reliableOrdered
        // Every byte must arrive, but each chunk says where it goes: order would only add
        // head-of-line blocking.
        case .fileChunks: return .reliableUnordered
        // Stale readings are not worth resending, but with no timestamp the receiver relies
        // on the transport never to hand over an older reading after a newer one.
        case .latestValueSensor: return .unreliableOrdered
        // Complete, numbered snapshots: resending and waiting both only add latency.
        case .gameState: return .unreliableUnordered
        }
    }

    /// Each sample carries its timestamp, so the receiver drops a stale one itself (and the
    /// graph places a late one): a resend, later than the next sample, is only dropped, and
    /// ordered delivery buys nothing but head-of-line waits. Without the timestamp this
    /// would be the latest-value sensor, which needs the transport's order.
    public static func telemetry() throws -> TelemetryAnswer {
        TelemetryAnswer(mode: .unreliableUnordered, reason: .receiverDropsStaleByTimestamp)
    }

    /// W3C `createDataChannel` semantics: nil is "no such limit", 0 is a limit (send once);
    /// both limits at once is an error, as is a limit `pr_value` cannot carry.
    public static func sendParameters(ordered: Bool, maxRetransmits: Int?, maxPacketLifeTime: Int?) throws -> SCTPSendParameters {
        switch (maxRetransmits, maxPacketLifeTime) {
        case (nil, nil):
            return SCTPSendParameters(unordered: !ordered, prPolicy: prSCTPNone, prValue: 0)
        case (let count?, nil):
            return SCTPSendParameters(unordered: !ordered, prPolicy: prSCTPRtx, prValue: try limit(count, "maxRetransmits"))
        case (nil, let milliseconds?):
            return SCTPSendParameters(unordered: !ordered, prPolicy: prSCTPTtl, prValue: try limit(milliseconds, "maxPacketLifeTime"))
        case (_?, _?):
            throw ExerciseError.invalidInput("maxRetransmits and maxPacketLifeTime are exclusive: a message has one PR-SCTP policy")
        }
    }

    /// RFC 8832 §5.1: the high bit of the channel type means unordered; the low bits say
    /// which reliability (0 reliable, 1 limited retransmissions, 2 limited lifetime).
    /// A reliable channel's parameter is ignored, as the receiver MUST.
    public static func sendParameters(channelType: UInt8, reliabilityParameter: UInt32) throws -> SCTPSendParameters {
        let unordered = channelType & 0x80 != 0
        switch channelType & 0x7F {
        case 0x00: return SCTPSendParameters(unordered: unordered, prPolicy: prSCTPNone, prValue: 0)
        case 0x01: return SCTPSendParameters(unordered: unordered, prPolicy: prSCTPRtx, prValue: reliabilityParameter)
        case 0x02: return SCTPSendParameters(unordered: unordered, prPolicy: prSCTPTtl, prValue: reliabilityParameter)
        default: throw ExerciseError.invalidInput("channel type 0x\(String(channelType, radix: 16)) is not defined by RFC 8832")
        }
    }

    /// usrsctp.h: SCTP_PR_SCTP_NONE, SCTP_PR_SCTP_TTL, SCTP_PR_SCTP_RTX (2 is SCTP_PR_SCTP_BUF).
    static let prSCTPNone: UInt16 = 0
    static let prSCTPTtl: UInt16 = 1
    static let prSCTPRtx: UInt16 = 3

    /// `value` as a `pr_value` (uint32_t), or the error saying why it cannot be one.
    static func limit(_ value: Int, _ name: String) throws -> UInt32 {
        guard let fitted = UInt32(exactly: value) else {
            throw ExerciseError.invalidInput("\(name) \(value) is outside 0...4294967295 (pr_value is 32 bits)")
        }
        return fitted
    }
}
