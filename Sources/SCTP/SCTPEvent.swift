/// What an association reports to the layer above (usrsctp's notifications, RFC 6458 §6.1,
/// translated, plus the module's own back-pressure and reassembly events).
public enum SCTPEvent: Sendable, Equatable {
    /// The association is established (COMM_UP): the negotiated stream counts.
    case associationUp(inboundStreams: UInt16, outboundStreams: UInt16)
    /// The peer restarted the association (RFC 9260 §5.2.2); streams start over.
    case associationRestarted(inboundStreams: UInt16, outboundStreams: UInt16)
    /// The peer began a graceful shutdown: it sends no more data.
    case peerShutdown
    /// The association is gone; nothing more will be sent or received.
    case associationClosed(SCTPCloseReason)
    /// A whole message arrived (partial deliveries are reassembled first).
    case message(SCTPMessage)
    /// A stream reset finished, one way or the other (RFC 6525).
    case streamReset(SCTPStreamReset)
    /// A message was given up: abandoned by PR-SCTP or never sent before the association ended.
    case sendFailed(SCTPSendFailure)
    /// Everything queued was sent and acknowledged.
    case senderDry
    /// The peer abandoned a message this side had started to receive; its part is dropped.
    case partialDeliveryAborted(stream: UInt16)
    /// The buffered amount fell to or below its threshold (a stream's, or nil for the association's).
    case bufferedAmountLow(stream: UInt16?)
    /// The peer's address became unreachable (retransmissions exhausted the path limit) or
    /// reachable again after that: transitions only, never at set-up. With one path and
    /// the path limit equal to `maxRetransmissions` (our configuration), `false` comes in
    /// the same timeout as `.associationClosed(.peerUnreachable)`.
    case pathReachability(reachable: Bool)
    /// The peer sent a message larger than `maxMessageSize`; it was dropped, not delivered.
    case messageDiscarded(stream: UInt16, byteCount: Int)
    /// The peer reported an operation error (an ERROR chunk's cause code, RFC 9260 §3.3.10).
    case remoteError(cause: UInt16)
}

/// Why an association ended.
public enum SCTPCloseReason: String, Sendable, Equatable {
    /// Graceful SHUTDOWN completed (either side started it).
    case shutdown
    /// The peer sent ABORT.
    case peerAborted
    /// The peer stopped answering: retransmissions or heartbeats exhausted the
    /// association limit ("comm lost", a dead peer).
    case peerUnreachable
    /// The association could not be set up (INIT/COOKIE retries exhausted).
    case cannotStart
    /// This side called `abort()`.
    case localAbort
}

/// One received message.
public struct SCTPMessage: Sendable, Equatable {
    /// The stream it arrived on.
    public var stream: UInt16
    /// The payload protocol identifier (host byte order), e.g. 51 for WebRTC string.
    public var ppid: UInt32
    /// The whole message.
    public var bytes: [UInt8]
    /// True when it was sent unordered.
    public var unordered: Bool

    /// Creates a message.
    public init(stream: UInt16, ppid: UInt32, bytes: [UInt8], unordered: Bool) {
        self.stream = stream
        self.ppid = ppid
        self.bytes = bytes
        self.unordered = unordered
    }
}

/// The outcome of a stream reset (RFC 6525 §5.2).
public struct SCTPStreamReset: Sendable, Equatable {
    /// Which direction was reset.
    public enum Direction: String, Sendable, Equatable {
        /// The peer reset its outgoing streams: these incoming streams are closed by the peer.
        case incoming
        /// Our `resetStreams` request finished: these outgoing streams start over.
        case outgoing
    }
    /// Which direction was reset.
    public var direction: Direction
    /// The stream ids (empty means all streams).
    public var streams: [UInt16]
    /// False when the peer denied the request or it failed.
    public var succeeded: Bool

    /// Creates a reset outcome.
    public init(direction: Direction, streams: [UInt16], succeeded: Bool) {
        self.direction = direction
        self.streams = streams
        self.succeeded = succeeded
    }
}

/// A message the sender gave up on (usrsctp's SCTP_SEND_FAILED_EVENT).
///
/// Equality compares what was lost (stream, PPID, bytes, transmitted), not
/// `messageID`, so a report can be matched against an expected loss; compare
/// `messageID` itself to tell which message it was.
public struct SCTPSendFailure: Sendable, Equatable {
    /// The stream it was sent on.
    public var stream: UInt16
    /// Its payload protocol identifier (host byte order).
    public var ppid: UInt32
    /// The bytes given up (a whole message, or the fragments of it not yet acknowledged).
    public var byteCount: Int
    /// True when the data had been transmitted at least once (abandoned by PR-SCTP
    /// after its retransmission or lifetime limit, RFC 3758 §3.5); false when it never
    /// left (abandoned before transmission, or the association ended first).
    public var wasTransmitted: Bool
    /// Which message: the id `SCTPAssociation.send` returned for it (0 when unknown).
    ///
    /// A message reported abandoned may still have reached the peer: PR-SCTP abandons
    /// what was not acknowledged, and the SACK that acknowledged it may be the one that
    /// was lost (RFC 3758 §3.5). Exact accounting is therefore
    /// sent = delivered + abandoned − (abandoned but delivered), matched by this id.
    public var messageID: UInt32

    /// Creates a failure report.
    public init(stream: UInt16, ppid: UInt32, byteCount: Int, wasTransmitted: Bool, messageID: UInt32 = 0) {
        self.stream = stream
        self.ppid = ppid
        self.byteCount = byteCount
        self.wasTransmitted = wasTransmitted
        self.messageID = messageID
    }

    /// Same loss (stream, PPID, bytes, transmitted); `messageID` is not compared.
    public static func == (lhs: SCTPSendFailure, rhs: SCTPSendFailure) -> Bool {
        lhs.stream == rhs.stream && lhs.ppid == rhs.ppid && lhs.byteCount == rhs.byteCount
            && lhs.wasTransmitted == rhs.wasTransmitted
    }
}
