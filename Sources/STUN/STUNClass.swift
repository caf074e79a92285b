/// The class of a STUN message (RFC 8489 §5): what role the message plays.
///
/// An enum, unlike the other code points, because the class is two bits wide
/// and all four values are defined: there is no unknown class to preserve.
public enum STUNClass: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// C1 C0 = 0b00: asks for a response.
    case request = 0b00
    /// C1 C0 = 0b01: one-way, never answered.
    case indication = 0b01
    /// C1 C0 = 0b10: the request succeeded.
    case successResponse = 0b10
    /// C1 C0 = 0b11: the request failed; carries ERROR-CODE.
    case errorResponse = 0b11

    /// True for the two response classes.
    public var isResponse: Bool { self == .successResponse || self == .errorResponse }

    /// "Request", "Indication", "Success Response", "Error Response".
    public var description: String {
        switch self {
        case .request: return "Request"
        case .indication: return "Indication"
        case .successResponse: return "Success Response"
        case .errorResponse: return "Error Response"
        }
    }
}
