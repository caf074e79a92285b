import STUN
import Wire

/// Outgoing checks: pacing (§14.2), retransmission (§14.3), the answers
/// (§7.2.5), role repair (§7.2.5.1) and regular nomination (§8.1.1).
extension ICEAgent {
    /// True when the next Ta slot has a check to send: exactly the cases in
    /// which `ICEChecklist.nextCheck()` returns a pair, plus a pending nomination.
    var hasCheckWork: Bool {
        guard started, !isClosed, remoteCredentials != nil, !nominated, state != .failed else { return false }
        if nominationTarget != nil, !nominationInFlight { return true }
        if checklistStrategy != nil { return strategyHasCheckWork }
        if checklist.count(.waiting) > 0 { return true }
        let busy = Set(checklist.pairs.filter { $0.state == .inProgress }.map(\.foundation))
        return checklist.pairs.contains { $0.state == .frozen && !busy.contains($0.foundation) }
    }

    /// When the controlling agent nominates at the latest (§8.1.1 leaves the
    /// moment to the agent: here `nominationDelay` after the first valid pair).
    var nominationDeadline: Instant? {
        guard started, role == .controlling, !nominated, !nominationInFlight, nominationTarget == nil,
              !validPairs.isEmpty, let firstValidAt else { return nil }
        return firstValidAt + configuration.nominationDelay
    }

    /// The controlling agent picks the valid pair to nominate: the best one,
    /// as soon as no pair of higher priority can still succeed.
    mutating func chooseNomination() {
        guard let deadline = nominationDeadline else { return }
        guard let best = validPairs.max(by: { ($0.value.priority, $1.key) < ($1.value.priority, $0.key) }) else { return }
        let better = checklist.pairs.contains {
            ($0.state == .frozen || $0.state == .waiting || $0.state == .inProgress) && $0.priority > best.value.priority
        }
        if !better || now >= deadline { nominationTarget = best.key }
    }

    /// Sends at most one new check when the Ta slot is open.
    mutating func runScheduler() {
        guard hasCheckWork, now >= (lastCheckAt.map { $0 + pacing.ta } ?? now) else { return }
        if let target = nominationTarget, !nominationInFlight, let pair = checklist.pair(target) {
            nominationInFlight = true
            sendCheck(on: pair, kind: .nominating)
        } else if let pair = checklist.nextCheck() ?? nextStrategyCheck() {
            emitPairState(pair.id)
            sendCheck(on: pair, kind: .ordinary)
        } else {
            return
        }
        lastCheckAt = now
    }

    /// Builds, records and transmits one check (ordinary, nominating or consent).
    mutating func sendCheck(on pair: ICECandidatePair, kind: CheckKind) {
        guard let remote = remoteCredentials else { return }
        let transactionID = TransactionID(using: &random)
        let datagram: Datagram
        let pending: ICEPendingCheck
        do {
            let check = try ICEConnectivityCheck(pair: pair, transactionID: transactionID, local: localCredentials,
                                                 remote: remote, role: role, tieBreaker: tieBreaker,
                                                 nominates: kind == .nominating && role == .controlling)
            datagram = Datagram(from: pair.local.base, to: pair.remote.address, payload: try check.encode())
            pending = ICEPendingCheck(check: check, sentFrom: pair.local.base, sentTo: pair.remote.address)
        } catch {
            // Only an over-long ufrag could get here; the pair cannot be checked.
            if kind == .ordinary, (try? checklist.apply(.checkFailed, toPair: pair.id)) != nil {
                emitPairState(pair.id)
                strategyCheckEnded(pair: pair.id, succeeded: false)
            }
            if kind == .nominating { nominationInFlight = false; nominationTarget = nil }
            return
        }
        // Checks use RTO = max(500 ms, Ta x (waiting + in progress)) (§14.3). A
        // consent check follows STUN's doubling from 500 ms but is sent at most
        // 4 times (0, 0.5, 1.5, 3.5 s) and abandoned at 4 s, inside the
        // shortest consent interval, so one lost datagram does not cost consent.
        let policy = kind == .consent
            ? STUNRetransmissionPolicy(initialRTO: ICEDefaults.minimumCheckRTO, maxTransmissions: 4, finalWaitMultiplier: 1)
            : STUNRetransmissionPolicy(initialRTO: checklist.checkRTO(pacing: pacing),
                                       maxTransmissions: configuration.checkTransmissions)
        let transaction: any ICECheckTransaction
        if let factory = configuration.checkTransactions {
            guard let made = factory.makeTransaction(request: datagram.payload, transactionID: transactionID,
                                                     policy: policy, at: now) else {
                // The replacement refused to send: the check is over before it began.
                checkTimedOut(InFlight(pending: pending, pairID: pair.id, kind: kind, transaction: STUNClientTransaction(
                    transactionID: transactionID, policy: policy, startingAt: now), datagram: datagram))
                return
            }
            transaction = made
        } else {
            transaction = STUNClientTransaction(transactionID: transactionID, policy: policy, startingAt: now)
        }
        inFlight[transactionID] = InFlight(pending: pending, pairID: pair.id, kind: kind, transaction: transaction,
                                           datagram: datagram)
        transmit(datagram)
        if kind != .consent {
            outputs.emit(.checkSent(pairID: pair.id, from: datagram.source, to: datagram.destination,
                                    nominating: kind == .nominating))
            if state == .new { setState(.checking) }
        }
    }

    /// Retransmits due checks and fails those that ran out of attempts.
    mutating func advanceChecks() {
        // Only transactions with a deadline: a replacement's (the lab's) may have none.
        let due = inFlight.compactMap { id, entry in entry.transaction.deadline.map { (id, $0) } }
            .filter { $0.1 <= now }
            .sorted { ($0.1, $0.0.description) < ($1.1, $1.0.description) }
        for (id, _) in due {
            guard var entry = inFlight[id] else { continue }
            switch entry.transaction.handleTimeout(at: now) {
            case .none:
                inFlight[id] = entry
            case .retransmit:
                inFlight[id] = entry
                if !entry.cancelled { transmit(entry.datagram) }
            case .timedOut:
                inFlight[id] = nil
                if !entry.cancelled { checkTimedOut(entry) }
            }
        }
    }

    mutating func checkTimedOut(_ entry: InFlight) {
        switch entry.kind {
        case .ordinary:
            if checklist.pair(entry.pairID)?.state == .inProgress {
                _ = try? checklist.apply(.checkFailed, toPair: entry.pairID)
                emitPairState(entry.pairID)
                strategyCheckEnded(pair: entry.pairID, succeeded: false)
            }
        case .nominating:
            // The pair stopped working: forget it and nominate another.
            validPairs[entry.pairID] = nil
            nominationInFlight = false
            nominationTarget = nil
        case .consent:
            break
        }
    }

    /// Judges a response to one of our checks (§7.2.5).
    mutating func receiveResponse(_ datagram: Datagram, entry: InFlight, transactionID: TransactionID) {
        let verdict = entry.pending.judge(datagram.payload, from: datagram.source, receivedOn: datagram.destination)
        if case let .discard(reason) = verdict { return drop(datagram, reason) }
        var transaction = entry.transaction
        guard transaction.handleResponse(datagram.payload, at: now) else {
            // A replacement transaction (the lab's) did not take the answer: for the
            // agent it never came, and the check goes on by that transaction's clock.
            inFlight[transactionID]?.transaction = transaction
            return drop(datagram, "the check's transaction did not take this response")
        }
        inFlight[transactionID] = nil
        if case .succeeded = verdict, entry.transaction.transmissions == 1 {
            // Karn's rule: only an answer to a request sent once times the path.
            latestRoundTripTime = now - entry.transaction.startedAt
        }
        switch (entry.kind, verdict) {
        case (_, .discard):
            break
        case (.consent, .succeeded):
            refreshConsent()
        case (.consent, _):
            break
        case let (.ordinary, .succeeded(mapped)):
            if entry.cancelled, checklist.pair(entry.pairID)?.state == .waiting {
                // The cancelled check's answer beat the triggered check: the
                // path works, so the pair goes through In-Progress to Succeeded.
                _ = try? checklist.apply(.sendCheck, toPair: entry.pairID)
            }
            checkSucceeded(pairID: entry.pairID, mapped: mapped)
        case (.ordinary, _) where entry.cancelled:
            break
        case (.ordinary, .roleConflict):
            repairRole(after: entry)
            if (try? checklist.roleConflict(pair: entry.pairID)) != nil { emitPairState(entry.pairID) }
        case (.ordinary, .failed):
            if (try? checklist.apply(.checkFailed, toPair: entry.pairID)) != nil {
                emitPairState(entry.pairID)
                strategyCheckEnded(pair: entry.pairID, succeeded: false)
            }
        case (.nominating, .succeeded):
            nominationInFlight = false
            select(entry.pairID)
        case (.nominating, .roleConflict):
            repairRole(after: entry)
            nominationInFlight = false
            nominationTarget = nil
        case (.nominating, .failed):
            checkTimedOut(entry)
        }
    }

    /// §7.2.5.3: the pair succeeds, its foundation unfreezes, a valid pair
    /// (maybe with a new local peer-reflexive candidate) is recorded.
    private mutating func checkSucceeded(pairID: Int, mapped: TransportAddress) {
        guard let unfrozen = try? checklist.checkSucceeded(pair: pairID) else { return }
        emitPairState(pairID)
        for id in unfrozen { emitPairState(id) }
        strategyCheckEnded(pair: pairID, succeeded: true)
        guard let valid = try? checklist.validPair(forSuccessOn: pairID, mapped: mapped, foundations: &foundations) else { return }
        if let learnt = valid.learntLocal { outputs.emit(.peerReflexiveLearnt(learnt, isLocal: true)) }
        validPairs[pairID] = valid.pair
        if firstValidAt == nil { firstValidAt = now }
        if state == .checking || state == .new { setState(.connected) }
        if selectedPair != nil, isSelected(local: valid.pair.local.base, remote: valid.pair.remote.address) { refreshConsent() }
        // §7.3.1.5: a nomination that arrived while this pair was being checked.
        if nominateOnSuccess.remove(pairID) != nil, role == .controlled { select(pairID) }
    }

    /// §7.2.5.1: after a 487 the agent takes the other role, unless it switched already.
    private mutating func repairRole(after entry: InFlight) {
        switch ICERoleConflict.decideAfter487(roleInRequest: entry.pending.check.role, currentRole: role) {
        case let .switchRoleAndRetry(to: newRole): switchRole(to: newRole)
        case .retry: break
        }
    }

    /// Takes `newRole`: pair priorities are recomputed (G and D swap, §6.1.2.3).
    mutating func switchRole(to newRole: ICERole) {
        guard newRole != role else { return }
        role = newRole
        checklist.switchRole(to: newRole)
        for (key, pair) in validPairs {
            validPairs[key]?.priority = ICEPairPriority.compute(local: pair.local.priority, remote: pair.remote.priority,
                                                                role: newRole)
        }
        if newRole == .controlled {
            nominationTarget = nil
            nominationInFlight = false
        }
        outputs.emit(.roleChanged(newRole))
    }

    /// Marks the valid pair produced by pair `key` nominated and selects it (§8.1.1, §7.3.1.5).
    mutating func select(_ key: Int) {
        guard var pair = validPairs[key] else { return }
        pair.isNominated = true
        validPairs[key] = pair
        _ = try? checklist.nominate(pair: pair.id)
        nominated = true
        for id in checklist.removeUncheckedPairs(componentID: pair.componentID) { outputs.emit(.pairRemoved(pairID: id)) }
        let changed = selectedPair.map { $0.local.base != pair.local.base || $0.local.address != pair.local.address
                                         || $0.remote.address != pair.remote.address } ?? true
        selectedPair = pair
        if changed {
            outputs.emit(.selectedPairChanged(pair))
            bindRelayChannel(for: pair)
        }
        setState(.completed)
        lastConsentAt = now
        nextConsentAt = now + consentJitter()
        if changed || nextKeepaliveAt == nil { nextKeepaliveAt = now + configuration.keepaliveInterval }
    }

    func isSelected(local base: TransportAddress, remote: TransportAddress) -> Bool {
        selectedPair.map { $0.local.base == base && $0.remote.address == remote } ?? false
    }
}
