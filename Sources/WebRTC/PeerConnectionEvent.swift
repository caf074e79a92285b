import DataChannels
import DTLS
import ICE
import SDP
import Wire

/// W3C RTCSignalingState (webrtc-pc §4.3.1): where the offer/answer exchange is.
public enum SignalingState: String, Hashable, Sendable {
    /// No exchange in progress.
    case stable
    /// We applied our offer and wait for the answer.
    case haveLocalOffer = "have-local-offer"
    /// We applied the peer's offer and owe an answer.
    case haveRemoteOffer = "have-remote-offer"
    /// The connection is closed.
    case closed
}

/// W3C RTCPeerConnectionState (webrtc-pc §4.3.3): ICE and DTLS together.
public enum PeerConnectionState: String, Hashable, Sendable {
    /// Nothing has started.
    case new
    /// ICE is checking or DTLS is handshaking.
    case connecting
    /// ICE has a pair and DTLS is connected.
    case connected
    /// ICE lost consent for a while; it may recover.
    case disconnected
    /// ICE or DTLS failed.
    case failed
    /// `close()` was called.
    case closed
}

/// W3C RTCIceGatheringState.
public enum GatheringState: String, Hashable, Sendable {
    /// Not started.
    case new
    /// Candidates are being gathered.
    case gathering
    /// Every candidate was gathered.
    case complete
}

/// What a `PeerConnectionCore` reports through `poll()`, besides datagrams.
public enum PeerConnectionEvent: Sendable {
    /// A local candidate to signal (trickle ICE, RFC 8838), as an SDP candidate line.
    case localCandidate(Candidate)
    /// Gathering changed state (`.complete`: signal end-of-candidates).
    case gatheringStateChanged(GatheringState)
    /// The ICE agent's state changed (W3C iceConnectionState).
    case iceStateChanged(ICEAgentState)
    /// The pair data flows over changed (nominated, or the best valid pair before that).
    case selectedPairChanged(ICECandidatePair)
    /// The overall state changed (W3C connectionState).
    case connectionStateChanged(PeerConnectionState)
    /// The signaling state changed.
    case signalingStateChanged(SignalingState)
    /// DTLS connected: cipher suite, the peer's fingerprint, handshake time.
    case dtlsConnected(DTLSConnectionInfo)
    /// One NSS key-log line (only with `keyLogging`).
    case keyLog(String)
    /// A channel event: incoming channel, state change, message, error.
    case channel(DataChannelEvent)
    /// A channel's `bufferedAmount` fell to or below its threshold.
    case bufferedAmountLow(DataChannelID)
    /// A remote candidate was not used (an mDNS `.local` name that cannot be
    /// resolved, another transport, a malformed line): reported, not an error.
    case remoteCandidateSkipped(String, reason: String)
    /// Something went wrong that ends the connection (reason for humans).
    case failed(PeerConnectionError)
}
