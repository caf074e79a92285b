import ICE
import Wire

/// W3C getStats(), the parts a DataChannel application reads: traffic each
/// way, the selected candidate pair and its round-trip time.
public struct PeerConnectionStats: Sendable, Hashable {
    /// Messages sent on every channel (DCEP included).
    public var messagesSent: Int
    /// Payload bytes sent.
    public var bytesSent: Int
    /// Messages received.
    public var messagesReceived: Int
    /// Payload bytes received.
    public var bytesReceived: Int
    /// Messages SCTP gave up on (partially reliable channels' limits, or the association
    /// ended first); per channel: `RTCDataChannel.abandonedMessageCount`.
    public var messagesAbandoned: Int
    /// The pair data flows over (nominated, or the best valid pair before that).
    public var selectedPair: ICECandidatePair?
    /// The pair's latest round-trip time measured by a connectivity or consent check.
    public var roundTripTime: Duration?
    /// The ICE state.
    public var iceState: ICEAgentState?
    /// The DTLS cipher suite, once connected.
    public var dtlsCipherSuite: String?

    init(core: PeerConnectionCore) {
        let sctp = core.transport?.association.statistics
        messagesSent = sctp?.messagesSent ?? 0
        bytesSent = sctp?.bytesSent ?? 0
        messagesReceived = sctp?.messagesReceived ?? 0
        bytesReceived = sctp?.bytesReceived ?? 0
        messagesAbandoned = sctp?.messagesAbandoned ?? 0
        selectedPair = core.ice?.sendingPair
        roundTripTime = core.ice?.latestRoundTripTime
        iceState = core.ice?.state
        dtlsCipherSuite = core.dtlsCipherSuite
    }
}
