// Exercise 12 — the receive side of an SCTP stream (RFC 9260 §6.5, §6.6, §6.9; RFC 3758 §3.6).
//
// A sender cuts each user message into DATA chunks. Each chunk carries a TSN (one
// number space for the whole association), its stream, its Stream Sequence Number
// (the message's number within an ordered stream), the B(eginning) and E(nd) flags
// that mark the first and last fragment, and the U flag of an unordered message.
// Chunks arrive in any order, some twice, some never; the receiver puts messages back
// together, hands ordered ones over in SSN order and unordered ones as soon as they are
// whole, and moves on when a FORWARD-TSN says the sender gave up on some (PR-SCTP).
// The student writes that receiver as a sans-IO value; the checks feed it seeded
// reorderings, and `sctp-streams --use-exercise` delivers a real run's messages through
// it: keep these signatures as they are.

/// One DATA chunk's fragment of a user message (RFC 9260 §3.3.1), as plain values.
public struct DataFragment: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Transmission Sequence Number: one 32-bit serial number per chunk, consecutive for
    /// the fragments of one message, wrapping from 4294967295 to 0 (RFC 1982 arithmetic).
    public var tsn: UInt32
    /// Stream Identifier S.
    public var stream: UInt16
    /// Stream Sequence Number n: the message's number on an ordered stream (16 bits,
    /// wrapping); every fragment of a message carries the same one. Meaningless when
    /// `unordered` is set (the receiver ignores it for ordering).
    public var ssn: UInt16
    /// The U flag: deliver this message as soon as it is whole, whatever its SSN.
    public var unordered: Bool
    /// The B flag: the first fragment of its message.
    public var begin: Bool
    /// The E flag: the last fragment of its message (B and E both set: an unfragmented message).
    public var end: Bool
    /// User Data: this fragment's bytes of the message.
    public var payload: [UInt8]

    /// Creates a fragment.
    public init(tsn: UInt32, stream: UInt16, ssn: UInt16, unordered: Bool, begin: Bool, end: Bool, payload: [UInt8]) {
        self.tsn = tsn
        self.stream = stream
        self.ssn = ssn
        self.unordered = unordered
        self.begin = begin
        self.end = end
        self.payload = payload
    }

    /// Short form: `{4294967295 s1#3 B- "ab"}`: TSN, stream, SSN, flags (B or -, E or -,
    /// u when unordered), payload.
    public var description: String {
        "{\(tsn) s\(stream)#\(ssn) \(begin ? "B" : "-")\(end ? "E" : "-")\(unordered ? "u" : "") \(StreamReceiveText.quoted(payload))}"
    }
}

/// A FORWARD-TSN chunk (RFC 3758 §3.2): the sender abandoned everything up to a TSN.
public struct ForwardTSN: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// One ordered stream's entry: the largest SSN being skipped on it.
    public struct Skip: Equatable, Hashable, Sendable {
        /// The stream.
        public var stream: UInt16
        /// The largest SSN the sender abandoned on it (16-bit serial number).
        public var ssn: UInt16

        /// Creates an entry.
        public init(stream: UInt16, ssn: UInt16) {
            self.stream = stream
            self.ssn = ssn
        }
    }

    /// New Cumulative TSN: treat every TSN up to this one (serial arithmetic) as received.
    public var newCumulativeTSN: UInt32
    /// For each ordered stream with abandoned messages, the largest skipped SSN.
    public var skipped: [Skip]

    /// Creates a FORWARD-TSN.
    public init(newCumulativeTSN: UInt32, skipped: [Skip]) {
        self.newCumulativeTSN = newCumulativeTSN
        self.skipped = skipped
    }

    /// Short form: `FWD(cum 12; s1#5 s3#2)`.
    public var description: String {
        "FWD(cum \(newCumulativeTSN)" + (skipped.isEmpty ? "" : "; " + skipped.map { "s\($0.stream)#\($0.ssn)" }.joined(separator: " "))
            + ")"
    }
}

/// A whole user message handed to the application.
public struct DeliveredMessage: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The stream it arrived on.
    public var stream: UInt16
    /// Its SSN (the value its fragments carried, also for an unordered message).
    public var ssn: UInt16
    /// True when it was sent unordered.
    public var unordered: Bool
    /// The message: every fragment's payload, in TSN order.
    public var payload: [UInt8]

    /// Creates a delivered message.
    public init(stream: UInt16, ssn: UInt16, unordered: Bool, payload: [UInt8]) {
        self.stream = stream
        self.ssn = ssn
        self.unordered = unordered
        self.payload = payload
    }

    /// Short form: `s1#3 "abcd"`, `s2 u "xy"`.
    public var description: String {
        "s\(stream)" + (unordered ? " u" : "#\(ssn)") + " " + StreamReceiveText.quoted(payload)
    }
}

/// How much a receiver may hold: a hostile or broken sender must not grow it without bound.
public struct StreamReceiveLimits: Equatable, Hashable, Sendable {
    /// Payload bytes held at most: fragments of incomplete messages, and whole ordered
    /// messages waiting for an earlier SSN.
    public var maxBufferedBytes: Int
    /// How far ahead of the cumulative TSN a fragment may be: a TSN more than this many
    /// numbers after `cumulativeTSN` is refused (SCTP's mapping array has a size too).
    public var tsnWindow: UInt32

    /// Creates limits (defaults: 1 MiB, 65536 TSNs).
    public init(maxBufferedBytes: Int = 1 << 20, tsnWindow: UInt32 = 65_536) {
        self.maxBufferedBytes = maxBufferedBytes
        self.tsnWindow = tsnWindow
    }
}

/// Why a receiver refused a fragment. A refused fragment changes nothing: it is as if it
/// never arrived (SCTP does not acknowledge it, so the sender sends it again).
public enum StreamReceiveError: Error, Equatable, Hashable, Sendable {
    /// Holding the fragment would take the buffered bytes above `maxBufferedBytes`.
    /// Never thrown for the fragment whose TSN is `cumulativeTSN + 1`: that one always
    /// fits, so a full buffer can always make progress (RFC 9260 §6.2).
    case bufferFull(held: Int, limit: Int)
    /// The TSN is more than `tsnWindow` numbers after the cumulative TSN.
    case outsideWindow(tsn: UInt32, cumulativeTSN: UInt32)
}

/// Exercise 12: the receive side of SCTP streams.
///
/// Implemented by `Exercises.StreamReceive` (exercises/12-stream-receive/StreamReceive.swift)
/// and `Solutions.StreamReceive`. A value (or class) created once per association and fed
/// every DATA chunk and FORWARD-TSN in the order they arrive.
public protocol StreamReceiveExercise {
    /// A receiver for a peer whose INIT said `initialTSN`: its first DATA chunk has that
    /// TSN, so the cumulative TSN starts one below it (`initialTSN &- 1`).
    init(initialTSN: UInt32, limits: StreamReceiveLimits)

    /// The Cumulative TSN Ack a SACK would carry: the last TSN up to which every TSN was
    /// received (or skipped by a FORWARD-TSN).
    var cumulativeTSN: UInt32 { get }

    /// Takes one fragment and returns the messages it makes deliverable (none, one, or
    /// several when it unblocks an ordered stream), each stream's in its delivery order.
    /// A fragment at or below the cumulative TSN, or one already received, is a duplicate:
    /// it is dropped and returns [].
    /// - Throws: `StreamReceiveError` for a fragment it refuses (its state is then unchanged).
    mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage]

    /// Takes a FORWARD-TSN (RFC 3758 §3.6): moves the cumulative TSN to its New
    /// Cumulative TSN, drops the fragments of incomplete messages at or below it, and on
    /// each ordered stream it names moves past the skipped SSNs, returning the messages
    /// that become deliverable. One at or below the cumulative TSN is stale: it returns [].
    mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage]
}

/// Text helpers of the exercise 12 values.
public enum StreamReceiveText {
    /// Bytes as a quoted string when they are printable ASCII (`"m3:0|"`), else hex (`<00 ff>`).
    public static func quoted(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ (0x20...0x7e).contains($0) && $0 != 0x22 && $0 != 0x5c }) {
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        let digits = Array("0123456789abcdef")
        return "<" + bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]]) }.joined(separator: " ") + ">"
    }
}
