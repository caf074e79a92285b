import MeshProtocol

/// What an agent's mesh reports to its application (the sidecar turns these into
/// IPC events; `join` prints them; the demo times them).
public enum MeshAgentEvent: Hashable, Sendable {
    /// Registered: the registry's answer, the peers that were already there.
    case registered(peers: [String])
    /// The registry says a peer registered (presence, beyond chatixia).
    case peerJoined(String)
    /// The registry says a peer left.
    case peerLeft(String)
    /// A peer's "mesh" channel opened: messages can flow both ways.
    case peerConnected(String)
    /// A peer's channel closed, or its connection failed.
    case peerDisconnected(String)
    /// A mesh message arrived from a peer. `raw` is the message as received
    /// (parsed JSON), handed on unchanged to the agent.
    case message(from: String, message: MeshMessage, raw: JSONValue)
    /// Something the application should know: a refused frame, an unknown peer,
    /// a failed connection (`code` is stable, `message` for people).
    case error(code: String, message: String)
    /// The signaling connection dropped; the agent reconnects with a fresh token.
    case signalingLost(reason: String)
    /// Signaling is back (after `signalingLost`).
    case signalingRestored
}
