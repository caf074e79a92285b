import Wire

/// One DCEP message (RFC 8832 §5): what an SCTP message with PPID 50 holds.
public enum DCEPMessage: Hashable, Sendable {
    /// DATA_CHANNEL_OPEN (0x03).
    case open(DataChannelOpen)
    /// DATA_CHANNEL_ACK (0x02).
    case ack(DataChannelAck)

    /// Decodes the whole of `bytes` as one DCEP message, chosen by its first byte.
    /// Every failure is a peer violation (`.truncated` for an empty input,
    /// `.unknownMessageType` for a first byte other than 0x02 or 0x03, and the codecs'
    /// own errors).
    public init(parsing bytes: [UInt8]) throws(DataChannelError) {
        var reader = ByteReader(bytes)
        try self.init(parsing: &reader)
    }

    /// Decodes the rest of `reader` (one SCTP message) as one DCEP message.
    public init(parsing reader: inout ByteReader) throws(DataChannelError) {
        guard let first = try? reader.peekUInt8() else {
            throw .peer(.truncated, "an empty DCEP message")
        }
        switch DCEPMessageType(rawValue: first) {
        case .open: self = .open(try DataChannelOpen(parsing: &reader))
        case .ack: self = .ack(try DataChannelAck(parsing: &reader))
        case let other: throw .peer(.unknownMessageType, "\(other) is not a DCEP message type (RFC 8832 §8.2.1)")
        }
    }

    /// The message's type byte.
    public var messageType: DCEPMessageType {
        switch self {
        case .open: return .open
        case .ack: return .ack
        }
    }

    /// Appends the message.
    public func encode(into writer: inout ByteWriter) {
        switch self {
        case let .open(open): open.encode(into: &writer)
        case let .ack(ack): ack.encode(into: &writer)
        }
    }

    /// The encoded message.
    public var bytes: [UInt8] {
        switch self {
        case let .open(open): return open.bytes
        case let .ack(ack): return ack.bytes
        }
    }
}
