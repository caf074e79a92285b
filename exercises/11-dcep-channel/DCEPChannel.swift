// Exercise 11 — the DCEP channel state machine (RFC 8832 §6, RFC 8831 §6.7).
//
// Your task (the full table, diagrams and hints in README.md next to this file): write
// `handle`, which takes one event of one data channel and answers the actions it
// causes, in order, keeping `state` up to date. No bytes here: OPENs arrive decoded
// (exercise 07 did the bytes), and you answer with actions such as `.sendAck`.
//
//   opener:   .idle --openRequested / sendOpen--> .awaitingAck --receivedAck--> .open
//   acceptor: .idle --receivedOpen / sendAck--> .open
//   closing:  .open --closeRequested or incomingStreamReset / resetOutgoingStream--> .closing
//             .closing --both directions reset--> .closed
//
// Check your answer with:  lab check 11
// Then put it on real traffic:  datachannel-chat echo --use-exercise ...
import ExerciseInterfaces

/// One data channel's DCEP state machine.
public struct DCEPChannel: DCEPChannelExercise {
    /// The channel's state now. Keep it in step with the `.stateChanged` actions you return.
    public private(set) var state: DCEPChannelState = .idle

    /// A new channel, `.idle`.
    public init() {}

    /// Handles one event and returns the actions it causes, in order (possibly none).
    /// Wrong input from the peer is answered with `.error(...)`, never with a throw.
    public mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        throw ExerciseError.notImplemented
    }
}
