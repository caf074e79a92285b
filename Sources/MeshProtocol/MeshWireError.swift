/// Why a signaling frame, IPC line or mesh message was refused. Every parser in
/// this module throws only this: the text comes from the network or from another
/// program, and is treated as hostile.
public enum MeshWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Larger than the limit (bytes).
    case tooLarge(size: Int, limit: Int)
    /// Nested deeper than the limit.
    case tooDeep(Int)
    /// Not JSON at all (the reason).
    case malformedJSON(String)
    /// JSON, but not the expected shape: which field and what is wrong with it.
    case invalidField(String, String)

    /// One line for logs, error frames and `error` events.
    public var description: String {
        switch self {
        case let .tooLarge(size, limit): return "message of \(size) bytes is over the \(limit)-byte limit"
        case let .tooDeep(limit): return "JSON nested deeper than \(limit) levels"
        case let .malformedJSON(reason): return "malformed JSON: \(reason)"
        case let .invalidField(field, problem): return "field '\(field)': \(problem)"
        }
    }
}
