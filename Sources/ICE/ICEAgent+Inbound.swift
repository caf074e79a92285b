import STUN
import Wire

/// Incoming datagrams: RFC 7983 demultiplexing, answers to our transactions,
/// checks from the peer (§7.3) and application data on known pairs.
extension ICEAgent {
    /// Routes one received datagram. Nothing a peer sends can trap: anything
    /// unusable becomes `.dropped`.
    mutating func receive(_ datagram: Datagram) {
        guard configuration.hostAddresses.contains(datagram.destination) else {
            return drop(datagram, "\(datagram.destination) is not one of our bases")
        }
        if let index = relayIndex(for: datagram) {
            // TURN traffic: the client unwraps it; peers' data comes back through `process`.
            relays[index].client.handle(.datagram(datagram, at: now))
            return drainRelays()
        }
        guard !isClosed else { return drop(datagram, "the agent is closed") }
        process(datagram)
    }

    /// Handles a datagram received on a base, or on a relayed address (unwrapped by the TURN client).
    mutating func process(_ datagram: Datagram) {
        guard !datagram.payload.isEmpty else { return drop(datagram, "empty datagram") }
        guard DemuxedProtocol.classify(datagram.payload) == .stun else { return receiveData(datagram) }
        let message: STUNMessage
        do { message = try STUNMessage(parsing: datagram.payload) } catch {
            return drop(datagram, "not STUN: \(error)")
        }
        switch message.messageType.messageClass {
        case .request:
            receiveCheck(datagram)
        case .indication:
            break // a keepalive (§11): its only job was to cross the NATs
        case .successResponse, .errorResponse:
            let id = message.transactionID
            if let entry = inFlight[id] {
                receiveResponse(datagram, entry: entry, transactionID: id)
            } else if let index = gatherers.firstIndex(where: { $0.localAddress == datagram.destination && $0.isPending(id) }) {
                gatherers[index].handle(.datagram(datagram, at: now))
                drainGatherers()
            } else {
                drop(datagram, "response for unknown transaction \(id)")
            }
        }
    }

    /// Non-STUN bytes are application data when they arrive on a pair we know
    /// (the checklist, the valid list or the selected pair); anything else is
    /// dropped: nothing unauthenticated may reach DTLS.
    private mutating func receiveData(_ datagram: Datagram) {
        let local = datagram.destination, remote = datagram.source
        let known = isSelected(local: local, remote: remote)
            || validPairs.values.contains { $0.local.base == local && $0.remote.address == remote }
            || checklist.pairs.contains { $0.local.base == local && $0.remote.address == remote }
        guard known else { return drop(datagram, "data from \(remote), which is on no candidate pair") }
        outputs.emit(.dataReceived(datagram.payload, from: remote, to: local))
    }

    /// §7.3.1: validate, settle roles, answer, learn a peer-reflexive
    /// candidate, queue a triggered check, note a nomination.
    private mutating func receiveCheck(_ datagram: Datagram) {
        let reply = { (payload: [UInt8]) in Datagram(from: datagram.destination, to: datagram.source, payload: payload) }
        let check: ICEInboundCheck
        switch ICEConnectivityCheck.validate(datagram.payload, local: localCredentials) {
        case let .discard(reason):
            return drop(datagram, reason)
        case .keepalive:
            return
        case let .reject(rejection):
            if let bytes = try? ICEResponses.error(for: rejection, local: localCredentials) { transmit(reply(bytes)) }
            return drop(datagram, "check rejected with \(rejection.code.rawValue): \(rejection.reason)")
        case let .check(valid):
            check = valid
        }
        if let remote = remoteCredentials, check.remoteUfrag != remote.ufrag {
            return drop(datagram, "check from ufrag \(check.remoteUfrag), the peer's is \(remote.ufrag)")
        }
        switch ICERoleConflict.decide(localRole: role, localTieBreaker: tieBreaker, peer: check.claimedRole) {
        case .respondRoleConflict:
            if let bytes = try? ICEResponses.roleConflict(to: check, local: localCredentials) { transmit(reply(bytes)) }
            return
        case let .switchRole(to: newRole):
            switchRole(to: newRole)
        case .noConflict:
            break
        }
        if let bytes = try? ICEResponses.success(to: check, source: datagram.source, local: localCredentials) {
            transmit(reply(bytes))
        }
        guard let route = checklist.routeIncomingCheck(receivedOn: datagram.destination, from: datagram.source,
                                                       priority: check.priority, newFoundation: newRemoteFoundation())
        else { return }
        if let learnt = route.learntRemote {
            outputs.emit(.peerReflexiveLearnt(learnt, isLocal: false))
            emitPairState(route.pairID)
        }
        let id = route.pairID
        if !nominated, let outcome = try? checklist.triggerCheck(pair: id), case let .queued(cancelled) = outcome {
            if cancelled {
                // §7.3.1.4: stop retransmitting the check in flight; the triggered one replaces it.
                for (key, entry) in inFlight where entry.pairID == id && entry.kind == .ordinary {
                    inFlight[key]?.cancelled = true
                }
            }
            emitPairState(id)
        }
        guard check.useCandidate, role == .controlled else { return }
        if checklist.pair(id)?.state == .succeeded, validPairs[id] != nil {
            if !(validPairs[id]?.isNominated ?? false) || selectedPair == nil { select(id) }
        } else {
            nominateOnSuccess.insert(id)
        }
    }

    /// A foundation for a remote peer-reflexive candidate, distinct from every remote one.
    private mutating func newRemoteFoundation() -> String {
        let taken = Set(checklist.remoteCandidates.map(\.foundation))
        var foundation: String
        repeat {
            learntRemoteCount += 1
            foundation = "prflx\(learntRemoteCount)"
        } while taken.contains(foundation)
        return foundation
    }
}
