/// The SCTP Payload Protocol Identifier of a WebRTC message (RFC 8831 §8, RFC 8832 §8.1):
/// what the bytes of one SCTP message are.
///
/// An open struct rather than an enum, so an identifier WebRTC does not use still
/// travels and prints (the registry reports and drops such messages).
public struct PayloadProtocolIdentifier: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 32-bit value of the DATA chunk's PPID field (host order).
    public var rawValue: UInt32

    /// Creates an identifier from its value; any value is accepted.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// 50: WebRTC DCEP, a DATA_CHANNEL_OPEN or DATA_CHANNEL_ACK (RFC 8832).
    public static let dcep = PayloadProtocolIdentifier(rawValue: 50)
    /// 51: WebRTC String, a UTF-8 text message.
    public static let string = PayloadProtocolIdentifier(rawValue: 51)
    /// 52: WebRTC Binary Partial, deprecated: a piece of a binary message split by the sender.
    public static let binaryPartial = PayloadProtocolIdentifier(rawValue: 52)
    /// 53: WebRTC Binary, a binary message.
    public static let binary = PayloadProtocolIdentifier(rawValue: 53)
    /// 54: WebRTC String Partial, deprecated: a piece of a text message split by the sender.
    public static let stringPartial = PayloadProtocolIdentifier(rawValue: 54)
    /// 56: WebRTC String Empty: an empty text message, sent as one zero byte (SCTP
    /// cannot carry an empty message).
    public static let stringEmpty = PayloadProtocolIdentifier(rawValue: 56)
    /// 57: WebRTC Binary Empty: an empty binary message, sent as one zero byte.
    public static let binaryEmpty = PayloadProtocolIdentifier(rawValue: 57)

    /// True for 52 and 54, which RFC 8831 §8 keeps only for old peers: they marked
    /// pieces of a message the sender fragmented itself, before SCTP's explicit EOR.
    public var isDeprecated: Bool { self == .binaryPartial || self == .stringPartial }

    /// True for the identifiers of text messages: 51, 54 and 56.
    public var isString: Bool { self == .string || self == .stringPartial || self == .stringEmpty }

    /// True for the identifiers of binary messages: 52, 53 and 57.
    public var isBinary: Bool { self == .binary || self == .binaryPartial || self == .binaryEmpty }

    /// "WebRTC String (51)" or "PPID 7".
    public var description: String {
        switch rawValue {
        case 50: return "WebRTC DCEP (50)"
        case 51: return "WebRTC String (51)"
        case 52: return "WebRTC Binary Partial (52, deprecated)"
        case 53: return "WebRTC Binary (53)"
        case 54: return "WebRTC String Partial (54, deprecated)"
        case 56: return "WebRTC String Empty (56)"
        case 57: return "WebRTC Binary Empty (57)"
        default: return "PPID \(rawValue)"
        }
    }
}
