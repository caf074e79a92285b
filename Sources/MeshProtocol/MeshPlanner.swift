/// The decisions an agent makes about one peer, without I/O: what to do with an
/// offer (glare), with a candidate (apply, keep for later, drop), and with an
/// answer. The agent (module MeshAgent) owns the PeerConnections and follows
/// these answers; keeping the rules here lets them be tested on their own, as
/// str0m keeps its decisions apart from its sockets.
///
/// Glare: two agents may offer to each other at once (both saw the other in a
/// `peer_list`, or one reconnected while the other asked to `connect`). Both
/// sides apply the same rule to the same two ids, so exactly one offer
/// survives: the agent whose id sorts lower keeps its offer and ignores the
/// other's; the higher one drops its own PeerConnection and answers. This is
/// the "polite peer" of W3C perfect negotiation (webrtc-pc §10.7) with the
/// politeness decided by the ids instead of by configuration.
public enum MeshPlanner {
    /// Where this agent stands with one peer.
    public enum PeerPhase: Hashable, Sendable {
        /// We sent an offer and wait for the answer.
        case offering
        /// We answered (or are answering) the peer's offer; the channel is not open yet.
        case answering
        /// The "mesh" channel is open.
        case open
    }

    /// What to do with an offer from a peer.
    public enum OfferAction: Hashable, Sendable {
        /// Nothing is under way with this peer: create a PeerConnection and answer.
        case answer
        /// Close our PeerConnection to this peer first, then answer with a new one:
        /// we lost the glare, or the peer started over (it restarted, or its side of
        /// our connection is gone).
        case replaceAndAnswer
        /// Glare, and our offer wins: ignore theirs (they will answer ours).
        case ignore
    }

    /// What to do with a trickled candidate from a peer.
    public enum CandidateAction: Hashable, Sendable {
        /// The PeerConnection has the remote description: add it now.
        case apply
        /// It came before the offer or answer it belongs to: keep it for later.
        case buffer
        /// It belongs to a PeerConnection the peer dropped (glare): drop it.
        case discard
    }

    /// True when the agent `localID` keeps its own offer in a glare with
    /// `remoteID`. Ids compare as UTF-8 bytes, so every implementation (Swift,
    /// Rust, a browser: for ASCII ids JavaScript's `<` agrees) decides alike.
    public static func localOfferWins(localID: String, remoteID: String) -> Bool {
        localID.utf8.lexicographicallyPrecedes(remoteID.utf8)
    }

    /// The rule for an offer from `remoteID` while we are in `phase` (nil: nothing under way).
    public static func onOffer(localID: String, remoteID: String, phase: PeerPhase?) -> OfferAction {
        switch phase {
        case nil:
            return .answer
        case .offering?:
            return localOfferWins(localID: localID, remoteID: remoteID) ? .ignore : .replaceAndAnswer
        case .answering?, .open?:
            // A second offer from the same peer means it dropped its side and
            // started over; our PeerConnection cannot take a fresh offer on top
            // of the old session, so it is replaced.
            return .replaceAndAnswer
        }
    }

    /// The rule for a candidate from a peer. `hasRemoteDescription` tells whether
    /// our PeerConnection to it (if any) has applied the peer's offer or answer;
    /// `discarding` is set between ignoring a glare offer and receiving the peer's
    /// answer: the peer's candidates then belong to the PeerConnection it dropped.
    public static func onCandidate(phase: PeerPhase?, hasRemoteDescription: Bool, discarding: Bool) -> CandidateAction {
        if discarding { return .discard }
        guard phase != nil, hasRemoteDescription else { return .buffer }
        return .apply
    }

    /// True when an answer from a peer is one we wait for (else it is stale and ignored).
    public static func acceptsAnswer(phase: PeerPhase?, awaitingAnswer: Bool) -> Bool {
        phase == .offering && awaitingAnswer
    }
}
