// Exercise 02 — STUN coding (reference answer).
//
// RFC 8489 §5, the STUN header:
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |0 0|     STUN Message Type     |         Message Length        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                         Magic Cookie                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                     Transaction ID (96 bits)                  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// RFC 8489 §14.2, the XOR-MAPPED-ADDRESS value:
//
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                X-Address (Variable: 32 or 128 bits)           |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import ExerciseInterfaces

/// A STUN Binding request encoder and an XOR-MAPPED-ADDRESS decoder.
///
/// Same file name, type name and public surface as exercises/02-stun-coding/STUNCoding.swift.
public enum STUNCoding: STUNCodingExercise {
    /// 0x2112A442 in network order (RFC 8489 §5).
    static let magicCookie: [UInt8] = [0x21, 0x12, 0xA4, 0x42]

    /// Header only: type Binding/request, length 0 (no attributes), cookie, transaction id.
    public static func encodeBindingRequest(transactionID: [UInt8]) throws -> [UInt8] {
        try requireTwelveBytes(transactionID)
        // Method Binding (0x001) with class request (C1 = C0 = 0) is type 0x0001; the two
        // leading zero bits are what tell STUN apart from other protocols on the same port.
        return [0x00, 0x01, 0x00, 0x00] + magicCookie + transactionID
    }

    /// Un-XORs port and address; the XOR exists so NATs that rewrite addresses they spot in
    /// payloads (ALGs) cannot corrupt the answer (RFC 8489 §14.2).
    public static func decodeXORMappedAddress(_ value: [UInt8], transactionID: [UInt8]) throws -> DecodedAddress {
        try requireTwelveBytes(transactionID)
        guard value.count >= 4 else {
            throw ExerciseError.invalidInput("value is \(value.count) bytes, shorter than the 4-byte family/port prefix")
        }
        // value[0] is reserved: senders write 0, receivers ignore it (RFC 8489 §14.1).
        let family = value[1]
        let addressLength: Int
        switch family {
        case 0x01: addressLength = 4
        case 0x02: addressLength = 16
        default: throw ExerciseError.invalidInput("unknown address family 0x\(String(family, radix: 16))")
        }
        guard value.count >= 4 + addressLength else {
            throw ExerciseError.invalidInput("family 0x0\(family) needs \(4 + addressLength) bytes, value has \(value.count)")
        }
        let xPort = UInt16(value[2]) << 8 | UInt16(value[3])
        // IPv4 is XORed with the cookie alone; IPv6 with the cookie followed by the transaction id.
        let key = magicCookie + transactionID
        let address = (0..<addressLength).map { value[4 + $0] ^ key[$0] }
        return DecodedAddress(family: family, port: xPort ^ 0x2112, address: address)
    }

    private static func requireTwelveBytes(_ transactionID: [UInt8]) throws {
        guard transactionID.count == 12 else {
            throw ExerciseError.invalidInput("transaction ID is \(transactionID.count) bytes, RFC 8489 §5 says 96 bits (12 bytes)")
        }
    }
}
