/// One signaling frame, a WebSocket text frame between a peer and the registry:
/// `{"type","peer_id","target_id"?,"payload"}`, as chatixia-mesh defines it.
///
/// `peer_id` is the sender (or `"registry"` for frames the registry makes);
/// `target_id` names the receiver of a relayed frame.
public struct SignalingMessage: Hashable, Sendable {
    /// The frame types this mesh understands. Others parse (as `.other`) so a
    /// newer peer's frames get an error reply instead of a dropped connection.
    public enum Kind: Hashable, Sendable {
        /// Peer → registry: join; answered with `peer_list`.
        case register
        /// Registry → peer: who else is here (`{"peers":[...]}`).
        case peerList
        /// Relayed: an SDP offer (`{"sdp":...}`).
        case offer
        /// Relayed: an SDP answer (`{"sdp":...}`).
        case answer
        /// Relayed: one trickled candidate (`{"candidate","sdpMid","sdpMLineIndex"}`).
        case iceCandidate
        /// Peer → registry: keep-alive (chatixia's sidecar sends it; no reply).
        case heartbeat
        /// Registry → peers: someone registered (`{"peer_id":...}`); beyond chatixia.
        case peerJoined
        /// Registry → peers: someone left (`{"peer_id":...}`); beyond chatixia.
        case peerLeft
        /// Registry → peer: a frame was refused (`{"code","message"}`); beyond chatixia.
        case error
        /// Anything else, by its name.
        case other(String)

        /// Reads a `type` field.
        public init(_ name: String) {
            switch name {
            case "register": self = .register
            case "peer_list": self = .peerList
            case "offer": self = .offer
            case "answer": self = .answer
            case "ice_candidate": self = .iceCandidate
            case "heartbeat": self = .heartbeat
            case "peer_joined": self = .peerJoined
            case "peer_left": self = .peerLeft
            case "error": self = .error
            default: self = .other(name)
            }
        }

        /// The `type` field's text.
        public var name: String {
            switch self {
            case .register: return "register"
            case .peerList: return "peer_list"
            case .offer: return "offer"
            case .answer: return "answer"
            case .iceCandidate: return "ice_candidate"
            case .heartbeat: return "heartbeat"
            case .peerJoined: return "peer_joined"
            case .peerLeft: return "peer_left"
            case .error: return "error"
            case let .other(name): return name
            }
        }

        /// Offers, answers and candidates: what the registry relays to `target_id`.
        public var isRelayed: Bool { self == .offer || self == .answer || self == .iceCandidate }
    }

    /// The largest frame accepted by default (an SDP offer is a few KiB).
    public static let defaultMaxBytes = 64 * 1024

    /// The frame's type.
    public var kind: Kind
    /// The sender's peer id (`"registry"` for the registry's own frames).
    public var peerID: String
    /// The receiver, for relayed frames.
    public var targetID: String?
    /// The type-specific body (`null` when absent, as serde's default).
    public var payload: JSONValue

    /// A frame.
    public init(kind: Kind, peerID: String, targetID: String? = nil, payload: JSONValue = .object([:])) {
        self.kind = kind
        self.peerID = peerID
        self.targetID = targetID
        self.payload = payload
    }

    /// Parses a text frame. Refuses frames over `maxBytes`, non-objects, and a
    /// missing or non-string `type` or `peer_id`; `target_id` may be absent or null.
    public static func parse(_ text: String, maxBytes: Int = defaultMaxBytes) throws(MeshWireError) -> SignalingMessage {
        let size = text.utf8.count
        guard size <= maxBytes else { throw .tooLarge(size: size, limit: maxBytes) }
        guard case let .object(members) = try JSONValue.parse(text) else {
            throw .invalidField("(frame)", "a signaling frame is a JSON object")
        }
        guard let type = members["type"]?.stringValue, !type.isEmpty else {
            throw .invalidField("type", "missing, or not a non-empty string")
        }
        guard let peerID = members["peer_id"]?.stringValue else {
            throw .invalidField("peer_id", "missing, or not a string")
        }
        var targetID: String?
        switch members["target_id"] {
        case nil, .null?: targetID = nil
        case let .string(value)?: targetID = value
        default: throw .invalidField("target_id", "not a string")
        }
        return SignalingMessage(kind: Kind(type), peerID: peerID, targetID: targetID, payload: members["payload"] ?? .null)
    }

    /// The frame as JSON text (`target_id` left out when nil, as chatixia does).
    public var jsonText: String {
        var members: [String: JSONValue] = ["type": .string(kind.name), "peer_id": .string(peerID), "payload": payload]
        if let targetID { members["target_id"] = .string(targetID) }
        return JSONValue.object(members).jsonText
    }
}

// MARK: - Payloads

/// `{"sdp": ...}`: the payload of `offer` and `answer`.
public struct SessionPayload: Hashable, Sendable {
    /// The SDP text.
    public var sdp: String

    /// A payload.
    public init(sdp: String) { self.sdp = sdp }

    /// Reads an offer's or answer's payload.
    public init(_ payload: JSONValue) throws(MeshWireError) {
        guard let sdp = payload["sdp"]?.stringValue, !sdp.isEmpty else {
            throw .invalidField("payload.sdp", "missing, or not a non-empty string")
        }
        self.sdp = sdp
    }

    /// As a payload.
    public var json: JSONValue { ["sdp": .string(sdp)] }
}

/// `{"candidate","sdpMid","sdpMLineIndex"}`: the payload of `ice_candidate`, as
/// W3C RTCIceCandidateInit. An empty candidate string is end-of-candidates.
public struct CandidatePayload: Hashable, Sendable {
    /// The candidate line (`candidate:...`, with or without the `a=` prefix), or
    /// empty for end-of-candidates.
    public var candidate: String
    /// The media section's mid; nil or empty means "m-line 0" (chatixia's peers send either).
    public var sdpMid: String?
    /// The media section's index.
    public var sdpMLineIndex: Int?

    /// A payload.
    public init(candidate: String, sdpMid: String? = "0", sdpMLineIndex: Int? = 0) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
    }

    /// Reads a candidate payload. `sdpMid` may be absent, null or empty, and
    /// `sdpMLineIndex` absent or null: a DataChannel-only session has one m-line,
    /// so both mean m-line 0.
    public init(_ payload: JSONValue) throws(MeshWireError) {
        guard case .object = payload else { throw .invalidField("payload", "an ice_candidate payload is an object") }
        switch payload["candidate"] {
        case let .string(line)?: candidate = line
        case nil, .null?: candidate = ""
        default: throw .invalidField("payload.candidate", "not a string")
        }
        switch payload["sdpMid"] {
        case let .string(mid)?: sdpMid = mid.isEmpty ? nil : mid
        case nil, .null?: sdpMid = nil
        default: throw .invalidField("payload.sdpMid", "not a string")
        }
        switch payload["sdpMLineIndex"] {
        case nil, .null?: sdpMLineIndex = nil
        case let value?:
            guard let index = value.intValue, (0...255).contains(index) else {
                throw .invalidField("payload.sdpMLineIndex", "not an m-line index (0-255)")
            }
            sdpMLineIndex = Int(index)
        }
    }

    /// True for end-of-candidates (an empty candidate line).
    public var isEndOfCandidates: Bool { candidate.isEmpty }

    /// True when it names the first (and, for a DataChannel session, only) m-line.
    public var isFirstMLine: Bool {
        (sdpMLineIndex ?? 0) == 0 || sdpMid == "0"
    }

    /// As a payload (null fields written as null, as browsers do).
    public var json: JSONValue {
        ["candidate": .string(candidate),
         "sdpMid": sdpMid.map(JSONValue.string) ?? .null,
         "sdpMLineIndex": sdpMLineIndex.map { .int(Int64($0)) } ?? .null]
    }
}

/// `{"peers":[...]}`: the payload of `peer_list`.
public struct PeerListPayload: Hashable, Sendable {
    /// Peer ids.
    public var peers: [String]

    /// A payload.
    public init(peers: [String]) { self.peers = peers }

    /// Reads a peer list; non-string entries are refused.
    public init(_ payload: JSONValue) throws(MeshWireError) {
        guard let entries = payload["peers"]?.arrayValue else { throw .invalidField("payload.peers", "missing, or not an array") }
        var peers: [String] = []
        for entry in entries {
            guard let id = entry.stringValue else { throw .invalidField("payload.peers", "an entry is not a string") }
            peers.append(id)
        }
        self.peers = peers
    }

    /// As a payload.
    public var json: JSONValue { ["peers": .array(peers.map(JSONValue.string))] }
}
