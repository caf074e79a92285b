import STUN
import Wire

/// Life on the selected pair: keepalives (RFC 8445 §11) and consent freshness
/// (RFC 7675), plus the overall failure rule of §8.1.2 / RFC 8838 §8.
///
/// ```
///  selected ──(consent every 4-6 s, answers refresh it)──▶ completed
///      │ no answer for disconnectedTimeout (10 s)           ▲ an answer
///      ▼                                                    │
///  disconnected ─────────────────────────────────────────────┘
///      │ no answer for consentTimeout (30 s): consent expired, stop sending
///      ▼
///  failed
/// ```
extension ICEAgent {
    /// The consent and keepalive instants still ahead (for `nextTimeout`).
    var consentTimers: [Instant] {
        guard !isClosed, selectedPair != nil, state == .completed || state == .disconnected, let lastConsentAt else { return [] }
        var times = [lastConsentAt + configuration.consentTimeout]
        if state == .completed { times.append(lastConsentAt + configuration.disconnectedTimeout) }
        if let nextKeepaliveAt { times.append(nextKeepaliveAt) }
        if remoteCredentials != nil, let nextConsentAt { times.append(nextConsentAt) }
        return times
    }

    /// RFC 7675 §5.1: the interval is randomised to 0.8-1.2 times the mean so
    /// that consent checks of many flows do not synchronise.
    mutating func consentJitter() -> Duration {
        let mean = configuration.consentInterval
        let permille = 800 + Int(random.next(upperBound: UInt64(401)))
        return mean * permille / 1000
    }

    /// Timers: check retransmissions, gathering, keepalives, consent checks.
    mutating func advanceTimers() {
        advanceChecks()
        advanceGatherers()
        advanceRelays()
        guard !isClosed, let selectedPair, state == .completed || state == .disconnected else { return }
        if let due = nextKeepaliveAt, now >= due {
            // §11: a Binding indication keeps the NAT bindings of the pair
            // alive; sent on schedule whatever else flows, so it is predictable.
            let indication = STUNMessage(type: .bindingIndication, transactionID: TransactionID(using: &random))
            if let bytes = try? indication.encode(fingerprint: true) {
                transmit(Datagram(from: selectedPair.local.base, to: selectedPair.remote.address, payload: bytes))
            }
            nextKeepaliveAt = now + configuration.keepaliveInterval
        }
        if remoteCredentials != nil, let due = nextConsentAt, now >= due {
            sendCheck(on: selectedPair, kind: .consent)
            nextConsentAt = now + consentJitter()
        }
    }

    /// A consent check (or any check on the selected pair) was answered.
    mutating func refreshConsent() {
        lastConsentAt = now
        if state == .disconnected { setState(.completed) }
    }

    /// Moves to disconnected or failed when consent ages (RFC 7675 §5.1).
    mutating func evaluateConsent() {
        guard selectedPair != nil, state == .completed || state == .disconnected, let lastConsentAt else { return }
        if now >= lastConsentAt + configuration.consentTimeout {
            // RFC 7675 §5.1: consent expired, so nothing more may be sent on the pair.
            setState(.failed)
            inFlight = [:]
            selectedPair = nil
            self.lastConsentAt = nil
            nextConsentAt = nil
            nextKeepaliveAt = nil
        } else if state == .completed, now >= lastConsentAt + configuration.disconnectedTimeout {
            setState(.disconnected)
        }
    }

    /// Checking fails when no pair can succeed any more and no candidate can
    /// still come: every pair Failed, end-of-candidates from the peer, and our
    /// gathering complete (RFC 8838 §8). An empty checklist is not a failure:
    /// the peer's checks may still teach us a peer-reflexive candidate.
    mutating func evaluateFailure() {
        guard state == .new || state == .checking, remoteCredentials != nil, remoteEndOfCandidates,
              isGatheringComplete, validPairs.isEmpty, selectedPair == nil, !checklist.pairs.isEmpty,
              checklist.pairs.allSatisfy({ $0.state == .failed }) else { return }
        setState(.failed)
    }
}
