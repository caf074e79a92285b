// Exercise 06 — DataChannel delivery modes (RFC 8831 §6.1, RFC 3758, RFC 7496, RFC 8832).
//
// Your task (details and hints in README.md next to this file):
//   1. mode(for:): the DeliveryMode that fits each application's messages.
//   2. telemetry(): the mode for CPU and memory samples sent every 100 ms, and the one
//      DeliveryReason that decides it.
//   3. sendParameters(ordered:maxRetransmits:maxPacketLifeTime:): what usrsctp must be told
//      on every send of a channel created with these RTCDataChannelInit fields.
//   4. sendParameters(channelType:reliabilityParameter:): the same, for a channel a peer
//      opened with DCEP's DATA_CHANNEL_OPEN.
// Check your answer with:  lab check 06
//
// What usrsctp takes (usrsctp.h; RFC 6458 §5.3.4 and §5.3.7):
//
//   struct sctp_sndinfo { ...; uint16_t snd_flags; ... };   // SCTP_UNORDERED 0x0400
//   struct sctp_prinfo  { uint16_t pr_policy; uint32_t pr_value; };
//
// Look up the numbers of the SCTP_PR_SCTP_* policies in /usr/include/usrsctp.h.
//
// RFC 8832 §5.1, DATA_CHANNEL_OPEN (the part you need):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  Message Type |  Channel Type |            Priority           |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                    Reliability Parameter                      |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import ExerciseInterfaces

/// Delivery modes chosen for real applications, and mapped to SCTP send parameters.
public enum DeliveryModes: DeliveryModeExercise {
    /// The mode that fits `useCase`. Replace each `throw` with `return .someMode`.
    public static func mode(for useCase: DeliveryUseCase) throws -> DeliveryMode {
        switch useCase {
        case .rpc: throw ExerciseError.notImplemented
        case .fileChunks: throw ExerciseError.notImplemented
        case .latestValueSensor: throw ExerciseError.notImplemented
        case .gameState: throw ExerciseError.notImplemented
        }
    }

    /// The mode for 100 ms CPU and memory telemetry, and the reason that decides it.
    public static func telemetry() throws -> TelemetryAnswer {
        // Replace the next line with: return TelemetryAnswer(mode: .someMode, reason: .someReason)
        throw ExerciseError.notImplemented
    }

    /// The send parameters of a channel created with `ordered` and at most one limit.
    public static func sendParameters(ordered: Bool, maxRetransmits: Int?, maxPacketLifeTime: Int?) throws -> SCTPSendParameters {
        throw ExerciseError.notImplemented
    }

    /// The send parameters of a channel opened by DATA_CHANNEL_OPEN with this type and parameter.
    public static func sendParameters(channelType: UInt8, reliabilityParameter: UInt32) throws -> SCTPSendParameters {
        throw ExerciseError.notImplemented
    }
}
