// Exercise 12 — the receive side of SCTP streams (reference answer).
//
// Same file name, type name and public surface as exercises/12-stream-receive/StreamReceive.swift.
import ExerciseInterfaces

/// An SCTP data receiver: reassembly (RFC 9260 §6.9), ordered and unordered delivery
/// (§6.5, §6.6), duplicates (§6.2), FORWARD-TSN (RFC 3758 §3.6).
///
/// Three pieces of state, each answering one question:
/// - `cumulative` and `above`: which TSNs arrived (everything up to `cumulative`, and the
///   set `above` beyond it), which is how a duplicate is recognised even after its
///   message was delivered;
/// - `fragments`: the fragments of messages not yet whole, by TSN;
/// - `streams`: per ordered stream, the next SSN to deliver and the whole messages
///   waiting for it.
public struct StreamReceive: StreamReceiveExercise {
    /// One ordered stream's delivery state.
    struct OrderedStream {
        var nextSSN: UInt16 = 0
        var waiting: [UInt16: DeliveredMessage] = [:]
    }

    let limits: StreamReceiveLimits
    var cumulative: UInt32
    var above: Set<UInt32> = []
    var fragments: [UInt32: DataFragment] = [:]
    var streams: [UInt16: OrderedStream] = [:]
    /// Payload bytes in `fragments` and in the streams' waiting messages.
    var held = 0

    public init(initialTSN: UInt32, limits: StreamReceiveLimits) {
        self.limits = limits
        cumulative = initialTSN &- 1
    }

    public var cumulativeTSN: UInt32 { cumulative }

    /// RFC 1982 for 32 bits: is `a` after `b`? (Half the circle ahead is "after".)
    static func isAfter(_ a: UInt32, _ b: UInt32) -> Bool { a != b && a &- b < 1 << 31 }

    /// RFC 1982 for 16-bit SSNs.
    static func isAfter(_ a: UInt16, _ b: UInt16) -> Bool { a != b && a &- b < 1 << 15 }

    public mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] {
        let tsn = fragment.tsn
        // At or below the cumulative TSN, or already seen above it: a duplicate (§6.2).
        guard Self.isAfter(tsn, cumulative), !above.contains(tsn) else { return [] }
        guard tsn &- cumulative <= limits.tsnWindow else {
            throw StreamReceiveError.outsideWindow(tsn: tsn, cumulativeTSN: cumulative)
        }
        // The chunk right after the cumulative TSN is always taken, so a full buffer cannot deadlock.
        if tsn != cumulative &+ 1, held + fragment.payload.count > limits.maxBufferedBytes {
            throw StreamReceiveError.bufferFull(held: held, limit: limits.maxBufferedBytes)
        }
        above.insert(tsn)
        advanceCumulative()
        fragments[tsn] = fragment
        held += fragment.payload.count
        guard let message = assemble(around: fragment) else { return [] }
        return place(message)
    }

    public mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] {
        let target = forwardTSN.newCumulativeTSN
        guard Self.isAfter(target, cumulative) else { return [] }   // stale or repeated (§3.6)
        cumulative = target
        above = above.filter { Self.isAfter($0, target) }
        advanceCumulative()
        // Fragments at or below the New Cumulative TSN belong to abandoned messages, which can
        // never be whole. (Not those the cumulative TSN then moved over: they were received
        // beyond it and may still complete.)
        for (tsn, fragment) in fragments where !Self.isAfter(tsn, target) {
            fragments[tsn] = nil
            held -= fragment.payload.count
        }
        var delivered: [DeliveredMessage] = []
        for skip in forwardTSN.skipped {
            delivered += skipOrdered(stream: skip.stream, through: skip.ssn)
        }
        return delivered
    }

    /// Moves the cumulative TSN over every consecutive TSN received above it.
    mutating func advanceCumulative() {
        while above.remove(cumulative &+ 1) != nil { cumulative &+= 1 }
    }

    /// The whole message `fragment` belongs to, when every fragment from its B to its E
    /// (consecutive TSNs, same stream and kind) is here; removes those fragments.
    mutating func assemble(around fragment: DataFragment) -> DeliveredMessage? {
        func sameMessage(_ other: DataFragment) -> Bool {
            other.stream == fragment.stream && other.unordered == fragment.unordered
                && (fragment.unordered || other.ssn == fragment.ssn)
        }
        var first = fragment.tsn
        while !(fragments[first]?.begin ?? false) {
            guard let previous = fragments[first &- 1], sameMessage(previous), !previous.end else { return nil }
            first &-= 1
        }
        var last = fragment.tsn
        while !(fragments[last]?.end ?? false) {
            guard let next = fragments[last &+ 1], sameMessage(next), !next.begin else { return nil }
            last &+= 1
        }
        var payload: [UInt8] = []
        var tsn = first
        while true {
            if let piece = fragments.removeValue(forKey: tsn) {
                payload += piece.payload
                held -= piece.payload.count
            }
            if tsn == last { break }
            tsn &+= 1
        }
        return DeliveredMessage(stream: fragment.stream, ssn: fragment.ssn, unordered: fragment.unordered, payload: payload)
    }

    /// An unordered message goes out at once; an ordered one when its SSN is next (§6.5-6.6).
    mutating func place(_ message: DeliveredMessage) -> [DeliveredMessage] {
        if message.unordered { return [message] }
        var stream = streams[message.stream] ?? OrderedStream()
        defer { streams[message.stream] = stream }
        if message.ssn == stream.nextSSN {
            stream.nextSSN &+= 1
            return [message] + Self.drain(&stream, held: &held)
        }
        if Self.isAfter(message.ssn, stream.nextSSN), stream.waiting[message.ssn] == nil {
            stream.waiting[message.ssn] = message
            held += message.payload.count
        }
        // An SSN before the next one was skipped by a FORWARD-TSN: too late to deliver.
        return []
    }

    /// RFC 3758 §3.6: deliver what waits up to `ssn`, in order, then expect `ssn + 1`.
    mutating func skipOrdered(stream id: UInt16, through ssn: UInt16) -> [DeliveredMessage] {
        var stream = streams[id] ?? OrderedStream()
        defer { streams[id] = stream }
        guard !Self.isAfter(stream.nextSSN, ssn &+ 1) else { return [] }   // nothing new skipped
        var delivered: [DeliveredMessage] = []
        while stream.nextSSN != ssn &+ 1 {
            if let message = stream.waiting.removeValue(forKey: stream.nextSSN) {
                held -= message.payload.count
                delivered.append(message)
            }
            stream.nextSSN &+= 1
        }
        return delivered + Self.drain(&stream, held: &held)
    }

    /// The waiting messages that follow the next SSN without a gap.
    static func drain(_ stream: inout OrderedStream, held: inout Int) -> [DeliveredMessage] {
        var delivered: [DeliveredMessage] = []
        while let message = stream.waiting.removeValue(forKey: stream.nextSSN) {
            held -= message.payload.count
            delivered.append(message)
            stream.nextSSN &+= 1
        }
        return delivered
    }
}
