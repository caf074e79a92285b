/// Why a `MeshAgent` call failed: a stable `code` for programs (the sidecar puts
/// it in its `error` events) and a sentence for people.
public struct MeshAgentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable, snake_case. From `start()`: `unauthorized`, `registry_unreachable`,
    /// `token_failed`, `signaling_failed`, `already_started`. From `send`:
    /// `unknown_peer`, `not_connected`, `too_large`, `send_failed`. From
    /// `connect(to:)`: `connect_failed`, `signaling_lost`, `too_many_peers`.
    /// Any call after `stop()`: `stopped`.
    public var code: String
    /// One line for people.
    public var description: String

    /// An error with this code and text.
    public init(code: String, description: String) {
        self.code = code
        self.description = description
    }

    /// The registry refused our credentials (HTTP 401).
    public static func unauthorized(_ detail: String) -> MeshAgentError {
        MeshAgentError(code: "unauthorized", description: detail)
    }

    /// Nothing answers at the registry's address.
    public static func registryUnreachable(_ url: String, _ reason: String) -> MeshAgentError {
        MeshAgentError(code: "registry_unreachable", description: "cannot reach the registry at \(url): \(reason)")
    }

    /// The peer is neither connected, connecting, nor known to the registry.
    public static func unknownPeer(_ peer: String) -> MeshAgentError {
        MeshAgentError(code: "unknown_peer", description: "unknown peer '\(peer)': not in the mesh")
    }

    /// The peer is known but its "mesh" channel is not open (yet, or any more).
    public static func notConnected(_ peer: String) -> MeshAgentError {
        MeshAgentError(code: "not_connected", description: "peer '\(peer)' is not connected (its channel is not open)")
    }

    /// The message is larger than `maxMessageBytes`.
    public static func tooLarge(size: Int, limit: Int) -> MeshAgentError {
        MeshAgentError(code: "too_large", description: "mesh message of \(size) bytes is over the \(limit)-byte limit")
    }

    /// The agent was stopped (or never started).
    public static let stopped = MeshAgentError(code: "stopped", description: "the agent is stopped")
}
