// Exercise 11 — the DCEP channel state machine (RFC 8832 §6, RFC 8831 §6.7).
//
// One data channel is one SCTP stream id used both ways. Its life is a small state
// machine: the opener sends DATA_CHANNEL_OPEN and may send data before the ACK (ordered,
// so nothing overtakes the OPEN); the other side answers with DATA_CHANNEL_ACK; either
// side closes by resetting its outgoing stream, and the other answers with its own
// reset. The student writes that machine sans-IO: it is fed events and answers actions,
// and never sees bytes (exercise 07 did the OPEN's bytes), sockets or clocks. The checks
// feed it scripts of events; `datachannel-chat echo --use-exercise` runs one per channel
// on real traffic. Keep these types and the protocol as they are.

/// Where a channel is in its life, named by what it waits for.
public enum DCEPChannelState: String, Hashable, Sendable, CaseIterable {
    /// Nothing sent or received yet (W3C readyState "connecting").
    case idle
    /// We sent the OPEN and wait for the ACK. Data may already be sent, ordered (W3C "open").
    case awaitingAck
    /// Open: the ACK arrived (or a data message standing for it), or we acknowledged the peer's OPEN.
    case open
    /// One direction is reset; waiting for the other one (W3C "closing").
    case closing
    /// Both directions are reset, or the channel never reached the peer (W3C "closed"). Final.
    case closed
}

/// One user message (PPID 51-57): what the channel carries, never looked into.
public struct DCEPUserMessage: Hashable, Sendable, CustomStringConvertible {
    /// The SCTP payload protocol identifier: 51 string, 53 binary, 56/57 empty string/binary.
    public var ppid: UInt32
    /// The message's bytes.
    public var payload: [UInt8]

    /// Creates a message.
    public init(ppid: UInt32, payload: [UInt8]) {
        self.ppid = ppid
        self.payload = payload
    }

    /// `"hi" (PPID 51)`, or a byte count for binary.
    public var description: String {
        if ppid == 51, let text = String(validating: payload, as: UTF8.self) {
            return String(reflecting: text) + " (PPID 51)"
        }
        return "\(payload.count) bytes (PPID \(ppid))"
    }
}

/// What the channel is told: the application's commands and what arrived from the peer.
public enum DCEPChannelEvent: Hashable, Sendable, CustomStringConvertible {
    /// The application created the channel: we are the opener, and the OPEN may go now.
    case openRequested(DCEPOpenFields)
    /// The peer's DATA_CHANNEL_OPEN arrived on this channel's stream (already decoded).
    case receivedOpen(DCEPOpenFields)
    /// A DATA_CHANNEL_ACK arrived on this channel's stream.
    case receivedAck
    /// A user message arrived on this channel's stream.
    case receivedData(DCEPUserMessage)
    /// The application sends a message.
    case appSend(DCEPUserMessage)
    /// The application closes the channel (W3C close()).
    case closeRequested
    /// The peer reset its outgoing stream, which is our incoming one.
    case incomingStreamReset
    /// SCTP confirmed that our outgoing stream is reset.
    case outgoingResetDone

    /// The event as Swift source: `.receivedData("hi" (PPID 51))`.
    public var description: String {
        switch self {
        case let .openRequested(fields): ".openRequested(\(fields))"
        case let .receivedOpen(fields): ".receivedOpen(\(fields))"
        case .receivedAck: ".receivedAck"
        case let .receivedData(message): ".receivedData(\(message))"
        case let .appSend(message): ".appSend(\(message))"
        case .closeRequested: ".closeRequested"
        case .incomingStreamReset: ".incomingStreamReset"
        case .outgoingResetDone: ".outgoingResetDone"
        }
    }
}

/// Why the channel refused or dropped something; nothing is sent for it.
public enum DCEPChannelError: String, Hashable, Sendable, CaseIterable {
    /// A DATA_CHANNEL_ACK arrived on a channel that never sent an OPEN.
    case ackWithoutOpen
    /// A second DATA_CHANNEL_OPEN arrived on this channel's stream.
    case openOnStreamInUse
    /// A user message arrived when there is no channel to take it: before any OPEN,
    /// after the peer reset its side, or once closed. It is dropped.
    case dataWithoutChannel
    /// The application asked for something the state does not allow: a send before the
    /// OPEN or once closing, a second openRequested.
    case invalidCommand
}

/// What the channel asks for, in order. The stream is always this channel's own.
public enum DCEPChannelAction: Hashable, Sendable, CustomStringConvertible {
    /// Send this DATA_CHANNEL_OPEN (PPID 50, ordered, reliable).
    case sendOpen(DCEPOpenFields)
    /// Send a DATA_CHANNEL_ACK (PPID 50, ordered, reliable).
    case sendAck
    /// Send this user message, ordered or unordered.
    case sendData(DCEPUserMessage, ordered: Bool)
    /// Give this message to the application.
    case deliver(DCEPUserMessage)
    /// Reset our outgoing stream (RFC 6525).
    case resetOutgoingStream
    /// The channel is now in this state (said once per change, never for the same state).
    case stateChanged(DCEPChannelState)
    /// Something was refused or dropped, and why.
    case error(DCEPChannelError)

    /// The action as Swift source: `.sendData("hi" (PPID 51), ordered: true)`.
    public var description: String {
        switch self {
        case let .sendOpen(fields): ".sendOpen(\(fields))"
        case .sendAck: ".sendAck"
        case let .sendData(message, ordered): ".sendData(\(message), ordered: \(ordered))"
        case let .deliver(message): ".deliver(\(message))"
        case .resetOutgoingStream: ".resetOutgoingStream"
        case let .stateChanged(state): ".stateChanged(.\(state.rawValue))"
        case let .error(error): ".error(.\(error.rawValue))"
        }
    }
}

/// Exercise 11: one data channel's DCEP state machine, sans-IO.
///
/// Implemented by `Exercises.DCEPChannel` (exercises/11-dcep-channel/DCEPChannel.swift)
/// and `Solutions.DCEPChannel`. A new value is a channel in `.idle`; each event goes to
/// `handle`, which answers every action it causes, in order. The full table of what each
/// event does in each state is in the exercise's README.
public protocol DCEPChannelExercise {
    /// A new channel, `.idle`.
    init()

    /// The channel's state now.
    var state: DCEPChannelState { get }

    /// Handles one event and returns the actions it causes, in order (possibly none).
    /// Wrong input from the peer is answered with `.error`, never with a throw or a trap.
    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction]
}
