// Exercise 02 — STUN coding (RFC 8489).
//
// Your task (details and hints in README.md next to this file):
//   1. encodeBindingRequest: the 20-byte header of a Binding request with no attributes.
//   2. decodeXORMappedAddress: turn the value of an XOR-MAPPED-ADDRESS attribute back into
//      a family, a port and an address, for IPv4 and IPv6.
//   Throw ExerciseError.invalidInput("why") for input the RFC does not allow.
// Check your answer with:  lab check 02
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
public enum STUNCoding: STUNCodingExercise {
    /// Returns the 20 bytes of a Binding request carrying `transactionID` (which must be 12 bytes).
    public static func encodeBindingRequest(transactionID: [UInt8]) throws -> [UInt8] {
        throw ExerciseError.notImplemented
    }

    /// Decodes `value`, the bytes of an XOR-MAPPED-ADDRESS attribute after its type and length.
    /// `transactionID` is the 12-byte id of the message the attribute came in.
    public static func decodeXORMappedAddress(_ value: [UInt8], transactionID: [UInt8]) throws -> DecodedAddress {
        throw ExerciseError.notImplemented
    }
}
