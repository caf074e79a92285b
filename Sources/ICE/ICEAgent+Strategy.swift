/// The agent's side of an `ICEChecklistStrategy`: when the strategy forms its
/// checklist, how its decisions become transitions of the agent's checklist, and
/// which results it hears of. Without a strategy every function here does nothing.
extension ICEAgent {
    /// Forms the strategy's checklist once per generation, when both candidate
    /// lists are final (gathering complete, end-of-candidates and credentials in).
    mutating func formStrategyChecklist() {
        guard var strategy = checklistStrategy, !strategyFormed, !isClosed, isGatheringComplete,
              remoteEndOfCandidates, remoteCredentials != nil else { return }
        strategyFormed = true
        let decision = strategy.form(local: gatheredCandidates, remote: checklist.remoteCandidates, role: role,
                                     checklist: checklist)
        checklistStrategy = strategy
        _ = apply(decision)
    }

    /// True when the next Ta slot has work for the strategy's side: a triggered
    /// check on a Waiting pair, or an ordinary check the strategy may choose.
    var strategyHasCheckWork: Bool {
        let triggered = checklist.triggeredQueue.pairIDs.contains { checklist.pair($0)?.state == .waiting }
        return triggered || (strategyFormed && checklistStrategy?.hasOrdinaryCheck == true)
    }

    /// The strategy's ordinary check, already In-Progress in the agent's checklist; nil without a strategy.
    mutating func nextStrategyCheck() -> ICECandidatePair? {
        guard strategyFormed, var strategy = checklistStrategy else { return nil }
        let decision = strategy.nextOrdinaryCheck(checklist: checklist)
        checklistStrategy = strategy
        return apply(decision)
    }

    /// Tells the strategy a check ended and applies what it unfreezes.
    mutating func strategyCheckEnded(pair id: Int, succeeded: Bool) {
        guard strategyFormed, var strategy = checklistStrategy else { return }
        let decision = strategy.checkEnded(pair: id, succeeded: succeeded, checklist: checklist)
        checklistStrategy = strategy
        _ = apply(decision)
    }

    /// Unfreezes what the decision says (Frozen pairs only) and moves the pair to
    /// check to In-Progress, returning it; a pair that is not Frozen or Waiting
    /// (a triggered check got to it first) is not checked twice.
    private mutating func apply(_ decision: ICEChecklistDecision) -> ICECandidatePair? {
        for id in decision.unfreeze where checklist.pair(id)?.state == .frozen {
            if (try? checklist.apply(.unfreeze, toPair: id)) != nil { emitPairState(id) }
        }
        guard let id = decision.check, let state = checklist.pair(id)?.state, state == .frozen || state == .waiting else {
            return nil
        }
        if state == .frozen { _ = try? checklist.apply(.unfreeze, toPair: id) }
        guard (try? checklist.apply(.sendCheck, toPair: id)) != nil else { return nil }
        return checklist.pair(id)
    }
}
