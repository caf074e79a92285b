/// Counters of one association, for tools and tests.
public struct SCTPStatistics: Hashable, Sendable {
    /// Messages accepted by `send` (queued or handed to usrsctp).
    public var messagesSent = 0
    /// Bytes accepted by `send`.
    public var bytesSent = 0
    /// Whole messages delivered as `.message` events.
    public var messagesReceived = 0
    /// Bytes delivered as `.message` events.
    public var bytesReceived = 0
    /// `.sendFailed` reports (abandoned by PR-SCTP or never sent).
    public var messagesAbandoned = 0
    /// Bytes given up: those reports, plus late fragments of messages already reported.
    public var bytesAbandoned = 0
    /// Packets given to `handle(packet:)` and passed on to usrsctp.
    public var packetsReceived = 0
    /// Packets usrsctp produced for the peer.
    public var packetsSent = 0
    /// Packets refused before usrsctp saw them (shorter than the common header, oversized,
    /// or after close). usrsctp drops bad checksums and malformed chunks on its own.
    public var packetsDropped = 0
    /// The largest packet produced (never above `pathMTU`).
    public var largestPacketSent = 0

    /// Creates zeroed counters.
    public init() {}
}

/// Where an association is in its life (RFC 9260 §4, coarsely).
public enum SCTPAssociationState: Hashable, Sendable {
    /// Created, `connect()` not called yet.
    case idle
    /// INIT/COOKIE exchange in progress; sends are queued.
    case connecting
    /// COMM_UP: data flows.
    case established
    /// `shutdown()` was called or the peer sent SHUTDOWN; no new sends.
    case shuttingDown
    /// Gone, for this reason.
    case closed(SCTPCloseReason)
}
