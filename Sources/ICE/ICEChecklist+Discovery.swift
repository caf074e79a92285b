import Wire

/// Candidates that arrive after the checklist was formed: trickled ones
/// (RFC 8838), and peer-reflexive ones learnt from checks (RFC 8445 §7.2.5.3.1,
/// §7.3.1.3). The rules are the formation rules applied to one candidate.
extension ICEChecklist {
    /// Adds a remote candidate (e.g. trickled) and pairs it with every local
    /// candidate it can pair with. Returns the ids of the pairs it now has
    /// (new ones Waiting or Frozen as `add` decides); a candidate already known adds nothing.
    @discardableResult
    public mutating func addRemoteCandidate(_ candidate: ICECandidate) -> [Int] {
        guard !remoteCandidates.contains(where: { $0.address == candidate.address && $0.componentID == candidate.componentID
                                                  && $0.transport == candidate.transport }) else { return [] }
        remoteCandidates.append(candidate)
        return localCandidates.compactMap { add(local: $0, remote: candidate) }
    }

    /// Adds a local candidate (e.g. a srflx or relay gathered late) and pairs
    /// it with every remote candidate; same rules as `addRemoteCandidate`.
    @discardableResult
    public mutating func addLocalCandidate(_ candidate: ICECandidate) -> [Int] {
        guard !localCandidates.contains(where: { $0.address == candidate.address && $0.base == candidate.base
                                                 && $0.componentID == candidate.componentID }) else { return [] }
        localCandidates.append(candidate)
        return remoteCandidates.compactMap { add(local: candidate, remote: $0) }
    }

    /// Where a valid incoming check belongs (§7.3.1.3, §7.3.1.4).
    public struct IncomingRoute: Hashable, Sendable {
        /// The pair to trigger a check on (call `triggerCheck(pair:)`).
        public var pairID: Int
        /// The remote peer-reflexive candidate learnt from the request, if its
        /// source was new (signal nothing: the peer knows its own address).
        public var learntRemote: ICECandidate?
    }

    /// Routes a valid check that arrived on our base `receivedOn` from `source`
    /// with PRIORITY `priority`: the local candidate is the one whose address
    /// is that base (a host or relayed candidate); an unknown source becomes a
    /// remote peer-reflexive candidate with foundation `newFoundation`, which
    /// must differ from every remote foundation; the pair is found or added.
    /// Nil when no local candidate has that base, or the pair cannot be added
    /// (limit reached).
    public mutating func routeIncomingCheck(receivedOn: TransportAddress, from source: TransportAddress,
                                            priority: UInt32, newFoundation: String) -> IncomingRoute? {
        guard let local = localCandidates.first(where: { $0.address == receivedOn && $0.base == receivedOn }) else {
            return nil
        }
        var learnt: ICECandidate?
        let remote: ICECandidate
        if let known = remoteCandidates.first(where: { $0.address == source && $0.componentID == local.componentID }) {
            remote = known
        } else {
            remote = ICECandidate.remotePeerReflexive(source: source, priority: priority,
                                                      componentID: local.componentID, foundation: newFoundation)
            remoteCandidates.append(remote)
            learnt = remote
        }
        guard let id = add(local: local, remote: remote) else { return nil }
        return IncomingRoute(pairID: id, learntRemote: learnt)
    }

    /// The valid pair a successful check produces (§7.2.5.3.1, §7.2.5.3.2).
    public struct ValidPair: Hashable, Sendable {
        /// Local candidate = the mapped address (an existing candidate or a new
        /// peer-reflexive one), remote = where the check went. Outside the
        /// checklist it carries the id of the pair whose check produced it.
        public var pair: ICECandidatePair
        /// True when it is a pair of this checklist (the one checked, or
        /// another with the same candidates); false when it exists only on the
        /// valid list with its own computed priority.
        public var isInChecklist: Bool
        /// The local peer-reflexive candidate learnt, if the mapped address was new.
        public var learntLocal: ICECandidate?
    }

    /// Computes the valid pair for a success on pair `id` whose response
    /// mapped us to `mapped`. An unknown mapped address becomes a local
    /// peer-reflexive candidate (priority: the PRIORITY the check carried;
    /// base: the checked pair's base) and is added to `localCandidates`.
    public mutating func validPair(forSuccessOn id: Int, mapped: TransportAddress,
                                   foundations: inout ICEFoundations) throws -> ValidPair {
        guard let checked = pair(id) else { throw ICEError(.unknownPair, "no pair #\(id) in the checklist") }
        var learnt: ICECandidate?
        let local: ICECandidate
        if let known = localCandidates.first(where: { $0.address == mapped && $0.componentID == checked.componentID }) {
            local = known
        } else {
            local = ICECandidate.localPeerReflexive(mapped: mapped, sentPriority: checked.local.peerReflexivePriority,
                                                    localCandidate: checked.local, foundations: &foundations)
            localCandidates.append(local)
            learnt = local
        }
        if let existing = pairs.first(where: { $0.local.address == local.address && $0.remote.address == checked.remote.address
                                               && $0.componentID == checked.componentID }) {
            return ValidPair(pair: existing, isInChecklist: true, learntLocal: learnt)
        }
        var valid = ICECandidatePair(id: checked.id, local: local, remote: checked.remote, role: role)
        valid.state = .succeeded
        return ValidPair(pair: valid, isInChecklist: false, learntLocal: learnt)
    }
}
