import Wire

/// A checklist (RFC 8445 §6.1.2): the pairs of one data stream ordered by
/// priority, their states, and the triggered-check queue.
///
/// A value type with no clock: the agent decides when Ta has passed and asks
/// `nextCheck()` which pair to check; responses and requests come back as
/// calls that move pairs through `ICEPairState.next(on:)`.
public struct ICEChecklist: Hashable, Sendable {
    /// The pairs, highest priority first.
    public private(set) var pairs: [ICECandidatePair]
    /// The role the priorities were computed for.
    public private(set) var role: ICERole
    /// Pairs to check before any ordinary check (§6.1.4.1).
    public private(set) var triggeredQueue = ICETriggeredCheckQueue()
    /// The cap on the number of pairs (§6.1.2.5).
    public let maximumPairs: Int
    /// Our candidates: those given at formation plus any added since (trickled
    /// or peer-reflexive), kept so that late remote candidates can be paired.
    public internal(set) var localCandidates: [ICECandidate]
    /// The peer's candidates, likewise.
    public internal(set) var remoteCandidates: [ICECandidate]
    /// The id the next added pair gets.
    var nextID: Int
    /// False while an `ICEChecklistStrategy` decides the ordinary checks: then no
    /// pair is ever unfrozen by this checklist's own rules (an added pair stays
    /// Frozen, a success unfreezes nothing, `nextCheck()` serves only the
    /// triggered-check queue). True, the default: the RFC 8445 rules below.
    public var unfreezesPairs = true

    /// Forms the checklist (§6.1.2.2-§6.1.2.5): pairs every local candidate
    /// with every remote one of the same component, transport and IP family,
    /// computes pair priorities for `role`, replaces server-reflexive local
    /// candidates by their bases, prunes redundant pairs and keeps the
    /// `maximumPairs` best, then sets the initial states (§6.1.2.6): the first
    /// pair of each foundation Waiting, the rest Frozen.
    public init(local: [ICECandidate], remote: [ICECandidate], role: ICERole,
                maximumPairs: Int = ICEDefaults.maximumPairs) {
        self.role = role
        self.maximumPairs = max(0, maximumPairs)
        self.pairs = Self.formPairs(local: local, remote: remote, role: role, maximumPairs: self.maximumPairs)
        self.localCandidates = local
        self.remoteCandidates = remote
        self.nextID = pairs.count
        computeInitialStates()
    }

    /// The pair formation rules of §6.1.2.2-§6.1.2.5, ids 0... in priority order.
    public static func formPairs(local: [ICECandidate], remote: [ICECandidate], role: ICERole,
                                 maximumPairs: Int = ICEDefaults.maximumPairs) -> [ICECandidatePair] {
        var formed: [(pair: ICECandidatePair, order: Int)] = []
        for l in local {
            for r in remote where canPair(l, r) {
                // Priority from the candidate as signaled, then the srflx stands down
                // for its base (§6.1.2.4): we can only send from a base.
                var pair = ICECandidatePair(id: 0, local: l, remote: r, role: role)
                if l.type == .serverReflexive { pair.local = baseCandidate(of: l, among: local) }
                formed.append((pair, formed.count))
            }
        }
        formed.sort { $0.pair.priority != $1.pair.priority ? $0.pair.priority > $1.pair.priority : $0.order < $1.order }
        var seen = Set<PairKey>()
        var kept: [ICECandidatePair] = []
        for (pair, _) in formed where kept.count < maximumPairs {
            // Redundant: same local base and same remote candidate as a higher-priority pair.
            guard seen.insert(PairKey(pair)).inserted else { continue }
            var numbered = pair
            numbered.id = kept.count
            kept.append(numbered)
        }
        return kept
    }

    /// Same component, same transport, same IP family; an IPv6 link-local
    /// address only with another link-local one (it means nothing off-link).
    public static func canPair(_ local: ICECandidate, _ remote: ICECandidate) -> Bool {
        guard local.componentID == remote.componentID, local.transport == remote.transport,
              local.address.ip.isIPv4 == remote.address.ip.isIPv4 else { return false }
        if local.address.ip.isIPv4 { return true }
        return ICEHostGathering.isLinkLocal(local.base.ip) == ICEHostGathering.isLinkLocal(remote.address.ip)
    }

    /// The local candidate a server-reflexive one is replaced by: the host
    /// candidate at its base, or (when that was not supplied) the candidate
    /// itself moved to its base.
    static func baseCandidate(of candidate: ICECandidate, among local: [ICECandidate]) -> ICECandidate {
        if let host = local.first(where: { $0.type == .host && $0.address == candidate.base
                                           && $0.componentID == candidate.componentID }) {
            return host
        }
        var moved = candidate
        moved.type = .host
        moved.address = candidate.base
        moved.relatedAddress = nil
        return moved
    }

    struct PairKey: Hashable {
        var localBase: TransportAddress
        var remote: TransportAddress
        var componentID: Int
        var transport: ICETransportProtocol
        init(_ pair: ICECandidatePair) {
            localBase = pair.local.base
            remote = pair.remote.address
            componentID = pair.componentID
            transport = pair.local.transport
        }
    }

    // MARK: - Looking up

    /// The pair with `id`, or nil.
    public func pair(_ id: Int) -> ICECandidatePair? { pairs.first { $0.id == id } }

    /// How many pairs are in `state`.
    public func count(_ state: ICEPairState) -> Int { pairs.reduce(0) { $0 + ($1.state == state ? 1 : 0) } }

    /// The RTO for a check sent now (§14.3), from the current Waiting and In-Progress counts.
    public func checkRTO(pacing: ICEPacing) -> Duration {
        pacing.checkRTO(waiting: count(.waiting), inProgress: count(.inProgress))
    }

    /// True when no pair can still succeed or be checked: all Succeeded or Failed.
    public var isFinished: Bool { pairs.allSatisfy { $0.state == .succeeded || $0.state == .failed } }

    // MARK: - Transitions

    /// §6.1.2.6: every pair Frozen, then for each pair foundation the first
    /// pair (lowest component id, then highest priority) goes to Waiting.
    public mutating func computeInitialStates() {
        for index in pairs.indices { pairs[index].state = .frozen }
        let order = pairs.indices.sorted {
            pairs[$0].componentID != pairs[$1].componentID ? pairs[$0].componentID < pairs[$1].componentID
                                                           : pairs[$0].priority > pairs[$1].priority
        }
        var unfrozen = Set<String>()
        for index in order where unfrozen.insert(pairs[index].foundation).inserted {
            pairs[index].state = .waiting
        }
    }

    /// Applies `event` to pair `id` and returns its new state. A transition the
    /// RFC does not allow, or an unknown id, is API misuse.
    @discardableResult
    public mutating func apply(_ event: ICEPairState.Event, toPair id: Int) throws -> ICEPairState {
        guard let index = pairs.firstIndex(where: { $0.id == id }) else {
            throw ICEError(.unknownPair, "no pair #\(id) in the checklist")
        }
        guard let next = pairs[index].state.next(on: event) else {
            throw ICEError(.invalidTransition, "pair #\(id) cannot take \(event.rawValue) while \(pairs[index].state)")
        }
        pairs[index].state = next
        return next
    }

    /// What a triggered check did (§7.3.1.4).
    public enum TriggerOutcome: Hashable, Sendable {
        /// The pair already succeeded: nothing to do.
        case alreadySucceeded
        /// The pair is queued; when `cancelledInFlight`, the agent stops
        /// retransmitting the check in flight (but still accepts its response).
        case queued(cancelledInFlight: Bool)
    }

    /// A request arrived on pair `id`: queue a triggered check for it.
    public mutating func triggerCheck(pair id: Int) throws -> TriggerOutcome {
        guard let before = pair(id)?.state else { throw ICEError(.unknownPair, "no pair #\(id) in the checklist") }
        if before == .succeeded { return .alreadySucceeded }
        try apply(.triggerCheck, toPair: id)
        triggeredQueue.enqueue(id)
        return .queued(cancelledInFlight: before == .inProgress)
    }

    /// A check on pair `id` succeeded: the pair is Succeeded and every Frozen
    /// pair with the same foundation is unfrozen (§7.2.5.3.3), since a path
    /// like it now looks promising. Returns the ids unfrozen.
    @discardableResult
    public mutating func checkSucceeded(pair id: Int) throws -> [Int] {
        try apply(.checkSucceeded, toPair: id)
        guard unfreezesPairs, let foundation = pair(id)?.foundation else { return [] }
        var unfrozen: [Int] = []
        for index in pairs.indices where pairs[index].state == .frozen && pairs[index].foundation == foundation {
            pairs[index].state = .waiting
            unfrozen.append(pairs[index].id)
        }
        return unfrozen
    }

    /// A 487 came back for pair `id`: it returns to Waiting and is queued for a
    /// triggered check (§7.2.5.1); switch the role first with `switchRole(to:)`
    /// when `ICERoleConflict.decideAfter487` says so.
    public mutating func roleConflict(pair id: Int) throws {
        try apply(.roleConflict, toPair: id)
        triggeredQueue.enqueue(id)
    }

    /// Picks the pair for the next check, when Ta allows one (§6.1.4.2), and
    /// moves it to In-Progress: the front of the triggered-check queue first;
    /// otherwise, if no pair is Waiting, each Frozen pair whose foundation has
    /// no Waiting or In-Progress pair is unfrozen; then the highest-priority
    /// Waiting pair. Nil when there is nothing to check.
    public mutating func nextCheck() -> ICECandidatePair? {
        while let id = triggeredQueue.dequeue() {
            if let index = pairs.firstIndex(where: { $0.id == id }), pairs[index].state == .waiting {
                pairs[index].state = .inProgress
                return pairs[index]
            }
        }
        guard unfreezesPairs else { return nil }
        if count(.waiting) == 0 {
            let busy = Set(pairs.filter { $0.state == .waiting || $0.state == .inProgress }.map(\.foundation))
            var unfrozen = Set<String>()
            for index in pairs.indices where pairs[index].state == .frozen && !busy.contains(pairs[index].foundation) {
                // One per foundation, the highest-priority one (pairs are sorted).
                if unfrozen.insert(pairs[index].foundation).inserted { pairs[index].state = .waiting }
            }
        }
        guard let index = pairs.firstIndex(where: { $0.state == .waiting }) else { return nil }
        pairs[index].state = .inProgress
        return pairs[index]
    }

    /// Marks pair `id` nominated (§8.1.1: only once its check succeeded).
    public mutating func nominate(pair id: Int) throws {
        guard let index = pairs.firstIndex(where: { $0.id == id }) else {
            throw ICEError(.unknownPair, "no pair #\(id) in the checklist")
        }
        guard pairs[index].state == .succeeded else {
            throw ICEError(.invalidTransition, "pair #\(id) is \(pairs[index].state); only a succeeded pair is nominated")
        }
        pairs[index].isNominated = true
    }

    /// §8.1.2: once a pair of `componentID` is nominated, the Waiting and
    /// Frozen pairs of that component leave the checklist (and so the
    /// triggered-check queue): checking them could only find a path nobody
    /// will use. Returns the ids removed.
    @discardableResult
    public mutating func removeUncheckedPairs(componentID: Int) -> [Int] {
        let removed = pairs.filter { $0.componentID == componentID && ($0.state == .waiting || $0.state == .frozen) }
                           .map(\.id)
        pairs.removeAll { removed.contains($0.id) }
        return removed
    }

    /// Changes role: every pair priority is recomputed (G and D swap) and the
    /// list re-sorted; states, ids and the triggered queue stay (§7.2.5.1).
    public mutating func switchRole(to newRole: ICERole) {
        role = newRole
        for index in pairs.indices {
            pairs[index].priority = ICEPairPriority.compute(local: pairs[index].local.priority,
                                                            remote: pairs[index].remote.priority, role: newRole)
        }
        pairs.sort { $0.priority != $1.priority ? $0.priority > $1.priority : $0.id < $1.id }
    }

    /// A signaled candidate whose address we already learnt as peer-reflexive: its
    /// check overtook its signaling (§7.3.1.3; trickle makes that race common). The
    /// signaled type, foundation and related address replace the guessed ones in the
    /// remote candidate and its pairs, so a relayed peer shows as relayed. The
    /// priority stays the one the check carried, so no pair moves in the checklist
    /// under a check in progress. Returns the ids of the pairs changed.
    mutating func adoptSignaledIdentity(of candidate: ICECandidate) -> [Int] {
        guard candidate.type != .peerReflexive,
              let index = remoteCandidates.firstIndex(where: { $0.type == .peerReflexive && $0.address == candidate.address
                  && $0.componentID == candidate.componentID && $0.transport == candidate.transport }) else { return [] }
        remoteCandidates[index].type = candidate.type
        remoteCandidates[index].foundation = candidate.foundation
        remoteCandidates[index].relatedAddress = candidate.relatedAddress
        let adopted = remoteCandidates[index]
        var changed: [Int] = []
        for position in pairs.indices where pairs[position].remote.address == adopted.address
            && pairs[position].remote.componentID == adopted.componentID && pairs[position].remote.transport == adopted.transport {
            pairs[position].remote = adopted
            changed.append(pairs[position].id)
        }
        return changed
    }

    /// Adds a pair for a candidate learnt late (a trickled or peer-reflexive
    /// remote, §7.3.1.4), unless the pair exists or cannot be formed. Its
    /// state follows §6.1.2.6 applied to one pair (as RFC 8838 §11 asks of
    /// trickled pairs): Frozen behind a Waiting or In-Progress pair of the
    /// same foundation, else Waiting, so a lone new path is checked at once.
    /// Returns its id (the existing one when redundant).
    @discardableResult
    public mutating func add(local: ICECandidate, remote: ICECandidate) -> Int? {
        guard Self.canPair(local, remote) else { return nil }
        var pair = ICECandidatePair(id: nextID, local: local, remote: remote, role: role)
        if local.type == .serverReflexive { pair.local = Self.baseCandidate(of: local, among: localCandidates) }
        if let existing = pairs.first(where: { PairKey($0) == PairKey(pair) }) { return existing.id }
        guard pairs.count < maximumPairs else { return nil }
        let blocked = pairs.contains {
            $0.foundation == pair.foundation && ($0.state == .waiting || $0.state == .inProgress)
        }
        pair.state = blocked || !unfreezesPairs ? .frozen : .waiting
        nextID += 1
        let position = pairs.firstIndex { $0.priority < pair.priority } ?? pairs.endIndex
        pairs.insert(pair, at: position)
        return pair.id
    }
}
