import DataChannels
import MeshProtocol
import WebRTC

/// One PeerConnection per peer: offer, answer, candidates, the "mesh" channel,
/// and the end of a connection. Loop jobs only (see `MeshAgentEngine`).
extension MeshAgentEngine {
    // MARK: - Offering

    /// `connect(to:)`: offers unless something is already under way.
    func connect(to peer: String) async -> MeshAgentError? {
        guard !peer.isEmpty, peer != me else {
            return MeshAgentError(code: "unknown_peer", description: "cannot connect to ourselves")
        }
        guard links[peer] == nil else { return nil }
        return await offer(to: peer)
    }

    /// Creates a PeerConnection and its "mesh" channel, and sends the offer.
    func offer(to peer: String) async -> MeshAgentError? {
        guard connection != nil else {
            return MeshAgentError(code: "signaling_lost", description: "cannot offer to '\(peer)': signaling is down (reconnecting)")
        }
        if let refused = tooManyPeers(peer) { return refused }
        let generation = nextGeneration
        nextGeneration += 1
        do {
            let pc = try await RTCPeerConnection(configuration: configuration.peerConnection, host: host)
            let created = ContinuousClock.now
            var pair = MeshTimeline.PairSteps(offerer: true)
            pair.created = created
            shared.updateTimeline { $0.pairs[peer] = pair }
            links[peer] = PeerLink(peer: peer, generation: generation, connection: pc, phase: .offering, awaitingAnswer: true)
            shared.setLive(peer, pc)
            watchConnection(peer, generation: generation, pc)
            // Ordered and reliable, opened in-band (DCEP): chatixia's "mesh" channel.
            let channel = try await pc.createDataChannel(MeshDefaults.channelLabel, options: RTCDataChannelInit())
            links[peer]?.tasks.append(Task { [weak self] in
                let state = await channel.waitUntilOpen()
                if state == .open {
                    self?.submit(.channelOpen(peer, generation: generation, channel))
                } else {
                    self?.submit(.channelEnded(peer, generation: generation, reason: "the channel is \(state.rawValue)"))
                }
            })
            let offer = try await pc.createOffer()
            try await pc.setLocalDescription(offer)
            guard await sendFrame(.offer, to: peer, payload: SessionPayload(sdp: offer.sdp).json) else {
                throw MeshAgentError(code: "signaling_lost", description: "the offer could not be sent")
            }
            let sent = ContinuousClock.now
            shared.updatePair(peer) { $0.offer = sent }
            forwardCandidates(peer, generation: generation, pc)
            links[peer]?.tasks.append(submit(after: configuration.connectTimeout, .connectTimeout(peer, generation: generation)))
            return nil
        } catch {
            await endLink(peer, generation: generation, reason: "offer failed: \(error)", code: nil)
            return MeshAgentError(code: "connect_failed", description: "cannot offer to '\(peer)': \(error)")
        }
    }

    /// The `maxPeers` bound, for a peer we have no connection with yet.
    func tooManyPeers(_ peer: String) -> MeshAgentError? {
        guard links[peer] == nil, links.count >= configuration.maxPeers else { return nil }
        return MeshAgentError(code: "too_many_peers",
                              description: "not connecting to '\(peer)': already \(links.count) peers (maxPeers \(configuration.maxPeers))")
    }

    // MARK: - Relayed frames

    func relayedFrame(_ frame: SignalingMessage) async {
        let peer = frame.peerID
        do {
            switch frame.kind {
            case .offer: try await offerArrived(from: peer, SessionPayload(frame.payload))
            case .answer: try await answerArrived(from: peer, SessionPayload(frame.payload))
            case .iceCandidate: try await candidateArrived(from: peer, CandidatePayload(frame.payload))
            default: break
            }
        } catch let error as MeshWireError {
            shared.emit(.error(code: "bad_signaling_frame", message: "\(frame.kind.name) from '\(peer)': \(error)"))
        } catch {
            shared.emit(.error(code: "connect_failed", message: "\(frame.kind.name) from '\(peer)': \(error)"))
        }
    }

    func offerArrived(from peer: String, _ payload: SessionPayload) async throws {
        let received = ContinuousClock.now
        switch MeshPlanner.onOffer(localID: me, remoteID: peer, phase: links[peer]?.phase) {
        case .ignore:
            links[peer]?.discardingCandidates = true
            return
        case .replaceAndAnswer:
            if let link = links[peer] {
                await endLink(peer, generation: link.generation, reason: "the peer started a new connection", code: nil,
                              keepPending: true)
            }
        case .answer:
            if let refused = tooManyPeers(peer) {
                shared.emit(.error(code: refused.code, message: refused.description))
                return
            }
        }
        let generation = nextGeneration
        nextGeneration += 1
        do {
            let pc = try await RTCPeerConnection(configuration: configuration.peerConnection, host: host)
            var pair = MeshTimeline.PairSteps(offerer: false)
            pair.created = ContinuousClock.now
            pair.offer = received
            shared.updateTimeline { $0.pairs[peer] = pair }
            links[peer] = PeerLink(peer: peer, generation: generation, connection: pc, phase: .answering)
            shared.setLive(peer, pc)
            watchConnection(peer, generation: generation, pc)
            links[peer]?.tasks.append(Task { [weak self] in
                for await channel in pc.incomingChannels {
                    guard channel.label == MeshDefaults.channelLabel else {
                        await channel.close()  // the mesh has one channel per pair
                        continue
                    }
                    self?.submit(.channelOpen(peer, generation: generation, channel))
                    break
                }
            })
            try await pc.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: payload.sdp))
            links[peer]?.hasRemoteDescription = true
            await applyPending(peer)
            let answer = try await pc.createAnswer()
            try await pc.setLocalDescription(answer)
            guard await sendFrame(.answer, to: peer, payload: SessionPayload(sdp: answer.sdp).json) else {
                throw MeshAgentError(code: "signaling_lost", description: "the answer could not be sent")
            }
            let sent = ContinuousClock.now
            shared.updatePair(peer) { $0.answer = sent }
            forwardCandidates(peer, generation: generation, pc)
            links[peer]?.tasks.append(submit(after: configuration.connectTimeout, .connectTimeout(peer, generation: generation)))
        } catch {
            await endLink(peer, generation: generation, reason: "answering failed: \(error)", code: nil)
            throw error
        }
    }

    func answerArrived(from peer: String, _ payload: SessionPayload) async throws {
        guard let link = links[peer], MeshPlanner.acceptsAnswer(phase: link.phase, awaitingAnswer: link.awaitingAnswer) else {
            return  // stale: an answer to an offer we dropped
        }
        let received = ContinuousClock.now
        links[peer]?.awaitingAnswer = false
        links[peer]?.discardingCandidates = false
        do {
            try await link.connection.setRemoteDescription(RTCSessionDescription(type: .answer, sdp: payload.sdp))
        } catch {
            await endLink(peer, generation: link.generation, reason: "the answer was refused: \(error)", code: nil)
            throw error
        }
        links[peer]?.hasRemoteDescription = true
        shared.updatePair(peer) { $0.answer = received }
        await applyPending(peer)
    }

    // MARK: - Candidates

    func candidateArrived(from peer: String, _ candidate: CandidatePayload) async throws {
        let link = links[peer]
        let action = MeshPlanner.onCandidate(phase: link?.phase, hasRemoteDescription: link?.hasRemoteDescription ?? false,
                                             discarding: link?.discardingCandidates ?? false)
        switch action {
        case .discard:
            return
        case .buffer:
            if candidate.isEndOfCandidates { return }  // nothing to apply later
            if !pending.add(candidate, for: peer) {
                shared.emit(.error(code: "candidate_dropped",
                                   message: "more than \(pending.perPeerLimit) early candidates from '\(peer)': dropped one"))
            }
        case .apply:
            guard let link else { return }
            await apply(candidate, to: link)
        }
        let now = ContinuousClock.now
        shared.updatePair(peer) { $0.noteCandidate(at: now) }
    }

    /// Adds the candidates kept for `peer` to its PeerConnection.
    func applyPending(_ peer: String) async {
        guard let link = links[peer] else { return }
        for candidate in pending.take(for: peer) { await apply(candidate, to: link) }
    }

    func apply(_ candidate: CandidatePayload, to link: PeerLink) async {
        guard candidate.isFirstMLine || candidate.sdpMid == nil else { return }  // one m-line in a DataChannel session
        let line = candidate.isEndOfCandidates ? nil
            : RTCIceCandidateInit(candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0",
                                  sdpMLineIndex: candidate.sdpMLineIndex ?? 0)
        // A candidate we cannot use (mDNS, TCP, malformed) is the peer's problem,
        // not a reason to drop the connection: the others may work.
        try? await link.connection.addIceCandidate(line)
    }

    /// Trickles our candidates to the peer, after the offer or answer was sent
    /// (so they never overtake it).
    func forwardCandidates(_ peer: String, generation: Int, _ pc: RTCPeerConnection) {
        links[peer]?.tasks.append(Task { [weak self] in
            for await candidate in pc.localCandidates {
                // End-of-candidates is not sent: chatixia's peers do not expect it.
                guard let candidate, let self else { break }
                guard await self.sendCandidate(candidate, to: peer, generation: generation) else { break }
            }
        })
    }

    /// Sends one local candidate if its PeerConnection is still the peer's; false to stop forwarding.
    func sendCandidate(_ candidate: RTCIceCandidateInit, to peer: String, generation: Int) async -> Bool {
        guard links[peer]?.generation == generation else { return false }
        let payload = CandidatePayload(candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? "0",
                                       sdpMLineIndex: candidate.sdpMLineIndex ?? 0)
        await sendFrame(.iceCandidate, to: peer, payload: payload.json)
        let now = ContinuousClock.now
        shared.updatePair(peer) { $0.noteCandidate(at: now) }
        return true
    }

    // MARK: - Channel and connection

    func watchConnection(_ peer: String, generation: Int, _ pc: RTCPeerConnection) {
        links[peer]?.tasks.append(Task { [weak self] in
            for await state in pc.connectionStates {
                self?.submit(.connectionState(peer, generation: generation, state))
            }
        })
    }

    func channelOpened(_ peer: String, generation: Int, _ channel: RTCDataChannel) {
        guard var link = links[peer], link.generation == generation, link.phase != .open else { return }
        link.phase = .open
        link.channel = channel
        let now = ContinuousClock.now
        let milestones = link.connection.milestones
        shared.updatePair(peer) { pair in
            pair.absorb(milestones)
            pair.channelOpen = now
        }
        shared.setOpen(peer, channel)
        shared.emit(.peerConnected(peer))
        // Messages are read only now, so `peerConnected` always comes before them.
        let maxBytes = configuration.maxMessageBytes
        let shared = self.shared
        link.tasks.append(Task { [weak self] in
            for await message in channel.messages {
                shared.emit(Self.event(for: message, from: peer, maxBytes: maxBytes))
            }
            self?.submit(.channelEnded(peer, generation: generation, reason: "the channel closed"))
        })
        links[peer] = link
    }

    /// A DataChannel message as an event: the mesh message, or an error for a malformed one.
    static func event(for message: DataChannelMessage, from peer: String, maxBytes: Int) -> MeshAgentEvent {
        let text: String
        switch message {
        case let .text(value): text = value
        case let .binary(bytes):
            // Browsers may send text as binary; accept it when it is UTF-8.
            guard let value = String(validating: bytes, as: UTF8.self) else {
                return .error(code: "bad_mesh_message", message: "from '\(peer)': a binary message that is not UTF-8 text")
            }
            text = value
        }
        do {
            let size = text.utf8.count
            guard size <= maxBytes else { throw MeshWireError.tooLarge(size: size, limit: maxBytes) }
            let raw = try JSONValue.parse(text)
            return .message(from: peer, message: try MeshMessage(raw), raw: raw)
        } catch {
            return .error(code: "bad_mesh_message", message: "from '\(peer)': \(error)")
        }
    }

    func connectionChanged(_ peer: String, generation: Int, _ state: PeerConnectionState) async {
        guard let link = links[peer], link.generation == generation else { return }
        switch state {
        case .failed, .closed:
            let why = link.connection.failure.map { "\($0)" } ?? "the connection \(state.rawValue)"
            await endLink(peer, generation: generation, reason: why, code: "connect_failed")
        case .disconnected where !presence.contains(peer):
            // ICE lost the peer and the registry does not know it any more: gone.
            await endLink(peer, generation: generation, reason: "the connection was lost and the peer left", code: "connect_failed")
        default:
            break
        }
    }

    /// Closes and forgets generation `generation` of `peer`'s connection:
    /// `peerDisconnected` if its channel was open, else an error event with `code`
    /// (none when nil: a replacement, not a failure). Forgetting it lets a later
    /// `peer_list`, offer or `connect` start over.
    func endLink(_ peer: String, generation: Int, reason: String, code: String?, keepPending: Bool = false) async {
        guard let link = links[peer], link.generation == generation else { return }
        links[peer] = nil
        for task in link.tasks { task.cancel() }
        shared.setOpen(peer, nil)
        shared.setLive(peer, nil)
        if !keepPending { pending.discard(for: peer) }
        let milestones = link.connection.milestones
        shared.updatePair(peer) { $0.absorb(milestones) }
        await link.connection.close()
        if link.phase == .open {
            shared.emit(.peerDisconnected(peer))
        } else if let code {
            shared.emit(.error(code: code, message: "connection to '\(peer)' failed: \(reason)"))
        }
        logger.debug("link to \(peer) ended: \(reason)")
    }
}
