// Exercise 07 — DATA_CHANNEL_OPEN (reference answer).
//
// Same file name, type name and public surface as exercises/07-dcep-open/DCEPOpen.swift.
import ExerciseInterfaces

/// The DATA_CHANNEL_OPEN codec.
public enum DCEPOpen: DCEPOpenExercise {
    /// RFC 8832 §5.1: type 0x03, the channel type byte, the priority (16 bits) and the
    /// reliability parameter (32 bits) most significant byte first, the two 16-bit
    /// lengths, then the label and protocol bytes back to back. The lengths are of the
    /// UTF-8 encoding: "météo" is 5 characters and 7 bytes.
    public static func encodeOpen(_ open: DCEPOpenFields) throws -> [UInt8] {
        let label = Array(open.label.utf8), subprotocol = Array(open.protocol.utf8)
        guard let labelLength = UInt16(exactly: label.count) else {
            throw ExerciseError.invalidInput("the label is \(label.count) UTF-8 bytes; Label Length is 16 bits (at most 65535)")
        }
        guard let protocolLength = UInt16(exactly: subprotocol.count) else {
            throw ExerciseError.invalidInput(
                "the protocol is \(subprotocol.count) UTF-8 bytes; Protocol Length is 16 bits (at most 65535)")
        }
        var bytes: [UInt8] = [0x03, open.channelType]
        bytes.reserveCapacity(12 + label.count + subprotocol.count)
        append(open.priority, to: &bytes)
        append(open.reliabilityParameter, to: &bytes)
        append(labelLength, to: &bytes)
        append(protocolLength, to: &bytes)
        return bytes + label + subprotocol
    }

    /// Reads the fixed 12 bytes, then insists that the two lengths account for every
    /// remaining byte: one SCTP message holds exactly one OPEN, so a shortfall is a
    /// truncated message and a surplus is garbage, not a second message. The channel type
    /// is not judged here (deciding whether to open an unknown type is the caller's job).
    public static func decodeOpen(_ bytes: [UInt8]) throws -> DCEPOpenFields? {
        guard bytes.count >= 12, bytes[0] == 0x03 else { return nil }
        let labelLength = Int(number(bytes[8..<10])), protocolLength = Int(number(bytes[10..<12]))
        guard bytes.count - 12 == labelLength + protocolLength else { return nil }
        let labelEnd = 12 + labelLength
        guard let label = String(validating: bytes[12..<labelEnd], as: UTF8.self),
              let subprotocol = String(validating: bytes[labelEnd...], as: UTF8.self) else { return nil }
        return DCEPOpenFields(channelType: bytes[1], priority: UInt16(number(bytes[2..<4])),
                              reliabilityParameter: UInt32(number(bytes[4..<8])), label: label, protocol: subprotocol)
    }

    /// Appends `value` in network byte order.
    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for shift in stride(from: T.bitWidth - 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// The big-endian number in `slice` (at most 4 bytes here).
    static func number(_ slice: ArraySlice<UInt8>) -> UInt32 {
        slice.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
