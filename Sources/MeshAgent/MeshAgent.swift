// MeshAgent: one agent's side of a chatixia-style mesh.
//
// Theory of operation. The agent takes a JWT from the registry
// (`POST /api/token`), opens the signaling WebSocket (`GET /ws?token=`), sends
// `register`, and gets `peer_list`. As the newcomer it then offers to every
// listed peer: one RTCPeerConnection and one "mesh" DataChannel (ordered,
// reliable, opened in-band with DCEP) per peer, candidates trickled as
// `ice_candidate` frames. Peers that were there first answer. Each DataChannel
// text message is one JSON mesh message (`MeshMessage`).
//
// Beyond chatixia-mesh: glare (two offers crossing) is resolved by the ids
// (`MeshPlanner`); candidates that arrive before their offer are kept
// (`MeshPendingCandidates`, bounded); presence frames (`peer_joined`,
// `peer_left`) become events, and a connected peer that left the registry is
// closed after a grace period, so a killed peer is reported in seconds rather
// than when ICE consent expires; a dropped WebSocket is reconnected with a
// fresh token and exponential backoff (`MeshBackoff`), keeping open channels.
//
// Structure: `MeshAgent` (this file) is the public handle; `MeshAgentEngine`
// is a serial loop owning the PeerConnections; `MeshAgentShared` holds what
// callers read without waiting (open channels, timeline, the event sink);
// `SignalingTransport` is the WebSocket, behind a protocol so the core does not
// depend on it.

import MeshProtocol
import WebRTC

/// One agent in the mesh: its token, its signaling connection, and one
/// PeerConnection with a "mesh" DataChannel per peer.
///
/// ```swift
/// let agent = MeshAgent(configuration: MeshAgentConfiguration(registry: "http://127.0.0.1:8080", credentials: .name("alice")))
/// try await agent.start()
/// for await event in agent.events { ... }      // .peerConnected, .message, ...
/// try await agent.send(MeshMessage(type: "chat", payload: ["text": "hi"]), to: "bob")
/// await agent.stop()
/// ```
public final class MeshAgent: Sendable {
    /// What the agent was made with.
    public let configuration: MeshAgentConfiguration
    /// Everything that happens, in order. One consumer. Bounded by
    /// `configuration.eventBufferLimit`: events past it are dropped (and counted
    /// in `droppedEventCount`) rather than held without limit.
    public let events: AsyncStream<MeshAgentEvent>

    let shared: MeshAgentShared
    let engine: MeshAgentEngine

    /// An agent on `host` (its PeerConnections' thread); nothing happens before `start()`.
    public convenience init(configuration: MeshAgentConfiguration, host: PeerConnectionHost = .shared) {
        self.init(configuration: configuration, host: host, transport: WebSocketSignalingTransport(),
                  jitter: { Double.random(in: 0...1) })
    }

    /// An agent whose signaling goes through `transport` (tests use this).
    init(configuration: MeshAgentConfiguration, host: PeerConnectionHost, transport: any SignalingTransport,
         jitter: @escaping @Sendable () -> Double) {
        self.configuration = configuration
        shared = MeshAgentShared(eventBufferLimit: configuration.eventBufferLimit)
        events = shared.events
        engine = MeshAgentEngine(configuration: configuration, host: host, transport: transport, shared: shared, jitter: jitter)
        let engine = self.engine
        Task { await engine.run() }
    }

    deinit {
        // Ends the loop of an agent dropped without stop() (its PeerConnections close as they are released).
        engine.closeMailbox()
        shared.finishEvents()
    }

    /// Token, WebSocket, register; returns once `peer_list` arrived (the offers to
    /// every listed peer then go on in the background).
    /// - Throws: `MeshAgentError`: `unauthorized` (401), `registry_unreachable`
    ///   (nothing listening, or the connection failed), `token_failed`,
    ///   `signaling_failed` (no `peer_list`), `already_started`, `stopped`.
    public func start() async throws(MeshAgentError) {
        try await engine.start()
    }

    /// Our peer id (from the token response); nil before `start()`.
    public var peerID: String? { shared.peerID }

    /// Peers whose "mesh" channel is open, sorted.
    public var connectedPeers: [String] { shared.connectedPeers }

    /// Events dropped because the consumer fell more than `eventBufferLimit` behind.
    public var droppedEventCount: Int { shared.droppedEvents }

    /// The ten lifecycle steps as this agent saw them.
    public var timeline: MeshTimeline { shared.timeline }

    /// Sends one mesh message to one peer, straight on its open channel.
    /// - Throws: `MeshAgentError` `unknown_peer` (neither in the mesh nor at the
    ///   registry), `not_connected` (known, channel not open), `too_large`,
    ///   `send_failed` (the channel refused it: closed meanwhile, buffer full,
    ///   over the peer's max-message-size), `stopped`.
    public func send(_ message: MeshMessage, to peer: String) async throws(MeshAgentError) {
        guard !shared.stopped else { throw .stopped }
        let text = message.jsonText
        let size = text.utf8.count
        guard size <= configuration.maxMessageBytes else { throw .tooLarge(size: size, limit: configuration.maxMessageBytes) }
        guard let channel = shared.openChannel(to: peer) else {
            throw shared.isKnown(peer) ? MeshAgentError.notConnected(peer) : MeshAgentError.unknownPeer(peer)
        }
        do {
            try await channel.send(text)
        } catch {
            throw MeshAgentError(code: "send_failed", description: "sending to '\(peer)' failed: \(error)")
        }
    }

    /// Sends `text` as it is (tests: a malformed mesh message).
    func sendText(_ text: String, to peer: String) async throws {
        guard let channel = shared.openChannel(to: peer) else { throw MeshAgentError.notConnected(peer) }
        try await channel.send(text)
    }

    /// Sends to every connected peer; returns the peers it went to (sorted).
    /// A message over `maxMessageBytes` goes nowhere.
    @discardableResult
    public func broadcast(_ message: MeshMessage) async -> [String] {
        guard !shared.stopped else { return [] }
        let text = message.jsonText
        guard text.utf8.count <= configuration.maxMessageBytes else { return [] }
        var reached: [String] = []
        for (peer, channel) in shared.openChannels {
            if (try? await channel.send(text)) != nil { reached.append(peer) }
        }
        return reached
    }

    /// Offers to `peer` now, unless it is connected or connecting already.
    /// Returns once the offer is sent (the channel opens later: `peerConnected`).
    /// - Throws: `MeshAgentError` `connect_failed`, `signaling_lost`, `unknown_peer`
    ///   (our own id), `stopped`.
    public func connect(to peer: String) async throws(MeshAgentError) {
        guard !shared.stopped else { throw .stopped }
        let engine = self.engine
        let error = await withCheckedContinuation { done in engine.submit(.connect(peer, done: done)) }
        if let error { throw error }
    }

    /// Closes every PeerConnection and the WebSocket, and finishes `events`. Idempotent.
    public func stop() async {
        let first = shared.withStopFlag()
        guard first else { return }
        let engine = self.engine
        await withCheckedContinuation { done in engine.submit(.stop(done: done)) }
        await engine.stopSession()
        shared.finishEvents()
    }
}
