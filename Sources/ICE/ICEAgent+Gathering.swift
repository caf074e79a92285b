import STUN
import Wire

/// Server-reflexive gathering (§5.1.1.2): one Binding request from every base
/// to every STUN server of its address family, through one `STUNClient` per
/// base. The XOR-MAPPED-ADDRESS is the srflx candidate; its base and related
/// address are the host it was sent from. An answer equal to the base (no NAT)
/// is redundant (§5.1.3) and not reported.
extension ICEAgent {
    mutating func startGathering(at now: Instant) {
        for base in configuration.hostAddresses {
            let servers = configuration.stunServers.filter { $0.ip.isIPv4 == base.ip.isIPv4 }
            guard !servers.isEmpty else { continue }
            var client = STUNClient(localAddress: base, policy: configuration.gatheringPolicy,
                                    random: SplitMix64(seed: random.next()))
            for server in servers { client.sendBindingRequest(to: server, at: now) }
            gatherers.append(client)
        }
        startRelayGathering(at: now)
        drainGatherers()
    }

    /// Feeds due timeouts to the gathering clients.
    mutating func advanceGatherers() {
        for index in gatherers.indices where (gatherers[index].nextTimeout.map { $0 <= now } ?? false) {
            gatherers[index].handle(.timeout(now))
        }
        drainGatherers()
    }

    /// Moves the clients' datagrams out, turns answers into candidates, and
    /// reports completion once no transaction is pending.
    mutating func drainGatherers() {
        for index in gatherers.indices {
            while let output = gatherers[index].poll() {
                switch output {
                case let .transmit(datagram):
                    outputs.transmit(datagram)
                case let .event(.responseReceived(response)):
                    addServerReflexive(response, base: gatherers[index].localAddress)
                case let .event(.dropped(from, reason)):
                    outputs.emit(.dropped(from: from, reason: reason))
                case .event:
                    break // error, timeout, failure: this server gives no candidate
                }
            }
        }
        completeGatheringIfDone()
    }

    /// Reports completion once no STUN transaction is pending and every TURN
    /// allocation was granted or given up (§5.1.1: relayed candidates count).
    mutating func completeGatheringIfDone() {
        guard started, !isGatheringComplete, gatherers.allSatisfy({ $0.pendingCount == 0 }),
              relays.allSatisfy(\.finished) else { return }
        isGatheringComplete = true
        outputs.emit(.gatheringComplete)
    }

    private mutating func addServerReflexive(_ response: STUNClientResponse, base: TransportAddress) {
        guard let mapped = response.mappedAddress, mapped != base,
              !gatheredCandidates.contains(where: { $0.address == mapped && $0.base == base }),
              let priority = try? ICECandidatePriority.compute(type: .serverReflexive,
                                                               localPreference: hostPreferences[base] ?? 0,
                                                               componentID: configuration.componentID)
        else { return }
        let key = ICEFoundationKey(type: .serverReflexive, baseIP: base.ip, server: response.server.ip)
        let candidate = ICECandidate(type: .serverReflexive, address: mapped, base: base,
                                     componentID: configuration.componentID,
                                     foundation: foundations.foundation(for: key), priority: priority,
                                     relatedAddress: base)
        gatheredCandidates.append(candidate)
        for id in checklist.addLocalCandidate(candidate) { emitPairState(id) }
        outputs.emit(.candidateGathered(candidate))
    }
}
