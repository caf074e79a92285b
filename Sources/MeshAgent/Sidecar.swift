import MeshProtocol

/// The sidecar: a `MeshAgent` (the WebRTC mesh) joined to an `IPCServer` (the agent's
/// Unix socket), speaking chatixia-mesh's IPC so that its Python `MeshClient` drives
/// it unchanged.
///
/// Mesh → agent: `peerConnected`, `peerDisconnected` and `message` become the IPC
/// events of the same names; a message is handed on as it was received (the raw JSON
/// object), as chatixia's sidecar does. The agent's own `error`s (a failed connection,
/// a refused frame) are passed on as `error` events, which chatixia's client ignores.
/// Registry presence and signaling loss are not IPC events in chatixia's protocol;
/// they go to `log` only.
///
/// Agent → mesh: `send`, `broadcast`, `list_peers` and `connect`; a send to a peer
/// that is unknown or not connected, or too large, is answered with an `error` event
/// (chatixia drops it silently).
public final class Sidecar: Sendable {
    /// The mesh side.
    public let agent: MeshAgent
    /// The agent side.
    public let server: IPCServer
    private let log: @Sendable (String) -> Void

    /// Joins `agent` (already started) and `server` (already bound). `log` receives one
    /// line per event that has no IPC form (for the sidecar's stderr).
    public init(agent: MeshAgent, server: IPCServer, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.agent = agent
        self.server = server
        self.log = log
    }

    /// Serves the agent until it disconnects, forwarding mesh events to it meanwhile.
    public func run() async throws(IPCServerError) {
        let forwarding = Task { [agent, server, log] in
            for await event in agent.events {
                if let ipc = Self.ipcEvent(for: event) { server.deliver(ipc) }
                if let line = Self.logLine(for: event) { log(line) }
            }
        }
        defer { forwarding.cancel() }
        try await server.serve { [self] command in await self.handle(command) }
    }

    /// Carries out one command; returns the events that answer it.
    public func handle(_ command: IPCCommand) async -> [IPCEvent] {
        do {
            switch command {
            case let .send(peer, message):
                try await agent.send(message, to: peer)
                return []
            case let .broadcast(message):
                await agent.broadcast(message)
                return []
            case .listPeers:
                return [.peerList(peers: agent.connectedPeers)]
            case let .connect(peer):
                try await agent.connect(to: peer)
                return []
            }
        } catch {
            // Every call above throws MeshAgentError (typed throws): its code goes to the agent as is.
            return [.error(code: error.code, message: error.description)]
        }
    }

    /// The IPC event for a mesh event, when it has one in chatixia's protocol (or is an error).
    public static func ipcEvent(for event: MeshAgentEvent) -> IPCEvent? {
        switch event {
        case let .peerConnected(peer): return .peerConnected(peerID: peer)
        case let .peerDisconnected(peer): return .peerDisconnected(peerID: peer)
        case let .message(from, _, raw): return .message(fromPeer: from, message: raw)
        case let .error(code, message): return .error(code: code, message: message)
        case .registered, .peerJoined, .peerLeft, .signalingLost, .signalingRestored: return nil
        }
    }

    /// A log line for the events that matter to someone reading the sidecar's log.
    static func logLine(for event: MeshAgentEvent) -> String? {
        switch event {
        case let .registered(peers): return "registered; peers already there: \(peers.isEmpty ? "none" : peers.joined(separator: ", "))"
        case let .peerJoined(peer): return "registry: \(peer) joined"
        case let .peerLeft(peer): return "registry: \(peer) left"
        case let .peerConnected(peer): return "channel to \(peer) open"
        case let .peerDisconnected(peer): return "channel to \(peer) closed"
        case let .error(code, message): return "error \(code): \(message)"
        case let .signalingLost(reason): return "signaling lost (\(reason)); reconnecting with a fresh token"
        case .signalingRestored: return "signaling restored"
        case .message: return nil
        }
    }
}
