/// Candidates that arrived before the offer (or answer) they belong to, kept per
/// peer until the PeerConnection can take them. chatixia-mesh drops these; a
/// relay that reorders, or a peer that trickles before its offer is relayed,
/// would otherwise lose its best candidates.
///
/// Bounded, because the sender is on the network: at most `perPeerLimit`
/// candidates per peer (a DataChannel session has a handful) and at most
/// `peerLimit` peers with something pending. Past either bound the candidate is
/// refused and counted; the caller reports it.
public struct MeshPendingCandidates: Sendable {
    /// The most candidates kept for one peer.
    public let perPeerLimit: Int
    /// The most peers with candidates kept at once.
    public let peerLimit: Int
    /// Candidates refused because a bound was reached.
    public private(set) var droppedCount = 0
    private var pending: [String: [CandidatePayload]] = [:]

    /// An empty buffer with these bounds.
    public init(perPeerLimit: Int = 64, peerLimit: Int = 256) {
        self.perPeerLimit = max(0, perPeerLimit)
        self.peerLimit = max(0, peerLimit)
    }

    /// Keeps `candidate` for `peer`; false when a bound refused it.
    @discardableResult
    public mutating func add(_ candidate: CandidatePayload, for peer: String) -> Bool {
        let kept = pending[peer]?.count
        guard kept != nil || pending.count < peerLimit, (kept ?? 0) < perPeerLimit else {
            droppedCount += 1
            return false
        }
        pending[peer, default: []].append(candidate)
        return true
    }

    /// Removes and returns what was kept for `peer`, in arrival order.
    public mutating func take(for peer: String) -> [CandidatePayload] {
        pending.removeValue(forKey: peer) ?? []
    }

    /// Forgets what was kept for `peer` (it left, or its connection was dropped).
    public mutating func discard(for peer: String) {
        pending.removeValue(forKey: peer)
    }

    /// How many candidates are kept for `peer`.
    public func count(for peer: String) -> Int { pending[peer]?.count ?? 0 }

    /// How many candidates are kept in all.
    public var totalCount: Int { pending.values.reduce(0) { $0 + $1.count } }
}
