/// A STUN method: the 12-bit operation a message is about (RFC 8489 §5, §18.2).
///
/// An open struct rather than an enum so that methods this module has never
/// heard of still parse, print and re-encode: a server answers them with a
/// 400, a dissector shows their number.
public struct STUNMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 12-bit method number (0x000...0xFFF).
    public let rawValue: UInt16

    /// Creates a method; bits above the low 12 are dropped because the message
    /// type field has no room for them.
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    /// Binding (0x001): "what address do you see me at?" (RFC 8489).
    public static let binding = STUNMethod(rawValue: 0x001)
    /// Allocate (0x003): ask a TURN server for a relayed address (RFC 8656).
    public static let allocate = STUNMethod(rawValue: 0x003)
    /// Refresh (0x004): extend or delete a TURN allocation (RFC 8656).
    public static let refresh = STUNMethod(rawValue: 0x004)
    /// Send (0x006): an indication carrying data to a TURN peer (RFC 8656).
    public static let send = STUNMethod(rawValue: 0x006)
    /// Data (0x007): an indication carrying data from a TURN peer (RFC 8656).
    public static let data = STUNMethod(rawValue: 0x007)
    /// CreatePermission (0x008): let a peer address reach a TURN allocation (RFC 8656).
    public static let createPermission = STUNMethod(rawValue: 0x008)
    /// ChannelBind (0x009): bind a channel number to a TURN peer (RFC 8656).
    public static let channelBind = STUNMethod(rawValue: 0x009)

    /// The registered name ("Binding", "Allocate"...) or nil for unknown methods.
    public var name: String? {
        switch rawValue {
        case 0x001: return "Binding"
        case 0x003: return "Allocate"
        case 0x004: return "Refresh"
        case 0x006: return "Send"
        case 0x007: return "Data"
        case 0x008: return "CreatePermission"
        case 0x009: return "ChannelBind"
        default: return nil
        }
    }

    /// "Binding" or "Method 0x0ab".
    public var description: String { name ?? "Method 0x\(STUNFormat.hex(rawValue, digits: 3))" }
}
