/// The Message Type byte that starts every DCEP message (RFC 8832 §5, registry §8.2.1).
///
/// An open struct so that an unknown type can be named in an error and a dissector;
/// only 0x02 and 0x03 are defined (0x00 and 0x01 are reserved).
public struct DCEPMessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8

    /// Creates a message type from its byte; any value is accepted.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// DATA_CHANNEL_ACK (0x02).
    public static let ack = DCEPMessageType(rawValue: 0x02)
    /// DATA_CHANNEL_OPEN (0x03).
    public static let open = DCEPMessageType(rawValue: 0x03)

    /// "DATA_CHANNEL_OPEN" or "message type 0x07".
    public var description: String {
        switch rawValue {
        case 0x02: return "DATA_CHANNEL_ACK"
        case 0x03: return "DATA_CHANNEL_OPEN"
        default: return "message type 0x" + hexByte(rawValue)
        }
    }
}
