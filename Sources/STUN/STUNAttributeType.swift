/// A STUN attribute type code point (RFC 8489 §14, §18.3).
///
/// Open struct: attribute types we do not know still parse and re-encode.
/// The range a type falls in is itself meaningful: types below 0x8000 are
/// *comprehension-required* (an agent that does not understand one must reject
/// the request with 420 Unknown Attribute), types from 0x8000 up are
/// *comprehension-optional* (safely ignored).
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit type value.
    public let rawValue: UInt16

    /// Creates a type from its wire value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// True below 0x8000: a receiver that does not understand it must fail the transaction.
    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    // RFC 8489 (STUN).
    /// MAPPED-ADDRESS (0x0001).
    public static let mappedAddress = STUNAttributeType(rawValue: 0x0001)
    /// USERNAME (0x0006).
    public static let username = STUNAttributeType(rawValue: 0x0006)
    /// MESSAGE-INTEGRITY (0x0008), HMAC-SHA1.
    public static let messageIntegrity = STUNAttributeType(rawValue: 0x0008)
    /// ERROR-CODE (0x0009).
    public static let errorCode = STUNAttributeType(rawValue: 0x0009)
    /// UNKNOWN-ATTRIBUTES (0x000A).
    public static let unknownAttributes = STUNAttributeType(rawValue: 0x000A)
    /// REALM (0x0014).
    public static let realm = STUNAttributeType(rawValue: 0x0014)
    /// NONCE (0x0015).
    public static let nonce = STUNAttributeType(rawValue: 0x0015)
    /// MESSAGE-INTEGRITY-SHA256 (0x001C).
    public static let messageIntegritySHA256 = STUNAttributeType(rawValue: 0x001C)
    /// PASSWORD-ALGORITHM (0x001D).
    public static let passwordAlgorithm = STUNAttributeType(rawValue: 0x001D)
    /// USERHASH (0x001E).
    public static let userhash = STUNAttributeType(rawValue: 0x001E)
    /// XOR-MAPPED-ADDRESS (0x0020).
    public static let xorMappedAddress = STUNAttributeType(rawValue: 0x0020)
    /// PASSWORD-ALGORITHMS (0x8002).
    public static let passwordAlgorithms = STUNAttributeType(rawValue: 0x8002)
    /// ALTERNATE-DOMAIN (0x8003).
    public static let alternateDomain = STUNAttributeType(rawValue: 0x8003)
    /// SOFTWARE (0x8022).
    public static let software = STUNAttributeType(rawValue: 0x8022)
    /// ALTERNATE-SERVER (0x8023).
    public static let alternateServer = STUNAttributeType(rawValue: 0x8023)
    /// FINGERPRINT (0x8028).
    public static let fingerprint = STUNAttributeType(rawValue: 0x8028)

    // RFC 3489 (classic STUN; reserved by RFC 8489 §18.3, still sent by old peers).
    /// RESPONSE-ADDRESS (0x0002): where to send the response. Never honoured here (it would make a reflector).
    public static let responseAddress = STUNAttributeType(rawValue: 0x0002)
    /// CHANGE-REQUEST (0x0003), also used by RFC 5780.
    public static let changeRequest = STUNAttributeType(rawValue: 0x0003)
    /// SOURCE-ADDRESS (0x0004).
    public static let sourceAddress = STUNAttributeType(rawValue: 0x0004)
    /// CHANGED-ADDRESS (0x0005).
    public static let changedAddress = STUNAttributeType(rawValue: 0x0005)

    // RFC 5780 (NAT behaviour discovery).
    /// RESPONSE-ORIGIN (0x802B).
    public static let responseOrigin = STUNAttributeType(rawValue: 0x802B)
    /// OTHER-ADDRESS (0x802C).
    public static let otherAddress = STUNAttributeType(rawValue: 0x802C)

    // RFC 8445 (ICE).
    /// PRIORITY (0x0024).
    public static let priority = STUNAttributeType(rawValue: 0x0024)
    /// USE-CANDIDATE (0x0025).
    public static let useCandidate = STUNAttributeType(rawValue: 0x0025)
    /// ICE-CONTROLLED (0x8029).
    public static let iceControlled = STUNAttributeType(rawValue: 0x8029)
    /// ICE-CONTROLLING (0x802A).
    public static let iceControlling = STUNAttributeType(rawValue: 0x802A)

    // RFC 8656 (TURN).
    /// CHANNEL-NUMBER (0x000C).
    public static let channelNumber = STUNAttributeType(rawValue: 0x000C)
    /// LIFETIME (0x000D).
    public static let lifetime = STUNAttributeType(rawValue: 0x000D)
    /// XOR-PEER-ADDRESS (0x0012).
    public static let xorPeerAddress = STUNAttributeType(rawValue: 0x0012)
    /// DATA (0x0013).
    public static let data = STUNAttributeType(rawValue: 0x0013)
    /// XOR-RELAYED-ADDRESS (0x0016).
    public static let xorRelayedAddress = STUNAttributeType(rawValue: 0x0016)
    /// REQUESTED-ADDRESS-FAMILY (0x0017).
    public static let requestedAddressFamily = STUNAttributeType(rawValue: 0x0017)
    /// EVEN-PORT (0x0018).
    public static let evenPort = STUNAttributeType(rawValue: 0x0018)
    /// REQUESTED-TRANSPORT (0x0019).
    public static let requestedTransport = STUNAttributeType(rawValue: 0x0019)
    /// DONT-FRAGMENT (0x001A).
    public static let dontFragment = STUNAttributeType(rawValue: 0x001A)
    /// RESERVATION-TOKEN (0x0022).
    public static let reservationToken = STUNAttributeType(rawValue: 0x0022)
    /// ADDITIONAL-ADDRESS-FAMILY (0x8000).
    public static let additionalAddressFamily = STUNAttributeType(rawValue: 0x8000)
    /// ADDRESS-ERROR-CODE (0x8001).
    public static let addressErrorCode = STUNAttributeType(rawValue: 0x8001)
    /// ICMP (0x8004).
    public static let icmp = STUNAttributeType(rawValue: 0x8004)

    private static let names: [UInt16: String] = [
        0x0001: "MAPPED-ADDRESS", 0x0002: "RESPONSE-ADDRESS", 0x0003: "CHANGE-REQUEST",
        0x0004: "SOURCE-ADDRESS", 0x0005: "CHANGED-ADDRESS", 0x0006: "USERNAME", 0x0008: "MESSAGE-INTEGRITY",
        0x0009: "ERROR-CODE", 0x000A: "UNKNOWN-ATTRIBUTES", 0x000C: "CHANNEL-NUMBER",
        0x000D: "LIFETIME", 0x0012: "XOR-PEER-ADDRESS", 0x0013: "DATA", 0x0014: "REALM",
        0x0015: "NONCE", 0x0016: "XOR-RELAYED-ADDRESS", 0x0017: "REQUESTED-ADDRESS-FAMILY",
        0x0018: "EVEN-PORT", 0x0019: "REQUESTED-TRANSPORT", 0x001A: "DONT-FRAGMENT",
        0x001C: "MESSAGE-INTEGRITY-SHA256", 0x001D: "PASSWORD-ALGORITHM", 0x001E: "USERHASH",
        0x0020: "XOR-MAPPED-ADDRESS", 0x0022: "RESERVATION-TOKEN", 0x0024: "PRIORITY",
        0x0025: "USE-CANDIDATE", 0x8000: "ADDITIONAL-ADDRESS-FAMILY", 0x8001: "ADDRESS-ERROR-CODE",
        0x8002: "PASSWORD-ALGORITHMS", 0x8003: "ALTERNATE-DOMAIN", 0x8004: "ICMP",
        0x8022: "SOFTWARE", 0x8023: "ALTERNATE-SERVER", 0x8028: "FINGERPRINT",
        0x8029: "ICE-CONTROLLED", 0x802A: "ICE-CONTROLLING", 0x802B: "RESPONSE-ORIGIN", 0x802C: "OTHER-ADDRESS",
    ]

    /// The registered name ("XOR-MAPPED-ADDRESS") or nil when this module does not know the type.
    public var name: String? { Self.names[rawValue] }

    /// True when the type is one of the registered types listed above.
    public var isKnown: Bool { name != nil }

    /// Every type listed above (STUN, RFC 3489, RFC 5780, ICE and TURN registrations).
    /// A client treating these as understood also follows RFC 8489 §11.1, which
    /// asks it to ignore RFC 3489's 0x0002, 0x0004 and 0x0005 in responses.
    public static let registered: Set<STUNAttributeType> = Set(names.keys.map { STUNAttributeType(rawValue: $0) })

    /// "XOR-MAPPED-ADDRESS" or "Unknown (0x7f01)".
    public var description: String { name ?? "Unknown (0x\(STUNFormat.hex(rawValue, digits: 4)))" }
}
