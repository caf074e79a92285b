import DTLS
import ICE
import SDP
import Wire

/// JSEP (RFC 9429 §5): descriptions in and out, mapped onto the layers.
extension PeerConnectionCore {
    /// The kind of a session description (W3C RTCSdpType; no pranswer or rollback yet).
    public enum DescriptionKind: String, Hashable, Sendable, Codable {
        /// An offer.
        case offer
        /// An answer.
        case answer
    }

    /// A builder carrying our fingerprint, message size and credentials.
    private func builder(candidates: Bool) -> DataChannelSessionBuilder {
        var builder = DataChannelSessionBuilder(fingerprint: certificate.fingerprint(),
                                                maxMessageSize: UInt64(configuration.maxMessageSize))
        builder.iceCredentials = (localCredentials.ufrag, localCredentials.password)
        if candidates, let ice {
            // Non-trickle peers (the webrtc-echoes convention) read every candidate from the SDP.
            builder.candidates = ice.gatheredCandidates.map(CandidateConversion.sdp)
            builder.endOfCandidates = ice.isGatheringComplete
        }
        return builder
    }

    /// W3C createOffer(): a DataChannel offer with `setup:actpass` and every
    /// candidate gathered so far (none before `setLocalDescription`).
    public func createOffer() throws(PeerConnectionError) -> SessionDescription {
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        guard signalingState == .stable || signalingState == .haveLocalOffer else {
            throw PeerConnectionError(.invalidState, "createOffer in signaling state \(signalingState.rawValue)")
        }
        do {
            return try builder(candidates: true).makeOffer(using: &random)
        } catch {
            throw PeerConnectionError(.localFailure, "cannot build the offer: \(error)")
        }
    }

    /// W3C createAnswer(): accepts the offer's DataChannel section; the answerer
    /// takes the DTLS client role (`setup:active`) when the offer leaves the choice.
    public func createAnswer() throws(PeerConnectionError) -> SessionDescription {
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        guard signalingState == .haveRemoteOffer, let offer = remoteDescription else {
            throw PeerConnectionError(.invalidState, "createAnswer needs a remote offer (signaling state \(signalingState.rawValue))")
        }
        do {
            return try builder(candidates: true).makeAnswer(to: offer, preferredRole: .active, using: &random)
        } catch {
            throw PeerConnectionError(.invalidDescription, "cannot answer this offer: \(error)", origin: .peer)
        }
    }

    /// W3C setLocalDescription(): applies our offer or answer. Gathering starts
    /// here (candidates follow as `.localCandidate` events).
    public func setLocalDescription(_ description: SessionDescription, as kind: DescriptionKind,
                                    at now: Instant) throws(PeerConnectionError) {
        self.now = max(self.now, now)
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        let local: RemoteDataChannelDescription
        do {
            local = try RemoteDataChannelDescription(validating: description, as: kind == .offer ? .offer : .answer)
        } catch {
            throw PeerConnectionError(.invalidArgument, "the local description is not a DataChannel \(kind.rawValue): \(error)")
        }
        guard local.iceUfrag == localCredentials.ufrag, local.icePwd == localCredentials.password else {
            throw PeerConnectionError(.invalidArgument, "the local description's ICE credentials are not this connection's")
        }
        switch (kind, signalingState) {
        case (.offer, .stable), (.offer, .haveLocalOffer):
            try makeICEAgent(role: .controlling)
            localDescription = description
            localDescriptionKind = .offer
            localSetup = local.setup
            setSignalingState(.haveLocalOffer)
        case (.answer, .haveRemoteOffer):
            guard let remote else { throw PeerConnectionError(.invalidState, "no remote offer") }
            do {
                dtlsRole = try DTLSRole(local: local.setup, remote: remote.setup)
            } catch {
                throw PeerConnectionError(.invalidArgument, "the answer's setup does not fit the offer's: \(error)")
            }
            localDescription = description
            localDescriptionKind = .answer
            setSignalingState(.stable)
        default:
            throw PeerConnectionError(.invalidState, "cannot apply a local \(kind.rawValue) in signaling state \(signalingState.rawValue)")
        }
        startICE()
        pump()
    }

    /// W3C setRemoteDescription(): applies the peer's offer or answer, its
    /// candidates and its `a=max-message-size`.
    public func setRemoteDescription(_ description: SessionDescription, as kind: DescriptionKind,
                                     at now: Instant) throws(PeerConnectionError) {
        self.now = max(self.now, now)
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        let parsed: RemoteDataChannelDescription
        do {
            parsed = try RemoteDataChannelDescription(validating: description, as: kind == .offer ? .offer : .answer)
        } catch {
            throw PeerConnectionError(.invalidDescription, "the remote \(kind.rawValue) is unusable: \(error)", origin: .peer)
        }
        let credentials: ICECredentials
        do {
            credentials = try ICECredentials(ufrag: parsed.iceUfrag, password: parsed.icePwd)
        } catch {
            throw PeerConnectionError(.invalidDescription, "the remote ICE credentials are unusable: \(error)", origin: .peer)
        }
        switch (kind, signalingState) {
        case (.offer, .stable):
            if let previous = remote, previous.iceUfrag != parsed.iceUfrag {
                throw PeerConnectionError(.invalidDescription, "ICE restart is not supported", origin: .peer)
            }
            try makeICEAgent(role: .controlled)
            remote = parsed
            remoteDescription = description
            setSignalingState(.haveRemoteOffer)
        case (.answer, .haveLocalOffer):
            guard let localSetup else { throw PeerConnectionError(.invalidState, "no local offer") }
            do {
                dtlsRole = try DTLSRole(local: localSetup, remote: parsed.setup)
            } catch {
                throw PeerConnectionError(.invalidDescription, "the answer's setup does not fit our offer: \(error)", origin: .peer)
            }
            remote = parsed
            remoteDescription = description
            setSignalingState(.stable)
        default:
            throw PeerConnectionError(.invalidState, "cannot apply a remote \(kind.rawValue) in signaling state \(signalingState.rawValue)")
        }
        pendingRemoteCredentials = credentials
        for candidate in parsed.candidates { queueRemoteCandidate(candidate) }
        if parsed.hasEndOfCandidates { pendingEndOfCandidates = true }
        applyRemoteICE()
        startTransportIfReady()
        pump()
    }

    /// W3C addIceCandidate(): one trickled remote candidate (RFC 8838). An
    /// unusable one (mDNS, TCP) is reported as `.remoteCandidateSkipped`.
    public func addRemoteCandidate(_ candidate: Candidate, at now: Instant) throws(PeerConnectionError) {
        self.now = max(self.now, now)
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        guard remote != nil else {
            throw PeerConnectionError(.invalidState, "addIceCandidate needs a remote description first")
        }
        queueRemoteCandidate(candidate)
        applyRemoteICE()
        pump()
    }

    /// The trickle form: `candidate:...` text (an empty string means end-of-candidates, W3C).
    public func addRemoteCandidate(line: String, at now: Instant) throws(PeerConnectionError) {
        if line.isEmpty { return try endOfRemoteCandidates(at: now) }
        let candidate: Candidate
        do {
            candidate = try Candidate(parsing: line)
        } catch {
            outputs.emit(.remoteCandidateSkipped(line, reason: "malformed: \(error)"))
            return
        }
        try addRemoteCandidate(candidate, at: now)
    }

    /// The peer said end-of-candidates.
    public func endOfRemoteCandidates(at now: Instant) throws(PeerConnectionError) {
        self.now = max(self.now, now)
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        guard remote != nil else {
            throw PeerConnectionError(.invalidState, "end-of-candidates needs a remote description first")
        }
        pendingEndOfCandidates = true
        applyRemoteICE()
        pump()
    }

    /// The applied local description with every candidate gathered so far, and
    /// `a=end-of-candidates` once gathering is complete: what a non-trickle peer
    /// needs (W3C `localDescription` read after gathering).
    public var currentLocalDescription: SessionDescription? {
        guard var description = localDescription, let ice else { return localDescription }
        guard let index = description.media.firstIndex(where: { $0.carriesDataChannels && $0.mediaLine.port != 0 }) else {
            return description
        }
        description.media[index].lines.removeAll { line in
            line.type == "a" && (line.value.hasPrefix("candidate:") || line.value == "end-of-candidates")
        }
        for candidate in ice.gatheredCandidates { description.media[index].append(CandidateConversion.sdp(candidate)) }
        if ice.isGatheringComplete { description.media[index].append(SDPAttribute("end-of-candidates")) }
        return description
    }

    // MARK: - ICE plumbing

    private func makeICEAgent(role: ICERole) throws(PeerConnectionError) {
        guard ice == nil else { return }
        let iceConfiguration = ICEAgentConfiguration(
            role: role, credentials: localCredentials, hostAddresses: hostAddresses,
            stunServers: configuration.stunServers, ta: configuration.iceTa,
            nominationDelay: configuration.nominationDelay, turnServers: configuration.turnServers,
            checklistStrategy: configuration.iceChecklistStrategy,
            checkTransactions: configuration.iceCheckTransactions)
        do {
            ice = try ICEAgent(configuration: iceConfiguration, random: SplitMix64(seed: random.next()))
        } catch {
            throw PeerConnectionError(.invalidArgument, "cannot create the ICE agent: \(error)")
        }
    }

    private func startICE() {
        guard !iceStarted, ice != nil else { return }
        iceStarted = true
        gatheringState = .gathering
        outputs.emit(.gatheringStateChanged(.gathering))
        ice?.start(at: now)
        applyRemoteICE()
    }

    private func queueRemoteCandidate(_ candidate: Candidate) {
        let converted: ICECandidate
        do {
            converted = try CandidateConversion.ice(candidate)
        } catch {
            outputs.emit(.remoteCandidateSkipped(candidate.description, reason: error.reason))
            return
        }
        // A loopback-only connection cannot reach anything else, and must not try
        // (the project's network rule): say so instead of checking in vain.
        if loopbackOnly, !converted.address.ip.isLoopback {
            outputs.emit(.remoteCandidateSkipped(candidate.description,
                reason: "\(converted.address.ip) is not loopback, and this connection binds loopback addresses only"))
            return
        }
        pendingRemoteCandidates.append(converted)
    }

    /// Hands the peer's credentials and candidates to the agent once it runs:
    /// the answerer's agent starts only with its answer (JSEP §5.10).
    func applyRemoteICE() {
        guard iceStarted, ice != nil else { return }
        if let credentials = pendingRemoteCredentials {
            pendingRemoteCredentials = nil
            ice?.setRemoteCredentials(credentials, at: now)
        }
        for candidate in pendingRemoteCandidates { ice?.addRemoteCandidate(candidate, at: now) }
        pendingRemoteCandidates = []
        if pendingEndOfCandidates, !(ice?.remoteEndOfCandidates ?? true) { ice?.endOfRemoteCandidates(at: now) }
    }
}
