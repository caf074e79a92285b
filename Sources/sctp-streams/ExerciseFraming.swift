import ExerciseInterfaces
import Wire

/// --use-exercise: how a fragment, and the news that a message was abandoned, travel as
/// SCTP messages, so that the student's exercise 12 receiver (not usrsctp) reassembles and
/// orders the run's messages.
///
/// usrsctp reassembles and orders internally and hands over whole messages only, so the
/// sender does SCTP's own cutting itself: each message becomes fragments with the fields
/// of a DATA chunk (RFC 9260 §3.3.1), and each fragment one SCTP message, sent UNORDERED
/// (so SCTP neither keeps the order nor waits for a gap) with the mode's PR-SCTP policy
/// (so a fragment can be lost for good). The fragment's TSN is also the carrier's PPID:
/// usrsctp's send-failure report names a message only by stream and PPID.
///
/// ```
///  fragment (on the message's own stream)        abandoned message (on `controlStream`)
///  0      'F'                                     0      'A'
///  1      flags: 0x04 U, 0x02 B, 0x01 E           1      flags: 0x04 U
///  2-3    stream                                  2-3    stream
///  4-7    TSN                                     4-7    first TSN
///  8-9    SSN                                     8-11   last TSN
///  10-    payload                                 12-13  SSN
/// ```
enum ExerciseFraming {
    /// The TSN of the first fragment: 64 below the wrap, so every run of more than 64
    /// fragments crosses from 4294967295 to 0 (RFC 1982 serial arithmetic in earnest).
    static let initialTSN: UInt32 = 0xFFFF_FFC0
    /// The stream of the abandonment notices: odd, so no train's stream (even ids) is it.
    static let controlStream: UInt16 = 1
    /// Bytes before a fragment's payload.
    static let fragmentHeader = 10
    static let fragmentTag: UInt8 = 0x46
    static let abandonedTag: UInt8 = 0x41

    /// A message the sender gave up on: its TSNs, stream and SSN.
    struct Abandoned: Equatable {
        var firstTSN: UInt32
        var lastTSN: UInt32
        var stream: UInt16
        var ssn: UInt16
        var unordered: Bool
    }

    static func encode(_ fragment: DataFragment) -> [UInt8] {
        var writer = ByteWriter(capacity: fragmentHeader + fragment.payload.count)
        writer.writeUInt8(fragmentTag)
        writer.writeUInt8((fragment.unordered ? 0x04 : 0) | (fragment.begin ? 0x02 : 0) | (fragment.end ? 0x01 : 0))
        writer.writeUInt16(fragment.stream)
        writer.writeUInt32(fragment.tsn)
        writer.writeUInt16(fragment.ssn)
        return writer.bytes + fragment.payload
    }

    static func encode(_ abandoned: Abandoned) -> [UInt8] {
        var writer = ByteWriter(capacity: 14)
        writer.writeUInt8(abandonedTag)
        writer.writeUInt8(abandoned.unordered ? 0x04 : 0)
        writer.writeUInt16(abandoned.stream)
        writer.writeUInt32(abandoned.firstTSN)
        writer.writeUInt32(abandoned.lastTSN)
        writer.writeUInt16(abandoned.ssn)
        return writer.bytes
    }

    /// The fragment an SCTP message carries; nil when it is not one.
    static func fragment(_ bytes: [UInt8]) -> DataFragment? {
        var reader = ByteReader(bytes)
        guard let tag = try? reader.readUInt8(), tag == fragmentTag, let flags = try? reader.readUInt8(),
              let stream = try? reader.readUInt16(), let tsn = try? reader.readUInt32(), let ssn = try? reader.readUInt16()
        else { return nil }
        return DataFragment(tsn: tsn, stream: stream, ssn: ssn, unordered: flags & 0x04 != 0, begin: flags & 0x02 != 0,
                            end: flags & 0x01 != 0, payload: Array(bytes[fragmentHeader...]))
    }

    /// The abandonment notice an SCTP message carries; nil when it is not one.
    static func abandoned(_ bytes: [UInt8]) -> Abandoned? {
        var reader = ByteReader(bytes)
        guard bytes.count == 14, let tag = try? reader.readUInt8(), tag == abandonedTag, let flags = try? reader.readUInt8(),
              let stream = try? reader.readUInt16(), let first = try? reader.readUInt32(), let last = try? reader.readUInt32(),
              let ssn = try? reader.readUInt16() else { return nil }
        return Abandoned(firstTSN: first, lastTSN: last, stream: stream, ssn: ssn, unordered: flags & 0x04 != 0)
    }

    /// RFC 1982: is `a` after `b`?
    static func isAfter(_ a: UInt32, _ b: UInt32) -> Bool { a != b && a &- b < 1 << 31 }
}
