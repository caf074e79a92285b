// Exercise 11 — the DCEP channel state machine (reference answer).
//
// Same file name, type name and public surface as exercises/11-dcep-channel/DCEPChannel.swift.
import ExerciseInterfaces

/// One data channel's DCEP state machine (RFC 8832 §6, RFC 8831 §6.7).
public struct DCEPChannel: DCEPChannelExercise {
    /// The channel's state now.
    public private(set) var state: DCEPChannelState = .idle
    /// True when we sent the OPEN (a late ACK is then harmless); false when the peer did.
    private var isOpener = false
    /// The channel's OPEN (ours or the peer's): its type says ordered or not.
    private var fields: DCEPOpenFields?
    /// While closing: our outgoing stream is reset.
    private var outgoingReset = false
    /// While closing: the peer reset its outgoing stream.
    private var incomingReset = false

    /// A new channel, `.idle`.
    public init() {}

    /// Handles one event; see the table in exercises/11-dcep-channel/README.md.
    public mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        switch event {
        case let .openRequested(open):
            guard state == .idle else { return [.error(.invalidCommand)] }
            isOpener = true
            fields = open
            return [.sendOpen(open)] + move(to: .awaitingAck)
        case let .receivedOpen(open):
            guard state == .idle else { return [.error(.openOnStreamInUse)] }
            fields = open
            return [.sendAck] + move(to: .open)
        case .receivedAck:
            switch state {
            case .awaitingAck: return move(to: .open)
            // Late: a data message already stood for the ACK, or the close began first.
            case .open where isOpener, .closing where isOpener: return []
            default: return [.error(.ackWithoutOpen)]
            }
        case let .receivedData(message):
            switch state {
            // RFC 8832 §6: the peer sends data only once it has our OPEN, so data is an implicit ACK.
            case .awaitingAck: return move(to: .open) + [.deliver(message)]
            case .open: return [.deliver(message)]
            // RFC 8831 §6.7: the peer may send until it resets its own side.
            case .closing where !incomingReset: return [.deliver(message)]
            default: return [.error(.dataWithoutChannel)]
            }
        case let .appSend(message):
            switch state {
            // RFC 8832 §6: before the ACK everything goes ordered, so nothing overtakes the OPEN.
            case .awaitingAck: return [.sendData(message, ordered: true)]
            case .open: return [.sendData(message, ordered: isOrdered)]
            default: return [.error(.invalidCommand)]
            }
        case .closeRequested:
            switch state {
            case .idle: return move(to: .closed)   // nothing reached the peer: nothing to reset
            case .awaitingAck, .open: return [.resetOutgoingStream] + move(to: .closing)
            case .closing, .closed: return []
            }
        case .incomingStreamReset:
            switch state {
            case .awaitingAck, .open:
                // RFC 8831 §6.7: the peer closed; answer by resetting our side too.
                incomingReset = true
                return [.resetOutgoingStream] + move(to: .closing)
            case .closing:
                incomingReset = true
                return outgoingReset ? move(to: .closed) : []
            case .idle, .closed:
                return []
            }
        case .outgoingResetDone:
            guard state == .closing else { return [] }
            outgoingReset = true
            return incomingReset ? move(to: .closed) : []
        }
    }

    /// The channel type's high bit (0x80) marks the unordered types.
    private var isOrdered: Bool { (fields?.channelType ?? 0) & 0x80 == 0 }

    /// Enters `next` and says so.
    private mutating func move(to next: DCEPChannelState) -> [DCEPChannelAction] {
        guard next != state else { return [] }
        state = next
        return [.stateChanged(next)]
    }
}
