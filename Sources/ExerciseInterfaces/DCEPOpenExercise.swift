// Exercise 07 — DATA_CHANNEL_OPEN, the first message of every DCEP channel (RFC 8832 §5.1).
//
// When an application calls createDataChannel("chat"), the browser picks a stream id and
// sends, on that stream, one SCTP message with PPID 50 (DCEP): the OPEN. It carries
// everything the other side must know to create the same channel: its type (ordered or
// not, how reliable), priority, the reliability limit, the label and the subprotocol.
// The peer answers with a one-byte DATA_CHANNEL_ACK. The student writes both directions
// of the OPEN's codec over plain values, so the checks compare bytes with hand-written
// RFC layouts, and `datachannel-chat echo --use-exercise` puts the same two functions on
// real traffic: keep these signatures as they are.

/// The fields of one DATA_CHANNEL_OPEN, as plain numbers and strings.
///
/// Every value a field can hold on the wire can be held here and nothing more: the
/// numbers have the wire's widths, and the channel type is the raw byte (a type RFC 8832
/// does not define is still a byte, and a decoder carries it unchanged).
public struct DCEPOpenFields: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Channel Type: 0x00 reliable, 0x01 limited retransmissions, 0x02 limited lifetime;
    /// the high bit 0x80 makes each unordered (0x80, 0x81, 0x82).
    public var channelType: UInt8
    /// Priority (RFC 8831 §6.4; browsers send 128, 256, 512 or 1024).
    public var priority: UInt16
    /// Reliability Parameter: the number of retransmissions (0x01, 0x81) or the lifetime
    /// in milliseconds (0x02, 0x82); 0 for the reliable types.
    public var reliabilityParameter: UInt32
    /// Label: the channel's name, any Unicode text (sent as UTF-8), possibly empty.
    public var label: String
    /// Protocol: the subprotocol the application speaks on the channel, or empty.
    public var `protocol`: String

    /// Creates the fields of an OPEN.
    public init(channelType: UInt8, priority: UInt16, reliabilityParameter: UInt32, label: String, protocol: String) {
        self.channelType = channelType
        self.priority = priority
        self.reliabilityParameter = reliabilityParameter
        self.label = label
        self.protocol = `protocol`
    }

    /// `channelType: 0x81, priority: 256, reliabilityParameter: 3, label: "chat", protocol: ""`.
    public var description: String {
        let digits = Array("0123456789abcdef")
        let type = "0x" + String([digits[Int(channelType >> 4)], digits[Int(channelType & 0x0F)]])
        return "channelType: \(type), priority: \(priority), reliabilityParameter: \(reliabilityParameter), "
            + "label: \(String(reflecting: label)), protocol: \(String(reflecting: `protocol`))"
    }
}

/// Exercise 07: encode and decode DATA_CHANNEL_OPEN (RFC 8832 §5.1).
///
/// Implemented by `Exercises.DCEPOpen` (exercises/07-dcep-open/DCEPOpen.swift) and
/// `Solutions.DCEPOpen`.
public protocol DCEPOpenExercise {
    /// The whole OPEN message for `open`, Message Type byte (0x03) first: 12 bytes of
    /// fixed fields in network byte order, then the label's UTF-8 bytes, then the
    /// protocol's, with no padding and no terminator.
    ///
    /// Throws `ExerciseError.invalidInput` when the label or the protocol is longer than
    /// 65535 UTF-8 bytes (its 16-bit length could not say so).
    static func encodeOpen(_ open: DCEPOpenFields) throws -> [UInt8]

    /// The fields of the OPEN that `bytes` holds: exactly one SCTP message's payload.
    ///
    /// Returns nil when `bytes` is not exactly one well-formed OPEN: fewer than 12 bytes,
    /// a Message Type other than 0x03, a label or protocol length that runs past the end,
    /// bytes left over after the protocol, or a label or protocol that is not valid
    /// UTF-8. A malformed message comes from the network: it is refused with nil, never
    /// with a throw or a trap. The Channel Type byte is copied whatever its value.
    static func decodeOpen(_ bytes: [UInt8]) throws -> DCEPOpenFields?
}
