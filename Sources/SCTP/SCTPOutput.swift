/// What an association is drained of through `poll()`.
public enum SCTPOutput: Sendable, Equatable {
    /// An SCTP packet to send to the peer as DTLS application data.
    case transmit([UInt8])
    /// Something that happened, for the layer above.
    case event(SCTPEvent)
}
