import Wire

/// Who opened a channel, which decides whether DCEP runs on it.
enum ChannelOpener: Hashable, Sendable {
    /// We did, with a DATA_CHANNEL_OPEN: the ACK is ours to wait for.
    case local
    /// The peer did, with its OPEN: we sent the ACK.
    case remote
    /// Both sides agreed the stream id out of band: no DCEP at all.
    case negotiated
}

/// The progress of closing one stream in both directions (RFC 8831 §6.7): each side
/// resets its outgoing stream, and the id is free only when both are reset.
struct StreamClosing: Hashable, Sendable {
    /// How many times we asked SCTP to reset our outgoing stream (a refused request is retried).
    var outgoingAttempts = 1
    /// Our outgoing stream is reset (the peer confirmed the request).
    var outgoingDone = false
    /// The peer reset its outgoing stream, our incoming one.
    var incomingDone = false

    /// Both directions are reset: the stream id may carry a new channel.
    var isComplete: Bool { outgoingDone && incomingDone }
}

/// Where a channel is in its life, named by what it waits for. Every change goes
/// through `DataChannelRegistry.transition`, which reports the W3C state it implies.
enum ChannelPhase: Hashable, Sendable {
    /// Waiting for the DTLS role and the association: no stream id yet (a negotiated
    /// channel has its id, but nothing to send it on).
    case awaitingTransport
    /// The OPEN is queued and `poll()` has not handed it out: still connecting, so no
    /// message can be built that could reach SCTP before the OPEN.
    case awaitingOpenSent
    /// Our OPEN is sent: open, messages go ordered until the peer acknowledges.
    case awaitingAck
    /// Open for good: acknowledged, opened by the peer, or negotiated.
    case established
    /// Closing: waiting for the stream to be reset both ways.
    case awaitingResets(StreamClosing)
    /// Gone (the record is dropped right after).
    case closed

    /// The state the application sees.
    var publicState: DataChannelState {
        switch self {
        case .awaitingTransport, .awaitingOpenSent: return .connecting
        case .awaitingAck, .established: return .open
        case .awaitingResets: return .closing
        case .closed: return .closed
        }
    }
}

/// Everything the registry knows about one channel.
struct ChannelRecord: Sendable {
    /// What the channel is.
    var parameters: DataChannelParameters
    /// Who opened it.
    var opener: ChannelOpener
    /// Its stream id, once known (from the start for negotiated channels).
    var stream: UInt16?
    /// Where it is in its life.
    var phase: ChannelPhase
    /// Deprecated PPIDs already reported for this channel (reported once each).
    var reportedDeprecated: Set<PayloadProtocolIdentifier> = []
    /// The channel's replacement DCEP state machine (`DataChannelRegistry.channelDrivers`), if any.
    var driver: (any DCEPChannelDriver)? = nil
}

/// The association's stream counts, known once it is up.
struct AssociationStreams: Hashable, Sendable {
    /// Streams we may send on.
    var outbound: UInt16
    /// Streams the peer may send on.
    var inbound: UInt16

    /// A channel uses its id both ways, so it must be below both counts.
    func contains(_ stream: UInt16) -> Bool { stream < outbound && stream < inbound }
}

/// The FIFO behind `poll()`. Besides actions it holds one marker: "the OPEN just
/// handed out was sent", which is where our channel turns open. Read by index so
/// draining is O(1) (Wire's FIFO, as in OutputQueue).
struct PendingOutputs: Sendable {
    enum Item: Hashable, Sendable {
        case action(DataChannelAction)
        case openSent(DataChannelID)
    }

    private var items = FIFO<Item>()

    var isEmpty: Bool { items.isEmpty }

    mutating func append(_ item: Item) { items.append(item) }

    mutating func pop() -> Item? { items.pop() }

    /// Drops the items not yet handed out that match (a withdrawn OPEN, or every send
    /// once the association is gone).
    mutating func removeAll(where shouldRemove: (Item) -> Bool) { items.removeAll(where: shouldRemove) }
}
