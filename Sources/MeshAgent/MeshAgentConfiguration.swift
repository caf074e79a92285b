import MeshProtocol
import WebRTC

/// How an agent gets its token.
public enum MeshCredentials: Sendable, Hashable {
    /// `POST TOKEN_URL` with `x-api-key` (chatixia's registry, or ours with a key file).
    case apiKey(String)
    /// `POST TOKEN_URL` with `x-peer-name` (our registry in lab mode, without a key file).
    case name(String)
    /// A ready JWT: no token request. It cannot be refreshed, so a reconnect
    /// fails once it has expired.
    case token(String)
}

/// Everything a `MeshAgent` needs: where the registry is, who we are, and the
/// knobs of the mesh.
public struct MeshAgentConfiguration: Sendable {
    /// The token endpoint, e.g. `http://127.0.0.1:8080/api/token`.
    public var tokenURL: String
    /// The signaling WebSocket, e.g. `ws://127.0.0.1:8080/ws`; the agent appends `?token=JWT`.
    public var signalingURL: String
    /// How the agent authenticates.
    public var credentials: MeshCredentials
    /// Every PeerConnection's settings (default: loopback only, the project's network rule).
    public var peerConnection: PeerConnectionConfiguration
    /// The waits between signaling reconnect attempts: doubling from the lower
    /// bound, capped at the upper (see `MeshBackoff`).
    public var reconnectBackoff: ClosedRange<Duration>
    /// The largest mesh message sent or accepted (bytes of JSON text).
    public var maxMessageBytes: Int
    /// A PeerConnection whose channel is not open after this long is dropped
    /// (`connect_timeout` error event), so a later `peer_list` or presence can try again.
    public var connectTimeout: Duration
    /// After the registry reports `peer_left` for a connected peer, how long to
    /// wait for it to come back (`peer_joined`) before its connection is closed
    /// and `peerDisconnected` reported. A killed peer is reported this long after
    /// the registry noticed, instead of after ICE consent expires (30 s); a peer
    /// whose signaling only blipped keeps its channel.
    public var peerLeftGrace: Duration
    /// How long `start()` (and each reconnect) waits for the token, the WebSocket
    /// upgrade and the `peer_list`.
    public var signalingTimeout: Duration
    /// The most events kept for a consumer that has not read them yet. Past it new
    /// events are dropped (counted in `MeshAgent.droppedEventCount`): memory stays
    /// bounded when nobody reads. The sidecar reads promptly and applies its own bound.
    public var eventBufferLimit: Int
    /// The most candidates kept per peer before its offer or answer arrives.
    public var pendingCandidateLimit: Int
    /// The most peers connecting or connected at once (each costs a UDP socket,
    /// a certificate and an SCTP association). Offers past it are refused with
    /// a `too_many_peers` error event: a hostile registry cannot make us build
    /// connections without end.
    public var maxPeers: Int
    /// True (chatixia's rule): offer to every peer in `peer_list`. False: a
    /// passive agent, connected only by `connect(to:)` and by others' offers.
    public var offersToPeerList: Bool

    /// A configuration with explicit URLs and the defaults for everything else.
    public init(tokenURL: String, signalingURL: String, credentials: MeshCredentials) {
        self.tokenURL = tokenURL
        self.signalingURL = signalingURL
        self.credentials = credentials
        peerConnection = PeerConnectionConfiguration()
        reconnectBackoff = .milliseconds(250)...(.seconds(8))
        maxMessageBytes = MeshMessage.defaultMaxBytes
        connectTimeout = .seconds(30)
        peerLeftGrace = .seconds(3)
        signalingTimeout = .seconds(15)
        eventBufferLimit = 65_536
        pendingCandidateLimit = 64
        offersToPeerList = true
        maxPeers = 256
    }

    /// Both URLs from one registry base `http://HOST:PORT` (or `https://`):
    /// `BASE/api/token` and `ws://HOST:PORT/ws` (`wss://` for https).
    public init(registry: String, credentials: MeshCredentials) {
        var base = registry
        while base.hasSuffix("/") { base.removeLast() }
        let webSocketBase: String
        if base.hasPrefix("https://") {
            webSocketBase = "wss://" + base.dropFirst("https://".count)
        } else if base.hasPrefix("http://") {
            webSocketBase = "ws://" + base.dropFirst("http://".count)
        } else if base.hasPrefix("wss://") {
            webSocketBase = base
            base = "https://" + base.dropFirst("wss://".count)
        } else if base.hasPrefix("ws://") {
            webSocketBase = base
            base = "http://" + base.dropFirst("ws://".count)
        } else {
            // A bare HOST:PORT.
            webSocketBase = "ws://" + base
            base = "http://" + base
        }
        self.init(tokenURL: base + "/api/token", signalingURL: webSocketBase + "/ws", credentials: credentials)
    }
}
