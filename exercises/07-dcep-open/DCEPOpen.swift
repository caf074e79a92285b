// Exercise 07 — DATA_CHANNEL_OPEN (RFC 8832 §5.1).
//
// Your task (details and hints in README.md next to this file):
//   1. encodeOpen: the bytes of the OPEN a peer sends to create a channel.
//   2. decodeOpen: the fields of an OPEN that arrived, or nil when the bytes are not one.
// Check your answer with:  lab check 07
// Then put it on real traffic:  datachannel-chat echo --use-exercise ...
//
// RFC 8832 §5.1, the whole message (numbers in network byte order, most significant byte first):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  Message Type |  Channel Type |            Priority           |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                    Reliability Parameter                      |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |         Label Length          |       Protocol Length         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   \                                                               /
//   |                             Label                             |
//   /                                                               \
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   \                                                               /
//   |                            Protocol                           |
//   /                                                               \
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
//   Message Type 0x03 (DATA_CHANNEL_OPEN). The lengths count UTF-8 BYTES, not characters.
import ExerciseInterfaces

/// The DATA_CHANNEL_OPEN codec.
public enum DCEPOpen: DCEPOpenExercise {
    /// The whole OPEN for `open`, Message Type first; throws invalidInput for a label or protocol over 65535 bytes.
    public static func encodeOpen(_ open: DCEPOpenFields) throws -> [UInt8] {
        throw ExerciseError.notImplemented
    }

    /// The fields of the OPEN in `bytes`; nil when `bytes` is not exactly one well-formed OPEN.
    public static func decodeOpen(_ bytes: [UInt8]) throws -> DCEPOpenFields? {
        throw ExerciseError.notImplemented
    }
}
