/// One application message on a "mesh" DataChannel: one JSON text message per
/// DataChannel message, with chatixia-mesh's five fields. Only `type` is
/// required; the others default to "" (and `payload` to null), as chatixia's
/// serde definition does.
public struct MeshMessage: Hashable, Sendable {
    /// The largest mesh message accepted by default (the stack's 256 KiB max-message-size).
    public static let defaultMaxBytes = 256 * 1024

    /// What it is (`ping`, `task_request`, `chat`, ...).
    public var type: String
    /// Pairs a response with its request (chatixia's `MeshClient.request`).
    public var requestID: String
    /// The sending agent.
    public var sourceAgent: String
    /// The receiving agent ("" for a broadcast).
    public var targetAgent: String
    /// The body.
    public var payload: JSONValue

    /// A message.
    public init(type: String, requestID: String = "", sourceAgent: String = "", targetAgent: String = "",
                payload: JSONValue = .object([:])) {
        self.type = type
        self.requestID = requestID
        self.sourceAgent = sourceAgent
        self.targetAgent = targetAgent
        self.payload = payload
    }

    /// Reads a message already parsed as JSON (from an IPC `send` or `broadcast`).
    public init(_ value: JSONValue) throws(MeshWireError) {
        guard case let .object(members) = value else { throw .invalidField("message", "a mesh message is a JSON object") }
        guard let type = members["type"]?.stringValue, !type.isEmpty else {
            throw .invalidField("message.type", "missing, or not a non-empty string")
        }
        func text(_ key: String) throws(MeshWireError) -> String {
            switch members[key] {
            case nil, .null?: return ""
            case let .string(value)?: return value
            default: throw .invalidField("message.\(key)", "not a string")
            }
        }
        self.init(type: type, requestID: try text("request_id"), sourceAgent: try text("source_agent"),
                  targetAgent: try text("target_agent"), payload: members["payload"] ?? .null)
    }

    /// Parses one DataChannel text message.
    public static func parse(_ text: String, maxBytes: Int = defaultMaxBytes) throws(MeshWireError) -> MeshMessage {
        let size = text.utf8.count
        guard size <= maxBytes else { throw .tooLarge(size: size, limit: maxBytes) }
        return try MeshMessage(JSONValue.parse(text))
    }

    /// As JSON, all five fields present.
    public var json: JSONValue {
        ["type": .string(type), "request_id": .string(requestID), "source_agent": .string(sourceAgent),
         "target_agent": .string(targetAgent), "payload": payload]
    }

    /// The DataChannel message text.
    public var jsonText: String { json.jsonText }
}
