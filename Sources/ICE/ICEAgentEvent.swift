import Wire

/// The agent's overall state, named as WebRTC's `RTCIceConnectionState` names
/// them (W3C webrtc-pc §5.6.4), which is what applications watch.
///
/// ```
///  new ──first check──▶ checking ──valid pair──▶ connected ──nominated──▶ completed
///                          │                                   ▲            │ no consent 10 s
///                          │ all pairs failed +                │ answer     ▼
///                          │ end-of-candidates                 └──── disconnected
///                          ▼                                                │ no consent 30 s
///                        failed ◀───────────────────────────────────────────┘
/// ```
public enum ICEAgentState: String, Hashable, Sendable, CustomStringConvertible {
    /// Not checking yet (no remote credentials or candidates).
    case new
    /// Checks are running; no valid pair yet.
    case checking
    /// A valid pair exists; nomination has not finished.
    case connected
    /// A pair is nominated and selected: data flows over it.
    case completed
    /// The selected pair has had no consent for a while; it may recover.
    case disconnected
    /// Every pair failed after end-of-candidates, or consent expired (RFC 7675).
    case failed

    /// The raw name.
    public var description: String { rawValue }
}

/// What an `ICEAgent` reports through `poll()`.
public enum ICEAgentEvent: Hashable, Sendable {
    /// A local candidate to signal to the peer (host at start, srflx when a STUN
    /// server answers, relay when a TURN server grants an allocation).
    case candidateGathered(ICECandidate)
    /// Gathering ended (every STUN transaction answered or timed out, every TURN
    /// allocation granted or failed): signal end-of-candidates.
    case gatheringComplete
    /// A peer-reflexive candidate was learnt: local from a response's mapped
    /// address, remote from a check's source (§7.2.5.3.1, §7.3.1.3). Not signaled.
    case peerReflexiveLearnt(ICECandidate, isLocal: Bool)
    /// A new check left (not a retransmission); `nominating` when it carries USE-CANDIDATE.
    case checkSent(pairID: Int, from: TransportAddress, to: TransportAddress, nominating: Bool)
    /// A pair changed state.
    case pairStateChanged(pairID: Int, state: ICEPairState)
    /// A pair left the checklist unchecked: a pair of its component was
    /// nominated, so it can no longer matter (§8.1.2).
    case pairRemoved(pairID: Int)
    /// A role conflict switched our role (§7.2.5.1, §7.3.1.1).
    case roleChanged(ICERole)
    /// The overall state changed.
    case stateChanged(ICEAgentState)
    /// The pair data now flows over (a nominated valid pair).
    case selectedPairChanged(ICECandidatePair)
    /// A non-STUN datagram (RFC 7983: DTLS, RTP...) arrived on a known pair.
    case dataReceived([UInt8], from: TransportAddress, to: TransportAddress)
    /// A datagram was ignored; the reason says why.
    case dropped(from: TransportAddress, reason: String)
}
