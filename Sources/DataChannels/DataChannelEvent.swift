/// What the registry reports to the application (through the PeerConnection).
public enum DataChannelEvent: Hashable, Sendable {
    /// The peer opened a channel: its DATA_CHANNEL_OPEN arrived and the ACK is already
    /// queued (before this event). The channel starts `.open`; no `.stateChanged`
    /// announces that (W3C announces it with the datachannel event).
    case incoming(DataChannelID, DataChannelParameters, stream: UInt16)
    /// A channel's state changed: connecting→open (ours when its OPEN is handed out by
    /// `poll()`; negotiated ones at `transportUp`, or at `open` once up), →closing when
    /// either side starts the close, →closed when both directions are reset (or the
    /// association is gone, or the channel could not get a stream).
    case stateChanged(DataChannelID, DataChannelState)
    /// A message arrived (deprecated PPIDs included, empty messages delivered empty).
    case message(DataChannelID, DataChannelMessage)
    /// The peer used a deprecated PPID (52 or 54) on the channel; reported once per
    /// channel and PPID, and every such message is still delivered.
    case deprecatedPPID(DataChannelID, PayloadProtocolIdentifier)
    /// The peer broke the protocol (a malformed DCEP message, an OPEN on a busy or
    /// wrong-parity stream, a message on a stream without a channel), or a channel
    /// could not be opened. The channel, when there is one, is closing after this
    /// unless the error says otherwise (`.unexpectedMessage`, `.unknownPPID` only drop the message).
    case protocolError(DataChannelID?, DataChannelError)
    /// The peer acknowledged a channel we opened: its DATA_CHANNEL_ACK, or any data
    /// message on the channel, which RFC 8832 §6 lets stand for it. Messages on an
    /// unordered channel go unordered from now on.
    case acknowledged(DataChannelID)
}

/// What the registry asks its driver to do, in order.
public enum DataChannelAction: Hashable, Sendable {
    /// Send this message on the association (a DCEP OPEN or ACK: ordered, reliable, PPID 50).
    case send(OutboundMessage)
    /// Reset these outgoing streams (RFC 6525, SCTP_RESET_STREAMS); report the outcome
    /// with `streamsReset(incoming: false, ...)`.
    case resetStreams([UInt16])
    /// Tell the application.
    case event(DataChannelEvent)
}
