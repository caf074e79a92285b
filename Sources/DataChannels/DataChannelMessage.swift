/// One application message on a channel: W3C `send(string)` or `send(bytes)`.
public enum DataChannelMessage: Hashable, Sendable {
    /// Text, sent as UTF-8 with PPID 51 (56 when empty).
    case text(String)
    /// Bytes, sent with PPID 53 (57 when empty).
    case binary([UInt8])

    /// The size of the payload: UTF-8 bytes for text (what W3C `bufferedAmount` counts).
    public var byteCount: Int {
        switch self {
        case let .text(text): return text.utf8.count
        case let .binary(bytes): return bytes.count
        }
    }

    /// True for an empty string or an empty byte array.
    public var isEmpty: Bool { byteCount == 0 }
}

/// One SCTP message to send: what `DataChannelRegistry.outbound` returns and what a
/// `.send` action carries. The caller hands it to the association as it is.
public struct OutboundMessage: Hashable, Sendable {
    /// The SCTP stream id.
    public var stream: UInt16
    /// The PPID to put in the DATA chunk.
    public var ppid: PayloadProtocolIdentifier
    /// The whole message (never empty: empty messages travel as one zero byte).
    public var bytes: [UInt8]
    /// Ordered delivery. False only for an unordered channel once its OPEN is
    /// acknowledged (RFC 8832 §6); DCEP messages are always ordered.
    public var ordered: Bool
    /// Partial reliability for this message; DCEP messages are always reliable.
    public var reliability: DataChannelReliability

    /// Creates a message to send.
    public init(stream: UInt16, ppid: PayloadProtocolIdentifier, bytes: [UInt8], ordered: Bool = true,
                reliability: DataChannelReliability = .reliable) {
        self.stream = stream
        self.ppid = ppid
        self.bytes = bytes
        self.ordered = ordered
        self.reliability = reliability
    }
}
