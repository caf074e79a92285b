import DataChannels
import ICE
import SDP
import Wire

/// A peer connection with a W3C-shaped API (webrtc-pc §4) and Swift concurrency.
///
/// ```swift
/// let pc = try await RTCPeerConnection()
/// let chat = try await pc.createDataChannel("chat")
/// let offer = try await pc.createOffer()
/// try await pc.setLocalDescription(offer)
/// // signal `offer` (and pc.localCandidates) to the peer, get its answer ...
/// try await pc.setRemoteDescription(answer)
/// try await chat.waitUntilOpen()
/// try await chat.send("hello")
/// for await message in chat.messages { ... }
/// ```
///
/// Every call is a command run on the connection's `PeerConnectionHost` thread;
/// events come back as async sequences. Thread-safe (`Sendable`).
public final class RTCPeerConnection: Sendable {
    /// The host thread this connection runs on.
    public let host: PeerConnectionHost
    /// What the connection was created with.
    public let configuration: PeerConnectionConfiguration
    /// Local candidates as they are gathered (trickle ICE); a nil element is
    /// end-of-candidates, after which the sequence finishes.
    public let localCandidates: AsyncStream<RTCIceCandidateInit?>
    /// Channels the peer opened (W3C `ondatachannel`).
    public let incomingChannels: AsyncStream<RTCDataChannel>
    /// Every connectionState change (W3C `onconnectionstatechange`).
    public let connectionStates: AsyncStream<PeerConnectionState>

    let box: AttachmentBox
    let state: Locked<FacadeState>
    private let candidateSink: AsyncStream<RTCIceCandidateInit?>.Continuation
    private let incomingSink: AsyncStream<RTCDataChannel>.Continuation
    private let stateSink: AsyncStream<PeerConnectionState>.Continuation

    struct FacadeState {
        var signaling: SignalingState = .stable
        var connection: PeerConnectionState = .new
        var ice: ICEAgentState = .new
        var gathering: GatheringState = .new
        var channels: [DataChannelID: RTCDataChannel] = [:]
        var gatheringWaiters: [CheckedContinuation<Void, Never>] = []
        var connectionWaiters: [CheckedContinuation<PeerConnectionState, Never>] = []
        var selectedPair: ICECandidatePair?
        var dtlsInfo: String?
        var skippedCandidates: [String] = []
        var failure: PeerConnectionError?
        var keyLogLines: [String] = []
        var milestones = ConnectionMilestones()
    }

    /// The attachment lives on the host thread; this box carries it across.
    /// `@unchecked Sendable`: `attachment` is written once on the host thread before
    /// the initialiser returns, and only read on the host thread afterwards.
    final class AttachmentBox: @unchecked Sendable {
        var attachment: PeerConnectionHost.Attachment?

        /// Closes the core, detaches it and closes its sockets; idempotent. Host thread only.
        func closeAndDetach(on host: PeerConnectionHost) {
            guard let attachment else { return }
            host.with(attachment) { $0.close(at: host.now()) }
            host.detach(attachment)
            self.attachment = nil
        }
    }

    /// Creates a connection on `host`: binds its UDP sockets (127.0.0.1 by
    /// default) and makes its certificate.
    /// - Throws: `.invalidArgument` for a bad configuration, `.localFailure` when
    ///   sockets or the certificate cannot be made.
    public init(configuration: PeerConnectionConfiguration = PeerConnectionConfiguration(),
                host: PeerConnectionHost = .shared) async throws {
        self.host = host
        self.configuration = configuration
        (localCandidates, candidateSink) = AsyncStream.makeStream(of: RTCIceCandidateInit?.self)
        (incomingChannels, incomingSink) = AsyncStream.makeStream(of: RTCDataChannel.self)
        (connectionStates, stateSink) = AsyncStream.makeStream(of: PeerConnectionState.self)
        box = AttachmentBox()
        state = Locked(FacadeState())
        let box = self.box
        try await host.perform { [weak self] in
            let attachment = try host.attach(configuration: configuration) { event, attachment in
                self?.receive(event, core: attachment.core)
            }
            box.attachment = attachment
        }
    }

    deinit {
        let box = self.box
        let host = self.host
        host.submit { box.closeAndDetach(on: host) }
        candidateSink.finish()
        incomingSink.finish()
        stateSink.finish()
    }

    /// Runs `body` with the core on the host thread (and sends what it produced).
    func withCore<T: Sendable>(_ body: @escaping @Sendable (PeerConnectionCore, Instant) throws -> T) async throws -> T {
        let box = self.box
        let host = self.host
        return try await host.perform {
            guard let attachment = box.attachment else {
                throw PeerConnectionError(.closed, "the peer connection is closed")
            }
            return try host.with(attachment) { core in try body(core, host.now()) }
        }
    }

    // MARK: - Offer and answer

    /// W3C createOffer().
    public func createOffer() async throws -> RTCSessionDescription {
        try await withCore { core, _ in RTCSessionDescription(type: .offer, sdp: try core.createOffer().description) }
    }

    /// W3C createAnswer().
    public func createAnswer() async throws -> RTCSessionDescription {
        try await withCore { core, _ in RTCSessionDescription(type: .answer, sdp: try core.createAnswer().description) }
    }

    /// W3C setLocalDescription(): gathering starts; candidates arrive on `localCandidates`.
    public func setLocalDescription(_ description: RTCSessionDescription) async throws {
        let parsed = try description.parsed()
        try await withCore { core, now in try core.setLocalDescription(parsed, as: description.type, at: now) }
    }

    /// W3C setLocalDescription() without an argument: creates and applies an offer
    /// (signaling state stable) or an answer (have-remote-offer), and returns it.
    @discardableResult
    public func setLocalDescription() async throws -> RTCSessionDescription {
        try await withCore { core, now in
            let kind: RTCSdpType = core.signalingState == .haveRemoteOffer ? .answer : .offer
            let description = kind == .offer ? try core.createOffer() : try core.createAnswer()
            try core.setLocalDescription(description, as: kind, at: now)
            return RTCSessionDescription(type: kind, sdp: description.description)
        }
    }

    /// W3C setRemoteDescription().
    public func setRemoteDescription(_ description: RTCSessionDescription) async throws {
        let parsed = try description.parsed()
        try await withCore { core, now in try core.setRemoteDescription(parsed, as: description.type, at: now) }
    }

    /// The description we applied, with every candidate gathered so far (what a
    /// non-trickle peer needs: W3C `localDescription` after gathering).
    public var localDescription: RTCSessionDescription? {
        get async {
            try? await withCore { core, _ -> RTCSessionDescription? in
                guard let kind = core.localDescriptionKind, let description = core.currentLocalDescription else { return nil }
                return RTCSessionDescription(type: kind, sdp: description.description)
            }
        }
    }

    /// W3C addIceCandidate(); nil (or an empty candidate) is end-of-candidates.
    /// An unusable candidate (mDNS `.local`, TCP) is skipped and reported in `skippedCandidates`.
    public func addIceCandidate(_ candidate: RTCIceCandidateInit?) async throws {
        let line = candidate?.candidate ?? ""
        try await withCore { core, now in try core.addRemoteCandidate(line: line, at: now) }
    }

    /// Waits until gathering is complete (for non-trickle signaling).
    public func waitForGatheringComplete() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.gathering == .complete { return true }
                state.gatheringWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Waits until the connection is connected, failed or closed, and returns that state.
    public func waitUntilConnected() async -> PeerConnectionState {
        await withCheckedContinuation { continuation in
            let current = state.withLock { state -> PeerConnectionState? in
                if [.connected, .failed, .closed].contains(state.connection) { return state.connection }
                state.connectionWaiters.append(continuation)
                return nil
            }
            if let current { continuation.resume(returning: current) }
        }
    }

    // MARK: - Channels

    /// W3C createDataChannel(label, options).
    public func createDataChannel(_ label: String, options: RTCDataChannelInit = RTCDataChannelInit()) async throws -> RTCDataChannel {
        guard options.maxRetransmits == nil || options.maxPacketLifeTime == nil else {
            throw PeerConnectionError(.invalidArgument, "maxRetransmits and maxPacketLifeTime are exclusive (W3C TypeError)")
        }
        guard !options.negotiated || options.id != nil else {
            throw PeerConnectionError(.invalidArgument, "a negotiated channel needs an id (W3C TypeError)")
        }
        let reliability: DataChannelReliability = if let count = options.maxRetransmits {
            .maxRetransmits(count)
        } else if let lifetime = options.maxPacketLifeTime {
            .maxPacketLifeTime(milliseconds: lifetime)
        } else {
            .reliable
        }
        let parameters = DataChannelParameters(label: label, protocol: options.protocol, ordered: options.ordered,
                                               reliability: reliability,
                                               negotiatedID: options.negotiated ? options.id : nil)
        let channel = try await withCore { [weak self] core, now -> RTCDataChannel in
            let id = try core.createDataChannel(parameters, at: now)
            let made = RTCDataChannel(connection: self, id: id, parameters: parameters,
                                      stream: core.channels.stream(of: id) ?? parameters.negotiatedID)
            self?.state.withLock { $0.channels[id] = made }
            return made
        }
        return channel
    }

    /// A channel's receive queue became full or stopped being full: the connection
    /// reads from SCTP only while no channel's queue is full. Each call re-reads every
    /// queue on the host thread, so calls that overtake each other still end right.
    func receiveQueueChanged() {
        Task { [weak self] in
            try? await self?.withCore { [weak self] core, _ in
                let full = self?.state.withLock { $0.channels.values.contains { $0.isReceiveQueueFull } } ?? false
                core.setReceivingPaused(full)
            }
        }
    }

    // MARK: - States and stats

    /// W3C signalingState.
    public var signalingState: SignalingState { state.withLock { $0.signaling } }
    /// W3C connectionState.
    public var connectionState: PeerConnectionState { state.withLock { $0.connection } }
    /// W3C iceConnectionState (the ICE agent's state).
    public var iceConnectionState: ICEAgentState { state.withLock { $0.ice } }
    /// W3C iceGatheringState.
    public var iceGatheringState: GatheringState { state.withLock { $0.gathering } }
    /// Remote candidates that were not used, with the reason (mDNS names, TCP...).
    public var skippedCandidates: [String] { state.withLock { $0.skippedCandidates } }
    /// NSS key-log lines of the DTLS session (only with `keyLogging`): secrets
    /// that let tshark decrypt a capture.
    public var keyLogLines: [String] { state.withLock { $0.keyLogLines } }
    /// When ICE, DTLS and SCTP came up (for timelines such as `datachannel-chat demo`'s).
    public var milestones: ConnectionMilestones { state.withLock { $0.milestones } }
    /// Why the connection failed, if it did.
    public var failure: PeerConnectionError? { state.withLock { $0.failure } }

    /// W3C getStats(), the parts a DataChannel application reads.
    public func stats() async throws -> PeerConnectionStats {
        try await withCore { core, _ in PeerConnectionStats(core: core) }
    }

    /// The ICE agent's checklist strategy as it stands now (the lab's exercise 10 hook,
    /// `PeerConnectionConfiguration.iceChecklistStrategy`), so a tool can report what
    /// the student's checklist did; nil without one or before the agent exists.
    public func iceChecklistStrategy() async throws -> (any ICEChecklistStrategy)? {
        try await withCore { core, _ in core.ice?.checklistStrategy }
    }

    /// W3C close(): channels close, SCTP aborts, DTLS says close_notify, ICE stops,
    /// sockets close. Idempotent.
    public func close() async {
        let box = self.box
        let host = self.host
        try? await host.perform { box.closeAndDetach(on: host) }
        let channels = state.withLock { state -> [RTCDataChannel] in
            state.connection = .closed
            state.signaling = .closed
            return Array(state.channels.values)
        }
        for channel in channels { channel.update(state: .closed) }
        let gatheringWaiters = state.withLock { state in
            defer { state.gatheringWaiters = [] }
            return state.gatheringWaiters
        }
        for waiter in gatheringWaiters { waiter.resume() }
        finishWaiters()
        candidateSink.finish()
        incomingSink.finish()
        stateSink.finish()
    }

    // MARK: - Events (host thread)

    /// Called on the host thread, so the core may be read directly.
    private func receive(_ event: PeerConnectionEvent, core: PeerConnectionCore) {
        switch event {
        case let .localCandidate(candidate):
            candidateSink.yield(RTCIceCandidateInit(candidate: candidate.description))
        case let .gatheringStateChanged(gathering):
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.gathering = gathering
                guard gathering == .complete else { return [] }
                defer { state.gatheringWaiters = [] }
                return state.gatheringWaiters
            }
            if gathering == .complete {
                candidateSink.yield(nil)
                candidateSink.finish()
            }
            for waiter in waiters { waiter.resume() }
        case let .iceStateChanged(ice):
            let now = ContinuousClock.now
            state.withLock { state in
                state.ice = ice
                switch ice {
                case .checking: if state.milestones.iceChecking == nil { state.milestones.iceChecking = now }
                case .connected, .completed: if state.milestones.iceConnected == nil { state.milestones.iceConnected = now }
                default: break
                }
            }
        case let .selectedPairChanged(pair):
            let now = ContinuousClock.now
            state.withLock { state in
                state.selectedPair = pair
                // Data (DTLS) may flow on the first valid pair before ICE reports `connected`.
                if state.milestones.iceConnected == nil { state.milestones.iceConnected = now }
            }
        case let .connectionStateChanged(connection):
            let now = ContinuousClock.now
            state.withLock { state in
                state.connection = connection
                // The core reports `connected` when the SCTP association comes up.
                if connection == .connected, state.milestones.sctpEstablished == nil { state.milestones.sctpEstablished = now }
            }
            stateSink.yield(connection)
            if [.connected, .failed, .closed].contains(connection) { finishWaiters() }
        case let .signalingStateChanged(signaling):
            state.withLock { $0.signaling = signaling }
        case let .dtlsConnected(info):
            let now = ContinuousClock.now
            state.withLock { state in
                state.dtlsInfo = "\(info.protocolVersion) \(info.cipherSuite)"
                if state.milestones.dtlsConnected == nil { state.milestones.dtlsConnected = now }
            }
        case let .keyLog(line):
            state.withLock { state in if !state.keyLogLines.contains(line) { state.keyLogLines.append(line) } }
        case let .channel(event):
            receive(event, core: core)
        case let .bufferedAmountLow(id):
            channel(id)?.bufferedAmountFell()
        case let .remoteCandidateSkipped(line, reason):
            state.withLock { $0.skippedCandidates.append("\(line): \(reason)") }
        case let .failed(error):
            state.withLock { $0.failure = $0.failure ?? error }
        }
    }

    private func receive(_ event: DataChannelEvent, core: PeerConnectionCore) {
        switch event {
        case let .incoming(id, parameters, stream):
            let made = RTCDataChannel(connection: self, id: id, parameters: parameters, stream: stream)
            state.withLock { $0.channels[id] = made }
            made.update(state: .open)
            incomingSink.yield(made)
        case let .stateChanged(id, channelState):
            // The stream id is chosen once the DTLS role is known: pick it up here.
            channel(id)?.setStream(core.channels.stream(of: id))
            channel(id)?.update(state: channelState)
        case let .message(id, message):
            guard let channel = channel(id) else { return }
            channel.deliver(message)
            // Paused here, on the host thread, at the message that filled the queue: what
            // SCTP already read still comes (at most its receive buffer), nothing more.
            // Resuming waits for the consumer (`receiveQueueChanged`).
            if channel.isReceiveQueueFull { core.setReceivingPaused(true) }
        case let .protocolError(id, error):
            if let id { channel(id)?.note("protocol error: \(error)") }
        case let .deprecatedPPID(id, ppid):
            channel(id)?.note("the peer used the deprecated PPID \(ppid.rawValue) (RFC 8831 §8): delivered as a whole message")
        case .acknowledged:
            break
        }
    }

    func channel(_ id: DataChannelID) -> RTCDataChannel? { state.withLock { $0.channels[id] } }

    private func finishWaiters() {
        let (waiters, current) = state.withLock { state -> ([CheckedContinuation<PeerConnectionState, Never>], PeerConnectionState) in
            defer { state.connectionWaiters = [] }
            return (state.connectionWaiters, state.connection)
        }
        for waiter in waiters { waiter.resume(returning: current) }
    }
}
