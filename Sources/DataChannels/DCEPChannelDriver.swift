// A replaceable per-channel DCEP state machine (the lab's exercise 11 hook). By
// default the registry decides everything itself; with `DataChannelRegistry.channelDrivers`
// set, every in-band channel (one opened by DCEP, not a negotiated one) gets a driver,
// and at each DCEP decision the registry asks it and does what it answers: send the
// OPEN, send the ACK, send a message ordered or not, deliver a message, reset our
// outgoing stream, count the channel as acknowledged. The registry keeps what is not
// the channel's own business (stream ids, parity, the pending queue, reset retries),
// so a wrong driver shows on the wire as a channel that behaves wrongly, never as a
// corrupted registry.

/// The state a driver reports, named by what the channel waits for (RFC 8832 §6, RFC 8831 §6.7).
public enum DCEPDriverState: String, Hashable, Sendable {
    /// Nothing sent or received yet.
    case idle
    /// Our OPEN is sent; messages go ordered until the ACK (or a data message) arrives.
    case awaitingAck
    /// Open both ways.
    case open
    /// One direction is reset; waiting for the other.
    case closing
    /// Both directions are reset.
    case closed
}

/// What the registry tells a channel's driver.
public enum DCEPDriverEvent: Hashable, Sendable {
    /// The application created the channel and its OPEN may go now.
    case openRequested(DataChannelOpen)
    /// The peer's OPEN arrived on the channel's stream.
    case receivedOpen(DataChannelOpen)
    /// A DATA_CHANNEL_ACK arrived on the channel's stream.
    case receivedAck
    /// A user message (PPID 51-57) arrived on the channel's stream.
    case receivedData(PayloadProtocolIdentifier, [UInt8])
    /// The application sends this user message.
    case appSend(PayloadProtocolIdentifier, [UInt8])
    /// The application closes the channel.
    case closeRequested
    /// The peer reset its outgoing stream (our incoming one).
    case incomingStreamReset
    /// SCTP confirmed the reset of our outgoing stream.
    case outgoingResetDone
}

/// What a driver answers; the registry carries out the ones it has a use for at that point.
public enum DCEPDriverAction: Hashable, Sendable {
    /// Send this OPEN on the stream (PPID 50, ordered, reliable).
    case sendOpen(DataChannelOpen)
    /// Send a DATA_CHANNEL_ACK on the stream (PPID 50, ordered, reliable).
    case sendAck
    /// Send this user message, ordered or not.
    case sendData(PayloadProtocolIdentifier, [UInt8], ordered: Bool)
    /// Give this user message to the application.
    case deliver(PayloadProtocolIdentifier, [UInt8])
    /// Reset our outgoing stream.
    case resetOutgoingStream
    /// The channel is now in this state.
    case stateChanged(DCEPDriverState)
    /// Something was refused or dropped, and why.
    case error(String)
}

/// One channel's DCEP state machine, fed events and answering actions.
public protocol DCEPChannelDriver: Sendable {
    /// Handles one event and answers what to do, in order.
    mutating func handle(_ event: DCEPDriverEvent) -> [DCEPDriverAction]
}

/// Makes a driver for each in-band channel, given its stream id.
public struct DCEPChannelDrivers: Sendable {
    /// A new driver, in its initial state, for the channel on `stream`.
    public var make: @Sendable (_ stream: UInt16) -> any DCEPChannelDriver

    /// Creates a factory of drivers.
    public init(make: @escaping @Sendable (_ stream: UInt16) -> any DCEPChannelDriver) {
        self.make = make
    }
}

extension DataChannelRegistry {
    /// Feeds `event` to the driver of `id`'s channel and stores its new state; nil when
    /// the channel has no driver (no hook, a negotiated channel, or gone), so the
    /// caller keeps the library's own behaviour.
    mutating func drive(_ id: DataChannelID, _ event: DCEPDriverEvent) -> [DCEPDriverAction]? {
        guard var driver = records[id]?.driver else { return nil }
        let actions = driver.handle(event)
        records[id]?.driver = driver
        return actions
    }

    /// A driver for a new in-band channel on `stream`, when the hook is set.
    func makeDriver(on stream: UInt16) -> (any DCEPChannelDriver)? {
        channelDrivers?.make(stream)
    }
}

extension Array where Element == DCEPDriverAction {
    /// True when the driver asked to reset our outgoing stream.
    var resetsOutgoingStream: Bool { contains(.resetOutgoingStream) }

    /// True when the driver asked to send the ACK.
    var sendsAck: Bool { contains(.sendAck) }

    /// True when the driver reported the channel open.
    var opens: Bool { contains(.stateChanged(.open)) }

    /// The OPEN the driver asked to send, if any.
    var openToSend: DataChannelOpen? {
        for case let .sendOpen(open) in self { return open }
        return nil
    }
}
