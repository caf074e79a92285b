/// The Channel Type byte of a DATA_CHANNEL_OPEN (RFC 8832 §5.1, registry §8.2.2):
/// ordered or not, and how reliable.
///
/// The high bit (0x80) means unordered; the low bits pick the reliability: 0x00
/// reliable, 0x01 partial reliability by retransmission count, 0x02 by lifetime. An
/// open struct rather than an enum, so a type this module does not know still parses
/// and re-encodes (`isKnown` is false); such an OPEN opens no channel.
public struct DataChannelType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8

    /// Creates a channel type from its byte; any value is accepted.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// DATA_CHANNEL_RELIABLE (0x00): ordered, every message retransmitted until acknowledged.
    public static let reliable = DataChannelType(rawValue: 0x00)
    /// DATA_CHANNEL_RELIABLE_UNORDERED (0x80).
    public static let reliableUnordered = DataChannelType(rawValue: 0x80)
    /// DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT (0x01): ordered, abandoned after the
    /// reliability parameter's number of retransmissions.
    public static let partialReliableRexmit = DataChannelType(rawValue: 0x01)
    /// DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED (0x81).
    public static let partialReliableRexmitUnordered = DataChannelType(rawValue: 0x81)
    /// DATA_CHANNEL_PARTIAL_RELIABLE_TIMED (0x02): ordered, abandoned once the
    /// reliability parameter's number of milliseconds has passed.
    public static let partialReliableTimed = DataChannelType(rawValue: 0x02)
    /// DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED (0x82).
    public static let partialReliableTimedUnordered = DataChannelType(rawValue: 0x82)

    /// The six types RFC 8832 defines, in registry order.
    public static let allKnown: [DataChannelType] = [
        .reliable, .partialReliableRexmit, .partialReliableTimed,
        .reliableUnordered, .partialReliableRexmitUnordered, .partialReliableTimedUnordered,
    ]

    /// False when the unordered bit (0x80) is set.
    public var isOrdered: Bool { rawValue & 0x80 == 0 }

    /// True for the six types RFC 8832 defines.
    public var isKnown: Bool { Self.allKnown.contains(self) }

    /// The registry name ("DATA_CHANNEL_RELIABLE_UNORDERED") or "channel type 0x05".
    public var description: String {
        switch rawValue {
        case 0x00: return "DATA_CHANNEL_RELIABLE"
        case 0x80: return "DATA_CHANNEL_RELIABLE_UNORDERED"
        case 0x01: return "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT"
        case 0x81: return "DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED"
        case 0x02: return "DATA_CHANNEL_PARTIAL_RELIABLE_TIMED"
        case 0x82: return "DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED"
        default: return "channel type 0x" + hexByte(rawValue)
        }
    }
}

/// Two lowercase hex digits (Wire stays free of Foundation's formatting).
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
