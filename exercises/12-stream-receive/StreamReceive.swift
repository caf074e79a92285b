// Exercise 12 — the receive side of SCTP streams (RFC 9260 §6.5, §6.6, §6.9; RFC 3758 §3.6).
//
// Your task (details, pictures and hints in README.md next to this file): a receiver that
// takes DATA chunk fragments and FORWARD-TSNs in the order they arrive and returns the
// messages to deliver:
//   1. reassemble each message from its fragments (consecutive TSNs, B first, E last);
//   2. unordered messages as soon as they are whole, ordered ones in SSN order per stream;
//   3. drop duplicates (at or below the cumulative TSN, or already received above it);
//   4. refuse, with a StreamReceiveError, what the limits do not allow;
//   5. a FORWARD-TSN moves the cumulative TSN, drops partial messages below it, and lets
//      each ordered stream it names move past the skipped SSNs.
// TSNs are 32-bit and SSNs 16-bit serial numbers: they wrap (RFC 1982), so compare them
// with `a &- b`, never with `<`.
// Check your answer with:  lab check 12
// Then put it on real traffic:  sctp-streams --use-exercise
//
// The DATA chunk (RFC 9260 §3.3.1) each DataFragment comes from:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |   Type = 0    | Reserved|I|U|B|E|           Length              |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                              TSN                              |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |      Stream Identifier S      |   Stream Sequence Number n    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                  Payload Protocol Identifier                  |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   \                 User Data (seq n of Stream S)                 /
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import ExerciseInterfaces

/// The receive side of an SCTP association's streams.
public struct StreamReceive: StreamReceiveExercise {
    /// A receiver whose peer's first TSN is `initialTSN`.
    public init(initialTSN: UInt32, limits: StreamReceiveLimits) {}

    /// Every TSN up to this one has arrived (or was skipped).
    public var cumulativeTSN: UInt32 { 0 }

    /// Takes one fragment; returns the messages it makes deliverable.
    public mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] {
        throw ExerciseError.notImplemented
    }

    /// Takes a FORWARD-TSN; returns the messages it makes deliverable.
    public mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] {
        throw ExerciseError.notImplemented
    }
}
