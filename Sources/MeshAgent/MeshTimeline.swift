/// When each of the ten lifecycle steps happened, as one agent saw them: the
/// source of `datachannel-chat demo`'s table and timeline.
///
/// Instants are on `ContinuousClock`, shared by every agent in one process, so
/// the lanes of a demo line up on one time axis.
public struct MeshTimeline: Sendable, Hashable {
    /// The agent's own steps, once per signaling session.
    public struct AgentSteps: Sendable, Hashable {
        /// `POST /api/token` sent.
        public var tokenRequested: ContinuousClock.Instant?
        /// The token arrived.
        public var tokenReceived: ContinuousClock.Instant?
        /// The WebSocket upgrade completed.
        public var webSocketOpen: ContinuousClock.Instant?
        /// `register` sent.
        public var registerSent: ContinuousClock.Instant?
        /// `peer_list` arrived.
        public var peerListReceived: ContinuousClock.Instant?

        /// Nothing yet.
        public init() {}
    }

    /// One peer connection's steps, seen from this agent.
    public struct PairSteps: Sendable, Hashable {
        /// True when this agent made the offer.
        public var offerer: Bool
        /// The PeerConnection was created (offerer: on `peer_list`; answerer: on the offer).
        public var created: ContinuousClock.Instant?
        /// Offer sent (offerer) or received (answerer).
        public var offer: ContinuousClock.Instant?
        /// Answer received (offerer) or sent (answerer).
        public var answer: ContinuousClock.Instant?
        /// The first candidate sent or received, whichever came first.
        public var firstCandidate: ContinuousClock.Instant?
        /// The last candidate sent or received before the channel opened.
        public var lastCandidate: ContinuousClock.Instant?
        /// ICE checks began.
        public var iceChecking: ContinuousClock.Instant?
        /// ICE had a working pair.
        public var iceConnected: ContinuousClock.Instant?
        /// DTLS finished.
        public var dtlsConnected: ContinuousClock.Instant?
        /// SCTP association up.
        public var sctpEstablished: ContinuousClock.Instant?
        /// The "mesh" channel opened.
        public var channelOpen: ContinuousClock.Instant?

        /// A pair's record.
        public init(offerer: Bool) { self.offerer = offerer }
    }

    /// The agent's own steps (the latest signaling session).
    public var agent = AgentSteps()
    /// Per peer id.
    public var pairs: [String: PairSteps] = [:]

    /// Nothing yet.
    public init() {}
}
