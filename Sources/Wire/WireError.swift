/// Errors raised while reading or writing bytes on the wire.
///
/// These are always "the input was bad" errors: a reader throws them on
/// hostile or truncated input instead of trapping.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes remained than a field needed.
    case truncated(needed: Int, available: Int, offset: Int)
    /// A textual address or value could not be parsed.
    case invalidAddress(String)

    public var description: String {
        switch self {
        case let .truncated(needed, available, offset):
            return "truncated input: needed \(needed) byte(s) at offset \(offset), only \(available) left"
        case let .invalidAddress(text):
            return "invalid address: \(text)"
        }
    }
}
