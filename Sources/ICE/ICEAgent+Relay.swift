import STUN
import Wire

/// Relayed candidates (RFC 8445 §5.1.1.2, RFC 8656): one `TURNClient` per
/// (base, TURN server), driven from inside the agent.
///
/// ```
///  base ──Allocate (401, signed retry)──▶ TURN server        relayed R, mapped M
///  candidate: typ relay, address R, base R, raddr M, foundation (relay, base IP, server IP)
///
///  check from R to peer P:  CreatePermission(P.ip) ──ok──▶ Send indication / ChannelData
///                            base ──────────────────────────▶ server ──UDP from R──▶ P
///  answer from P to R:       P ──▶ R ──Data indication / ChannelData──▶ base
///                            (unwrapped: processed as a datagram from P received on R)
/// ```
///
/// Datagrams from a TURN server's address to the base its client uses are the
/// client's (responses, Data indications, ChannelData), except answers to our
/// own STUN transactions (a TURN server is often the STUN server too). Every
/// datagram the agent emits "from" a relayed address goes through its client:
/// queued until the permission for the peer's IP is installed (so the first
/// check is not dropped by the server), then sent in a Send indication, or on a
/// channel once the selected pair bound one (4 bytes of overhead instead of 36).
/// Permissions are asked for every remote IP paired with the relay candidate as
/// soon as the pair exists, so the peer's checks to our relayed address pass the
/// server too. The clients keep refreshing allocation, permissions and channel;
/// `close(at:)` deallocates.
///
/// A server reached over TCP/TLS (`ICETURNServer.transport`) changes only the
/// base-to-server leg: the agent still emits datagrams from the base to the
/// server's address, and the driver must carry them on the connection (the
/// simulation does, `SimulatedNetwork.carryAsStream`); every datagram back from
/// that address is a chunk of the stream, which the client frames.
extension ICEAgent {
    /// Datagrams waiting for a permission, per relay, at most (older ones are dropped).
    static let relayQueueLimit = 64

    /// One allocation: the client, and what the agent made of it.
    struct Relay {
        var client: TURNClient
        let server: ICETURNServer
        /// The relayed candidate, once allocated.
        var candidate: ICECandidate?
        /// Allocated or given up: gathering waits for nothing more from it.
        var finished = false
        /// Peer IPs a permission was asked for (granted or in flight).
        var requested: Set<IPAddress> = []
        /// Peer IPs whose permission the server confirmed.
        var installed: Set<IPAddress> = []
        /// Datagrams waiting for their permission.
        var queued: [Datagram] = []
    }

    /// The relayed candidates gathered so far.
    public var relayedCandidates: [ICECandidate] { relays.compactMap(\.candidate) }

    /// The TURN clients the agent drives, one per base and TURN server of its family.
    public var turnClients: [TURNClient] { relays.map(\.client) }

    /// Starts an Allocate from every base to every TURN server of its family.
    mutating func startRelayGathering(at now: Instant) {
        for base in configuration.hostAddresses {
            for server in configuration.turnServers where server.address.ip.isIPv4 == base.ip.isIPv4 {
                var client = TURNClient(localAddress: base, server: server.address, username: server.username,
                                        password: server.password, transport: server.transport,
                                        policy: configuration.gatheringPolicy,
                                        random: SplitMix64(seed: random.next()))
                var relay = Relay(client: client, server: server)
                do { try client.allocate(at: now) } catch { relay.finished = true }
                relay.client = client
                relays.append(relay)
            }
        }
        drainRelays()
    }

    /// True when `datagram` (received on a base) belongs to a TURN client.
    func relayIndex(for datagram: Datagram) -> Int? {
        guard let index = relays.firstIndex(where: { $0.client.localAddress == datagram.destination
                                                     && $0.server.address == datagram.source }) else { return nil }
        // A TCP/TLS connection carries only its TURN client's bytes, in chunks no STUN parser may judge alone.
        if relays[index].server.transport.isStream { return index }
        // Answers to our own checks or STUN gathering stay ours.
        if DemuxedProtocol.classify(datagram.payload) == .stun, let message = try? STUNMessage(parsing: datagram.payload),
           message.messageType.messageClass.isResponse {
            let id = message.transactionID
            if inFlight[id] != nil || gatherers.contains(where: { $0.isPending(id) }) { return nil }
        }
        return index
    }

    /// Feeds due timeouts (retransmissions, refreshes) to the TURN clients.
    mutating func advanceRelays() {
        for index in relays.indices where (relays[index].client.nextTimeout.map { $0 <= now } ?? false) {
            relays[index].client.handle(.timeout(now))
        }
        drainRelays()
    }

    /// Emits `datagram`: directly from a base, or through the TURN client when it leaves from a relayed address.
    mutating func transmit(_ datagram: Datagram) {
        guard let index = relays.firstIndex(where: { $0.candidate?.address == datagram.source }) else {
            return outputs.transmit(datagram)
        }
        guard relays[index].client.state == .allocated else {
            return outputs.emit(.dropped(from: datagram.source, reason: "the allocation of \(datagram.source) is gone"))
        }
        let ip = datagram.destination.ip
        if relays[index].installed.contains(ip) {
            do { try relays[index].client.send(datagram.payload, to: datagram.destination, at: now) } catch {
                outputs.emit(.dropped(from: datagram.source, reason: "TURN send failed: \(error)"))
            }
            return
        }
        if !relays[index].requested.contains(ip) { requestPermissions([ip], relay: index) }
        // A retransmission of a datagram still waiting adds nothing.
        guard !relays[index].queued.contains(datagram) else { return }
        relays[index].queued.append(datagram)
        if relays[index].queued.count > Self.relayQueueLimit { relays[index].queued.removeFirst() }
    }

    /// Asks for permissions for every remote IP paired with a relayed candidate (§6.1.2.2 pairs exist: the peer may check us).
    mutating func installRelayPermissions() {
        for index in relays.indices {
            guard let relayed = relays[index].candidate?.address, relays[index].client.state == .allocated else { continue }
            var missing: [IPAddress] = []
            for pair in checklist.pairs where pair.local.base == relayed {
                let ip = pair.remote.address.ip
                if !relays[index].requested.contains(ip), !missing.contains(ip) { missing.append(ip) }
            }
            if !missing.isEmpty { requestPermissions(missing, relay: index) }
        }
    }

    private mutating func requestPermissions(_ peers: [IPAddress], relay index: Int) {
        do {
            try relays[index].client.createPermission(for: peers, at: now)
            relays[index].requested.formUnion(peers)
        } catch {
            outputs.emit(.dropped(from: relays[index].server.address, reason: "CreatePermission refused: \(error)"))
        }
    }

    /// Binds a channel to the selected pair's remote when it leaves from a relayed candidate (RFC 8656 §12).
    mutating func bindRelayChannel(for pair: ICECandidatePair) {
        guard let index = relays.firstIndex(where: { $0.candidate?.address == pair.local.base }),
              relays[index].client.state == .allocated else { return }
        _ = try? relays[index].client.bindChannel(to: pair.remote.address, at: now)
    }

    /// Moves every client's output out: datagrams to the network, events into
    /// candidates, permissions and data. Data from peers is processed as if it
    /// had arrived on the relayed address; answering it may make more output, so
    /// this loops until every client is drained.
    mutating func drainRelays() {
        var progressed = true
        while progressed {
            progressed = false
            for index in relays.indices {
                while let output = relays[index].client.poll() {
                    progressed = true
                    handleRelayOutput(output, relay: index)
                }
            }
        }
        completeGatheringIfDone()
    }

    private mutating func handleRelayOutput(_ output: EndpointOutput<TURNClientEvent>, relay index: Int) {
        switch output {
        case let .transmit(datagram):
            outputs.transmit(datagram)
        case let .event(.allocated(allocation)):
            relays[index].finished = true
            addRelayed(allocation, relay: index)
        case let .event(.permissionCreated(peers, _)):
            relays[index].installed.formUnion(peers)
            let installed = relays[index].installed
            let ready = relays[index].queued.filter { installed.contains($0.destination.ip) }
            relays[index].queued.removeAll { installed.contains($0.destination.ip) }
            for datagram in ready { transmit(datagram) }
        case let .event(.dataReceived(from, data, _, _)):
            guard !isClosed, let relayed = relays[index].candidate?.address, !data.isEmpty else { return }
            process(Datagram(from: from, to: relayed, payload: data))
        case let .event(.failed(failure)):
            relayFailed(failure, relay: index)
        case let .event(.dropped(from, reason)):
            outputs.emit(.dropped(from: from, reason: "TURN: \(reason)"))
        case .event:
            break // challenged, refreshed, channelBound, retransmitted, deallocated: the client's own business
        }
    }

    private mutating func relayFailed(_ failure: TURNFailure, relay index: Int) {
        switch failure.operation {
        case .allocate, .refresh:
            // No (more) allocation: no relayed candidate from this server.
            relays[index].finished = true
            relays[index].queued = []
        case let .createPermission(peers):
            relays[index].requested.subtract(peers)
            relays[index].installed.subtract(peers)
            relays[index].queued.removeAll { peers.contains($0.destination.ip) }
        case .channelBind:
            break // data keeps flowing in Send indications
        }
    }

    private mutating func addRelayed(_ allocation: TURNAllocation, relay index: Int) {
        let base = relays[index].client.localAddress
        guard relays[index].candidate == nil,
              let priority = try? ICECandidatePriority.compute(type: .relayed, localPreference: hostPreferences[base] ?? 0,
                                                               componentID: configuration.componentID)
        else { return }
        // §5.1.1.3: relayed candidates share a foundation when type, base IP and server agree.
        let key = ICEFoundationKey(type: .relayed, baseIP: base.ip, server: relays[index].server.address.ip)
        let candidate = ICECandidate(type: .relayed, address: allocation.relayedAddress,
                                     componentID: configuration.componentID,
                                     foundation: foundations.foundation(for: key), priority: priority,
                                     relatedAddress: allocation.mappedAddress ?? base)
        relays[index].candidate = candidate
        gatheredCandidates.append(candidate)
        for id in checklist.addLocalCandidate(candidate) { emitPairState(id) }
        outputs.emit(.candidateGathered(candidate))
    }

    /// Deletes every allocation (Refresh with LIFETIME 0, RFC 8656 §8) and stops
    /// checks, keepalives and consent: the agent is done. Data can no longer be sent.
    public mutating func close(at now: Instant) {
        self.now = max(self.now, now)
        guard !isClosed else { return }
        isClosed = true
        inFlight = [:]
        selectedPair = nil
        nextConsentAt = nil
        nextKeepaliveAt = nil
        lastConsentAt = nil
        for index in relays.indices where relays[index].client.state == .allocated {
            try? relays[index].client.deallocate(at: now)
            relays[index].queued = []
        }
        drainRelays()
    }
}
