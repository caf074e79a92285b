/// How hard the sender tries before abandoning a message (RFC 8831 §6.6; W3C
/// `maxRetransmits` and `maxPacketLifeTime`, which cannot both be set: one case each).
public enum DataChannelReliability: Hashable, Sendable {
    /// Retransmit until acknowledged (channel types 0x00, 0x80).
    case reliable
    /// Abandon after this many retransmissions; 0 sends once (types 0x01, 0x81).
    case maxRetransmits(UInt32)
    /// Abandon once the message is this old (types 0x02, 0x82).
    case maxPacketLifeTime(milliseconds: UInt32)
}

/// What a channel is: what `DataChannelRegistry.open` is given, and what an incoming
/// DATA_CHANNEL_OPEN announces (W3C RTCDataChannelInit plus the label).
public struct DataChannelParameters: Hashable, Sendable {
    /// The channel's name, for the application.
    public var label: String
    /// The subprotocol the application speaks, or empty.
    public var `protocol`: String
    /// Deliver in the order sent (true) or as soon as a message arrives.
    public var ordered: Bool
    /// Full or partial reliability.
    public var reliability: DataChannelReliability
    /// RFC 8831 §6.4 priority (W3C: 128 very-low, 256 low, 512 medium, 1024 high).
    public var priority: UInt16
    /// The stream id both sides agreed out of band (W3C `negotiated: true` with `id`),
    /// or nil to open the channel in band with DCEP.
    public var negotiatedID: UInt16?

    /// Creates parameters; the defaults are W3C's (ordered, reliable, priority low, in band).
    public init(label: String = "", protocol: String = "", ordered: Bool = true,
                reliability: DataChannelReliability = .reliable, priority: UInt16 = 256,
                negotiatedID: UInt16? = nil) {
        self.label = label
        self.protocol = `protocol`
        self.ordered = ordered
        self.reliability = reliability
        self.priority = priority
        self.negotiatedID = negotiatedID
    }

    /// The parameters a peer's OPEN announces (RFC 8832 §5.1); `negotiatedID` is nil.
    /// An unknown channel type throws `.unknownChannelType` (a peer violation: there is
    /// no way to honour it). The reliability parameter of a reliable type is ignored,
    /// as the RFC asks.
    public init(open: DataChannelOpen) throws(DataChannelError) {
        let reliability: DataChannelReliability
        switch open.channelType.rawValue & 0x7F {
        case 0x00 where open.channelType.isKnown: reliability = .reliable
        case 0x01 where open.channelType.isKnown: reliability = .maxRetransmits(open.reliabilityParameter)
        case 0x02 where open.channelType.isKnown: reliability = .maxPacketLifeTime(milliseconds: open.reliabilityParameter)
        default: throw .peer(.unknownChannelType, "\(open.channelType) is not a channel type of RFC 8832 §8.2.2")
        }
        self.init(label: open.label, protocol: open.protocol, ordered: open.channelType.isOrdered,
                  reliability: reliability, priority: open.priority, negotiatedID: nil)
    }

    /// The OPEN's channel type for `ordered` and `reliability`.
    public var channelType: DataChannelType {
        let unordered: UInt8 = ordered ? 0x00 : 0x80
        switch reliability {
        case .reliable: return DataChannelType(rawValue: 0x00 | unordered)
        case .maxRetransmits: return DataChannelType(rawValue: 0x01 | unordered)
        case .maxPacketLifeTime: return DataChannelType(rawValue: 0x02 | unordered)
        }
    }

    /// The OPEN's reliability parameter: the count, the milliseconds, or 0 when reliable.
    public var reliabilityParameter: UInt32 {
        switch reliability {
        case .reliable: return 0
        case let .maxRetransmits(count): return count
        case let .maxPacketLifeTime(milliseconds): return milliseconds
        }
    }

    /// The DATA_CHANNEL_OPEN that announces these parameters.
    public var openMessage: DataChannelOpen {
        DataChannelOpen(channelType: channelType, priority: priority, reliabilityParameter: reliabilityParameter,
                        label: label, protocol: `protocol`)
    }

    /// Throws `.invalidParameters` (the caller's) when the label or protocol is longer
    /// than the 65 535 UTF-8 bytes an OPEN can carry (W3C refuses those with a TypeError).
    public func validate() throws(DataChannelError) {
        for (name, text) in [("label", label), ("protocol", `protocol`)] where text.utf8.count > DataChannelOpen.maximumFieldLength {
            throw .caller(.invalidParameters, "the \(name) is \(text.utf8.count) UTF-8 bytes, at most \(DataChannelOpen.maximumFieldLength) fit a DATA_CHANNEL_OPEN")
        }
    }
}
