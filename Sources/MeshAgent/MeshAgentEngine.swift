import Foundation
import Logging
import MeshProtocol
import WebRTC

/// The agent's core: one serial loop that owns every PeerConnection and all
/// per-peer state, fed by a mailbox of jobs (signaling frames, channel and
/// connection events, `connect` calls, timers).
///
/// Why a mailbox and not plain actor methods: handling an offer awaits several
/// PeerConnection commands; an actor would let the next frame for the same peer
/// run in between (reentrancy) and see half-built state. Here a job runs to its
/// end before the next starts. The WebSocket reader waits for each of its frames
/// to be handled, so a flooding server slows down instead of growing memory; the
/// other jobs are a few per PeerConnection.
///
/// Per-peer state is touched only by the loop. The signaling supervisor
/// (`MeshAgentEngine+Session.swift`) runs beside it and shares only the session
/// fields (`connection`, `session`, `registrationWaiters`).
actor MeshAgentEngine {
    /// One unit of work for the loop.
    enum Job: Sendable {
        /// A signaling frame from session `session`; `done` resumes once handled.
        case frame(String, session: Int, done: CheckedContinuation<Void, Never>)
        /// `MeshAgent.connect(to:)`.
        case connect(String, done: CheckedContinuation<MeshAgentError?, Never>)
        /// The "mesh" channel of generation `generation` is open (ours opened, or theirs arrived).
        case channelOpen(String, generation: Int, RTCDataChannel)
        /// The channel closed (or never opened).
        case channelEnded(String, generation: Int, reason: String)
        /// The PeerConnection's state changed.
        case connectionState(String, generation: Int, PeerConnectionState)
        /// `connectTimeout` passed for this generation.
        case connectTimeout(String, generation: Int)
        /// `peerLeftGrace` passed since the registry said (in session `session`) that the peer left.
        case presenceCheck(String, session: Int)
        /// Close everything and end the loop.
        case stop(done: CheckedContinuation<Void, Never>)
    }

    /// What the agent knows about one peer it is connecting or connected to.
    struct PeerLink {
        let peer: String
        /// Increases with every PeerConnection made, so events of a replaced one are ignored.
        let generation: Int
        let connection: RTCPeerConnection
        var phase: MeshPlanner.PeerPhase
        var awaitingAnswer = false
        var hasRemoteDescription = false
        /// Set while ignoring the peer's glare offer: its candidates belong to the
        /// PeerConnection it drops, until its answer arrives.
        var discardingCandidates = false
        var channel: RTCDataChannel?
        var tasks: [Task<Void, Never>] = []
    }

    let configuration: MeshAgentConfiguration
    let host: PeerConnectionHost
    let transport: any SignalingTransport
    let shared: MeshAgentShared
    let logger = Logger(label: "mesh.agent")
    /// A number in 0...1 for the reconnect jitter (injected so tests can fix it).
    let jitter: @Sendable () -> Double

    private let mailbox: AsyncStream<Job>
    private let mailboxSink: AsyncStream<Job>.Continuation

    // Loop-owned state.
    var links: [String: PeerLink] = [:]
    var presence: Set<String> = []
    var pending: MeshPendingCandidates
    var nextGeneration = 1

    // Session state (shared with the supervisor).
    var connection: (any SignalingConnection)?
    var session = 0
    /// Sessions that are re-registrations after a loss (their peer_list also means "restored").
    var restoringSessions: Set<Int> = []
    var registrationWaiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    var supervisor: Task<Void, Never>?
    var started = false

    init(configuration: MeshAgentConfiguration, host: PeerConnectionHost, transport: any SignalingTransport,
         shared: MeshAgentShared, jitter: @escaping @Sendable () -> Double) {
        self.configuration = configuration
        self.host = host
        self.transport = transport
        self.shared = shared
        self.jitter = jitter
        pending = MeshPendingCandidates(perPeerLimit: configuration.pendingCandidateLimit)
        (mailbox, mailboxSink) = AsyncStream.makeStream(of: Job.self)
    }

    /// Our peer id; "" before the first token (no frame is sent before it).
    var me: String { shared.peerID ?? "" }

    // MARK: - Mailbox

    /// Queues a job. After `stop` the mailbox is closed: waiting jobs are answered at once.
    nonisolated func submit(_ job: Job) {
        guard case .terminated = mailboxSink.yield(job) else { return }
        switch job {
        case let .frame(_, _, done): done.resume()
        case let .connect(_, done): done.resume(returning: .stopped)
        case let .stop(done): done.resume()
        default: break
        }
    }

    /// Ends the mailbox without a `stop` job (the agent was released).
    nonisolated func closeMailbox() { mailboxSink.finish() }

    /// Queues a job after `delay` (timers: connect timeout, presence grace).
    nonisolated func submit(after delay: Duration, _ job: Job) -> Task<Void, Never> {
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            self?.submit(job)
        }
    }

    /// The loop: runs until a `stop` job.
    func run() async {
        var stopped = false
        for await job in mailbox {
            // After `stop` the queue drains: callers still waiting are answered, nothing runs.
            if stopped {
                switch job {
                case let .frame(_, _, done), let .stop(done): done.resume()
                case let .connect(_, done): done.resume(returning: .stopped)
                default: break
                }
                continue
            }
            switch job {
            case let .frame(text, session, done):
                await handleFrame(text, session: session)
                done.resume()
            case let .connect(peer, done):
                done.resume(returning: await connect(to: peer))
            case let .channelOpen(peer, generation, channel):
                channelOpened(peer, generation: generation, channel)
            case let .channelEnded(peer, generation, reason):
                await endLink(peer, generation: generation, reason: reason, code: "connect_failed")
            case let .connectionState(peer, generation, state):
                await connectionChanged(peer, generation: generation, state)
            case let .connectTimeout(peer, generation):
                if let link = links[peer], link.generation == generation, link.phase != .open {
                    await endLink(peer, generation: generation,
                                  reason: "no open channel within \(configuration.connectTimeout)", code: "connect_timeout")
                }
            case let .presenceCheck(peer, leftIn):
                // Only a departure reported by the registry we are connected to now
                // counts: a registry shutting down reports everyone leaving.
                if leftIn == session, connection != nil, !presence.contains(peer), let link = links[peer] {
                    await endLink(peer, generation: link.generation, reason: "the peer left the registry", code: "connect_failed")
                }
            case let .stop(done):
                await closeEverything()
                stopped = true
                mailboxSink.finish()
                done.resume()
            }
            publishKnown()
        }
    }

    /// Peers `send` may name: present at the registry, or connecting/connected.
    func publishKnown() {
        shared.setKnown(presence.union(links.keys))
    }

    // MARK: - Frames

    func handleFrame(_ text: String, session frameSession: Int) async {
        guard frameSession == session else { return }  // a dropped connection's last frames
        let frame: SignalingMessage
        do {
            frame = try SignalingMessage.parse(text)
        } catch {
            shared.emit(.error(code: "bad_signaling_frame", message: "from the registry: \(error)"))
            return
        }
        let from = frame.peerID
        switch frame.kind {
        case .peerList:
            await peerListArrived(frame.payload, session: frameSession)
        case .peerJoined:
            guard let peer = Self.presencePeer(frame), peer != me else { return }
            presence.insert(peer)
            shared.emit(.peerJoined(peer))
        case .peerLeft:
            guard let peer = Self.presencePeer(frame), peer != me else { return }
            presence.remove(peer)
            shared.emit(.peerLeft(peer))
            if links[peer] != nil {
                _ = submit(after: configuration.peerLeftGrace, .presenceCheck(peer, session: frameSession))
            }
        case .offer, .answer, .iceCandidate:
            guard from != me, !from.isEmpty, frame.targetID == nil || frame.targetID == me else { return }
            await relayedFrame(frame)
        case .error:
            let code = frame.payload["code"]?.stringValue ?? "registry_error"
            let message = frame.payload["message"]?.stringValue ?? frame.payload.jsonText
            shared.emit(.error(code: code, message: "the registry refused a frame: \(message)"))
        case .register, .heartbeat, .other:
            break  // not for an agent; unknown types are ignored (newer registries)
        }
    }

    /// `peer_joined`/`peer_left` name the peer in the payload; the frame's
    /// `peer_id` is the registry (or, from some registries, the peer itself).
    static func presencePeer(_ frame: SignalingMessage) -> String? {
        if let peer = frame.payload["peer_id"]?.stringValue, !peer.isEmpty { return peer }
        return frame.peerID == MeshDefaults.registryPeerID || frame.peerID.isEmpty ? nil : frame.peerID
    }

    func peerListArrived(_ payload: JSONValue, session frameSession: Int) async {
        let peers: [String]
        do {
            peers = try PeerListPayload(payload).peers.filter { $0 != me && !$0.isEmpty }
        } catch {
            shared.emit(.error(code: "bad_signaling_frame", message: "peer_list: \(error)"))
            return
        }
        presence = Set(peers)
        let now = ContinuousClock.now
        shared.updateTimeline { $0.agent.peerListReceived = $0.agent.peerListReceived ?? now }
        if restoringSessions.remove(frameSession) != nil { shared.emit(.signalingRestored) }
        shared.emit(.registered(peers: peers))
        registrationWaiters.removeValue(forKey: frameSession)?.resume(returning: true)
        // The newcomer offers (chatixia's rule). After a reconnect, a peer still
        // connecting may have lost its offer or answer with the old connection:
        // it starts over; open channels are kept.
        guard configuration.offersToPeerList else { return }
        for peer in Set(peers).sorted() where links[peer]?.phase != .open {
            if let link = links[peer] {
                await endLink(peer, generation: link.generation, reason: "restarted after signaling came back", code: nil)
            }
            if let error = await offer(to: peer) {
                shared.emit(.error(code: error.code, message: error.description))
            }
        }
    }

    // MARK: - Sending frames

    /// Sends one frame on the current signaling connection; false when there is none or it failed.
    @discardableResult
    func sendFrame(_ kind: SignalingMessage.Kind, to peer: String?, payload: JSONValue) async -> Bool {
        guard let connection else { return false }
        let frame = SignalingMessage(kind: kind, peerID: me, targetID: peer, payload: payload)
        do {
            try await connection.send(frame.jsonText)
            return true
        } catch {
            logger.debug("signaling send failed: \(error)")
            return false
        }
    }

    // MARK: - Stop

    func closeEverything() async {
        supervisor?.cancel()
        for (peer, link) in links {
            for task in link.tasks { task.cancel() }
            await link.connection.close()
            shared.setOpen(peer, nil)
            shared.setLive(peer, nil)
        }
        links = [:]
        let connection = self.connection
        self.connection = nil
        await connection?.close()
        for waiter in registrationWaiters.values { waiter.resume(returning: false) }
        registrationWaiters = [:]
    }
}
