/// The agent ↔ sidecar protocol: JSON lines `{"type","payload"}` over a Unix
/// socket, as chatixia-mesh's sidecar speaks it.

/// A command from the agent to its sidecar.
public enum IPCCommand: Hashable, Sendable {
    /// Send one mesh message to one peer (`{"target_peer","message"}`).
    case send(targetPeer: String, message: MeshMessage)
    /// Send one mesh message to every connected peer (`{"message"}`).
    case broadcast(message: MeshMessage)
    /// Ask for the connected peers; answered with `peer_list`.
    case listPeers
    /// Connect to one peer now (`{"peer_id"}`; chatixia's source also names it
    /// `target_peer_id`, so both are read). chatixia documents it but never built it.
    case connect(peerID: String)

    /// The longest line accepted by default: a mesh message plus its envelope.
    public static let defaultMaxBytes = MeshMessage.defaultMaxBytes + 4096

    /// Parses one line (without its newline).
    public static func parse(_ line: String, maxBytes: Int = defaultMaxBytes) throws(MeshWireError) -> IPCCommand {
        let size = line.utf8.count
        guard size <= maxBytes else { throw .tooLarge(size: size, limit: maxBytes) }
        guard case let .object(members) = try JSONValue.parse(line) else {
            throw .invalidField("(line)", "an IPC line is a JSON object")
        }
        guard let type = members["type"]?.stringValue else { throw .invalidField("type", "missing, or not a string") }
        let payload = members["payload"] ?? .null
        func peer(_ keys: String...) throws(MeshWireError) -> String {
            for key in keys {
                if let id = payload[key]?.stringValue, !id.isEmpty { return id }
            }
            throw .invalidField("payload.\(keys[0])", "missing, or not a non-empty string")
        }
        func message() throws(MeshWireError) -> MeshMessage {
            guard let value = payload["message"] else { throw .invalidField("payload.message", "missing") }
            return try MeshMessage(value)
        }
        switch type {
        case "send": return .send(targetPeer: try peer("target_peer"), message: try message())
        case "broadcast": return .broadcast(message: try message())
        case "list_peers": return .listPeers
        case "connect": return .connect(peerID: try peer("peer_id", "target_peer_id", "target_peer"))
        default: throw .invalidField("type", "unknown command '\(type)' (send, broadcast, list_peers, connect)")
        }
    }

    /// The line an agent writes (without the newline).
    public var jsonText: String {
        switch self {
        case let .send(target, message):
            return JSONValue.object(["type": "send", "payload": ["target_peer": .string(target), "message": message.json]]).jsonText
        case let .broadcast(message):
            return JSONValue.object(["type": "broadcast", "payload": ["message": message.json]]).jsonText
        case .listPeers:
            return JSONValue.object(["type": "list_peers", "payload": [:]]).jsonText
        case let .connect(peerID):
            return JSONValue.object(["type": "connect", "payload": ["peer_id": .string(peerID)]]).jsonText
        }
    }
}

/// An event from the sidecar to its agent.
public enum IPCEvent: Hashable, Sendable {
    /// A mesh message arrived (`{"from_peer","message"}`; `message` is the parsed object).
    case message(fromPeer: String, message: JSONValue)
    /// A peer's mesh channel opened.
    case peerConnected(peerID: String)
    /// A peer's mesh channel closed or its connection failed.
    case peerDisconnected(peerID: String)
    /// The connected peers (the answer to `list_peers`).
    case peerList(peers: [String])
    /// A command was refused or could not be delivered; beyond chatixia, which
    /// drops these silently. `code` is stable for programs, `message` for people.
    case error(code: String, message: String)

    /// The line the sidecar writes (without the newline).
    public var jsonText: String {
        let (type, payload): (String, JSONValue)
        switch self {
        case let .message(from, message): (type, payload) = ("message", ["from_peer": .string(from), "message": message])
        case let .peerConnected(id): (type, payload) = ("peer_connected", ["peer_id": .string(id)])
        case let .peerDisconnected(id): (type, payload) = ("peer_disconnected", ["peer_id": .string(id)])
        case let .peerList(peers): (type, payload) = ("peer_list", ["peers": .array(peers.map(JSONValue.string))])
        case let .error(code, message): (type, payload) = ("error", ["code": .string(code), "message": .string(message)])
        }
        return JSONValue.object(["type": .string(type), "payload": payload]).jsonText
    }

    /// Parses one event line (for agents written in Swift, and for tests).
    public static func parse(_ line: String, maxBytes: Int = IPCCommand.defaultMaxBytes) throws(MeshWireError) -> IPCEvent {
        let size = line.utf8.count
        guard size <= maxBytes else { throw .tooLarge(size: size, limit: maxBytes) }
        guard case let .object(members) = try JSONValue.parse(line), let type = members["type"]?.stringValue else {
            throw .invalidField("type", "missing, or not a string")
        }
        let payload = members["payload"] ?? .null
        func text(_ key: String) throws(MeshWireError) -> String {
            guard let value = payload[key]?.stringValue else { throw .invalidField("payload.\(key)", "missing, or not a string") }
            return value
        }
        switch type {
        case "message":
            guard let message = payload["message"] else { throw .invalidField("payload.message", "missing") }
            return .message(fromPeer: try text("from_peer"), message: message)
        case "peer_connected": return .peerConnected(peerID: try text("peer_id"))
        case "peer_disconnected": return .peerDisconnected(peerID: try text("peer_id"))
        case "peer_list": return .peerList(peers: try PeerListPayload(payload).peers)
        case "error": return .error(code: try text("code"), message: try text("message"))
        default: throw .invalidField("type", "unknown event '\(type)'")
        }
    }
}
