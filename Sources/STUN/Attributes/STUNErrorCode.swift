/// A STUN error code: the number carried in ERROR-CODE (RFC 8489 §14.8,
/// TURN codes from RFC 8656 §19, 487 from RFC 8445).
///
/// Open struct: any code from 300 to 699 parses and prints, known or not.
public struct STUNErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The three-digit code, e.g. 401.
    public let rawValue: Int
    /// Creates a code.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// 300 Try Alternate: use the server in ALTERNATE-SERVER.
    public static let tryAlternate = STUNErrorCode(rawValue: 300)
    /// 400 Bad Request: malformed, e.g. integrity without USERNAME.
    public static let badRequest = STUNErrorCode(rawValue: 400)
    /// 401 Unauthenticated: missing or wrong credentials.
    public static let unauthenticated = STUNErrorCode(rawValue: 401)
    /// 403 Forbidden: valid credentials, request not allowed.
    public static let forbidden = STUNErrorCode(rawValue: 403)
    /// 420 Unknown Attribute: see UNKNOWN-ATTRIBUTES.
    public static let unknownAttribute = STUNErrorCode(rawValue: 420)
    /// 437 Allocation Mismatch (TURN).
    public static let allocationMismatch = STUNErrorCode(rawValue: 437)
    /// 438 Stale Nonce: retry with the NONCE in this response.
    public static let staleNonce = STUNErrorCode(rawValue: 438)
    /// 441 Wrong Credentials (TURN).
    public static let wrongCredentials = STUNErrorCode(rawValue: 441)
    /// 442 Unsupported Transport Protocol (TURN).
    public static let unsupportedTransportProtocol = STUNErrorCode(rawValue: 442)
    /// 443 Peer Address Family Mismatch (TURN).
    public static let peerAddressFamilyMismatch = STUNErrorCode(rawValue: 443)
    /// 486 Allocation Quota Reached (TURN).
    public static let allocationQuotaReached = STUNErrorCode(rawValue: 486)
    /// 487 Role Conflict (ICE).
    public static let roleConflict = STUNErrorCode(rawValue: 487)
    /// 500 Server Error: temporary, retry later.
    public static let serverError = STUNErrorCode(rawValue: 500)
    /// 508 Insufficient Capacity (TURN).
    public static let insufficientCapacity = STUNErrorCode(rawValue: 508)

    /// The RFC's suggested reason phrase, or nil for codes it does not know.
    public var reasonPhrase: String? {
        switch rawValue {
        case 300: return "Try Alternate"
        case 400: return "Bad Request"
        case 401: return "Unauthenticated"
        case 403: return "Forbidden"
        case 420: return "Unknown Attribute"
        case 437: return "Allocation Mismatch"
        case 438: return "Stale Nonce"
        case 441: return "Wrong Credentials"
        case 442: return "Unsupported Transport Protocol"
        case 443: return "Peer Address Family Mismatch"
        case 486: return "Allocation Quota Reached"
        case 487: return "Role Conflict"
        case 500: return "Server Error"
        case 508: return "Insufficient Capacity"
        default: return nil
        }
    }

    /// The hundreds digit (3-6), carried in the attribute's Class field.
    public var errorClass: Int { rawValue / 100 }
    /// The code modulo 100, carried in the Number field.
    public var number: Int { rawValue % 100 }

    /// "401 Unauthenticated" or "499".
    public var description: String {
        reasonPhrase.map { "\(rawValue) \($0)" } ?? "\(rawValue)"
    }
}
