// Exercise 06 — DataChannel delivery modes (RFC 8831 §6.1, RFC 3758, RFC 7496, RFC 8832 §5.1).
//
// Two halves. The quiz: which of the four delivery modes fits an application's messages,
// chosen from closed vocabularies (enums) so grading is exact and a failure can explain
// why a choice does not fit without printing the right one. The coding part: turn what an
// application asks for (the W3C `RTCDataChannelInit` fields, or the channel type and
// reliability parameter of a DCEP DATA_CHANNEL_OPEN) into what usrsctp needs on every
// send: the unordered flag and the PR-SCTP policy and value of `struct sctp_prinfo`.
// The policy is a plain number, as `usrsctp.h` defines it: looking it up is part of the task.

/// The four delivery modes a DataChannel offers (RFC 8831 §6.1).
public enum DeliveryMode: String, CaseIterable, Codable, Sendable {
    /// Every message arrives, in the order sent (SCTP's default; TCP-like, but per channel).
    case reliableOrdered
    /// Every message arrives, each as soon as it is complete, in whatever order that is.
    case reliableUnordered
    /// Messages may be abandoned (a retransmission or lifetime limit); those that arrive keep their order.
    case unreliableOrdered
    /// Messages may be abandoned, and each is delivered as soon as it arrives (UDP-like).
    case unreliableUnordered
}

/// The applications of the quiz, each described by what its messages are like.
public enum DeliveryUseCase: String, CaseIterable, Codable, Sendable {
    /// Remote procedure calls: requests such as "create the folder", then "move the file
    /// into it", each answered by a response; a call may depend on the calls sent before it.
    case rpc
    /// A large file cut into 64 KiB chunks, each carrying its byte offset; the receiver
    /// writes every chunk at its offset, and the file must come out whole.
    case fileChunks
    /// A sensor sends its current value (a door open or shut, a room's temperature) when it
    /// changes, and again every second while it does not; the receiver shows the last value
    /// it got. Readings carry no timestamp.
    case latestValueSensor
    /// A game server sends the whole game state 30 times a second, each snapshot complete
    /// and numbered by its tick; the client draws the newest tick it has.
    case gameState
}

/// The reasons to choose from when justifying a delivery mode. Not all of them are true.
public enum DeliveryReason: String, CaseIterable, Codable, Sendable {
    /// Every byte must arrive: a missing message leaves a hole nothing sent later can fill.
    case everyByteMustArrive
    /// Order matters for correctness: a message only makes sense after the ones sent before it.
    case orderMattersForCorrectness
    /// A newer sample supersedes an older one: once the next one is on its way, resending
    /// an older one is wasted.
    case newerSampleSupersedesOlder
    /// Each sample carries its timestamp, and a newer one soon follows: the receiver drops a
    /// stale sample itself, so a resend arrives only to be dropped, and transport order buys
    /// nothing but head-of-line waits.
    case receiverDropsStaleByTimestamp
    /// Retransmitting stale data delays fresh data: in an ordered stream, every later
    /// message waits behind the one being resent (head-of-line blocking).
    case retransmissionsDelayFreshData
    /// Losses are so rare that reliable delivery costs nothing worth counting.
    case lossIsRareSoReliabilityIsFree
    /// A message that fits in one packet cannot be lost, so the mode makes no difference.
    case smallMessagesAreNeverLost
}

/// The answer to the telemetry question: a mode, and the reason that decides it.
public struct TelemetryAnswer: Equatable, Sendable {
    /// The delivery mode for the telemetry channel.
    public var mode: DeliveryMode
    /// The one reason from the list that decides the choice.
    public var reason: DeliveryReason

    /// Creates an answer.
    public init(mode: DeliveryMode, reason: DeliveryReason) {
        self.mode = mode
        self.reason = reason
    }
}

/// What usrsctp is told on every `usrsctp_sendv` of a channel's message (RFC 6458 §5.3.4
/// `struct sctp_sndinfo`, §5.3.7 `struct sctp_prinfo`; RFC 7496 §4 adds the RTX policy).
public struct SCTPSendParameters: Equatable, Hashable, Sendable {
    /// True to set `SCTP_UNORDERED` in `snd_flags`: the DATA chunk's U bit (RFC 9260 §3.3.1),
    /// so the receiver delivers the message as soon as it is complete.
    public var unordered: Bool
    /// `pr_policy`: the PR-SCTP policy number as `usrsctp.h` defines it (`SCTP_PR_SCTP_…`).
    public var prPolicy: UInt16
    /// `pr_value`: the policy's limit (a lifetime in milliseconds, or a number of
    /// retransmissions); 0 when there is no policy.
    public var prValue: UInt32

    /// Creates send parameters.
    public init(unordered: Bool, prPolicy: UInt16, prValue: UInt32) {
        self.unordered = unordered
        self.prPolicy = prPolicy
        self.prValue = prValue
    }
}

/// Exercise 06: choose delivery modes, then map a channel's settings to SCTP send parameters.
///
/// Implemented by `Exercises.DeliveryModes` (exercises/06-delivery-modes/DeliveryModes.swift)
/// and `Solutions.DeliveryModes`.
public protocol DeliveryModeExercise {
    /// The delivery mode that fits `useCase`'s messages best.
    static func mode(for useCase: DeliveryUseCase) throws -> DeliveryMode

    /// CPU and memory telemetry, one sample every 100 ms (each a complete reading with its
    /// timestamp, shown as the current value and on a graph of the last minute): the mode,
    /// and the reason from `DeliveryReason` that decides it.
    static func telemetry() throws -> TelemetryAnswer

    /// The send parameters of a channel created with these `RTCDataChannelInit` fields:
    /// `ordered`, and at most one limit, `maxRetransmits` (a count) or `maxPacketLifeTime`
    /// (milliseconds); nil means "no such limit". (The W3C API types both limits as
    /// `unsigned short`, 0…65535; this exercise accepts every value `pr_value` can carry.)
    ///
    /// Throws `ExerciseError.invalidInput` when both limits are given, or when a limit is
    /// negative or does not fit `pr_value` (0…4294967295).
    static func sendParameters(ordered: Bool, maxRetransmits: Int?, maxPacketLifeTime: Int?) throws -> SCTPSendParameters

    /// The send parameters of a channel opened by a DCEP DATA_CHANNEL_OPEN with this
    /// Channel Type and Reliability Parameter (RFC 8832 §5.1).
    ///
    /// Throws `ExerciseError.invalidInput` for a channel type RFC 8832 does not define.
    static func sendParameters(channelType: UInt8, reliabilityParameter: UInt32) throws -> SCTPSendParameters
}
