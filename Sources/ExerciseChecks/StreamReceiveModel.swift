// The rules of exercise 12 as a model: the checks feed it every input they feed the
// student's receiver and compare the two answers step by step, so a failure names the
// first input where they part.
//
// It is written differently from the reference answer in solutions/12-stream-receive on
// purpose, so that the two agreeing (the tests prove it on every scenario the checks
// generate) means something: the model unwraps every TSN and SSN into a 64-bit sequence
// number next to the one it is compared with, so no serial arithmetic is left in the
// rules, and it recomputes the buffered bytes from its state instead of keeping a count.
import ExerciseInterfaces

/// An SCTP data receiver: reassembly (RFC 9260 §6.9), ordered and unordered delivery
/// (§6.5, §6.6), duplicates (§6.2), FORWARD-TSN (RFC 3758 §3.6).
struct StreamReceiveModel: StreamReceiveExercise {
    let limits: StreamReceiveLimits
    /// Every TSN up to here arrived or was skipped (unwrapped).
    var cumulative: Int64
    /// TSNs that arrived beyond `cumulative` (unwrapped).
    var arrivedAbove: Set<Int64> = []
    /// Fragments of messages that are not whole yet, by unwrapped TSN.
    var pieces: [Int64: DataFragment] = [:]
    /// Per ordered stream, the next SSN to hand over (unwrapped; a stream starts at 0).
    var nextSSN: [UInt16: Int64] = [:]
    /// Per ordered stream, whole messages waiting for their turn, by unwrapped SSN.
    var waiting: [UInt16: [Int64: DeliveredMessage]] = [:]

    init(initialTSN: UInt32, limits: StreamReceiveLimits) {
        self.limits = limits
        cumulative = Int64(initialTSN) - 1
    }

    var cumulativeTSN: UInt32 { UInt32(truncatingIfNeeded: cumulative) }

    /// The payload bytes held: fragments not yet whole, and whole messages waiting.
    var held: Int {
        pieces.values.reduce(0) { $0 + $1.payload.count }
            + waiting.values.reduce(0) { total, queue in queue.values.reduce(total) { $0 + $1.payload.count } }
    }

    /// `tsn` as the sequence number within half the 32-bit circle of `cumulative` (RFC 1982).
    func unwrap(_ tsn: UInt32) -> Int64 {
        cumulative + Int64(Int32(bitPattern: tsn &- UInt32(truncatingIfNeeded: cumulative)))
    }

    /// `ssn` as the sequence number within half the 16-bit circle of `next` (RFC 1982).
    static func unwrap(_ ssn: UInt16, near next: Int64) -> Int64 {
        next + Int64(Int16(bitPattern: ssn &- UInt16(truncatingIfNeeded: next)))
    }

    mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] {
        let tsn = unwrap(fragment.tsn)
        guard tsn > cumulative, !arrivedAbove.contains(tsn) else { return [] }   // a duplicate (§6.2)
        guard tsn - cumulative <= Int64(limits.tsnWindow) else {
            throw StreamReceiveError.outsideWindow(tsn: fragment.tsn, cumulativeTSN: cumulativeTSN)
        }
        // The next TSN is always taken: refusing it could leave the buffer full for ever.
        if tsn != cumulative + 1, held + fragment.payload.count > limits.maxBufferedBytes {
            throw StreamReceiveError.bufferFull(held: held, limit: limits.maxBufferedBytes)
        }
        arrivedAbove.insert(tsn)
        pieces[tsn] = fragment
        moveCumulativeOverArrivals()
        guard let message = wholeMessage(at: tsn) else { return [] }
        guard !message.unordered else { return [message] }
        return handOver(message)
    }

    mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] {
        let target = unwrap(forwardTSN.newCumulativeTSN)
        guard target > cumulative else { return [] }   // stale or repeated (§3.6)
        cumulative = target
        arrivedAbove = arrivedAbove.filter { $0 > target }
        moveCumulativeOverArrivals()
        // What is at or below the target belongs to messages the sender abandoned.
        pieces = pieces.filter { $0.key > target }
        return forwardTSN.skipped.flatMap { skip(stream: $0.stream, through: $0.ssn) }
    }

    mutating func moveCumulativeOverArrivals() {
        while arrivedAbove.remove(cumulative + 1) != nil { cumulative += 1 }
    }

    /// The message the fragment at `tsn` completes, taken out of `pieces`, or nil.
    mutating func wholeMessage(at tsn: Int64) -> DeliveredMessage? {
        let fragment = pieces[tsn]!
        func belongs(_ other: DataFragment) -> Bool {
            other.stream == fragment.stream && other.unordered == fragment.unordered
                && (fragment.unordered || other.ssn == fragment.ssn)
        }
        var range = tsn...tsn
        while !pieces[range.lowerBound]!.begin {
            guard let before = pieces[range.lowerBound - 1], belongs(before), !before.end else { return nil }
            range = (range.lowerBound - 1)...range.upperBound
        }
        while !pieces[range.upperBound]!.end {
            guard let after = pieces[range.upperBound + 1], belongs(after), !after.begin else { return nil }
            range = range.lowerBound...(range.upperBound + 1)
        }
        let payload = range.flatMap { pieces.removeValue(forKey: $0)!.payload }
        return DeliveredMessage(stream: fragment.stream, ssn: fragment.ssn, unordered: fragment.unordered, payload: payload)
    }

    /// An ordered message whose turn it is goes out with those waiting behind it; a later
    /// one waits; an earlier one was skipped by a FORWARD-TSN and is dropped (§6.5).
    mutating func handOver(_ message: DeliveredMessage) -> [DeliveredMessage] {
        let next = nextSSN[message.stream] ?? 0
        let ssn = Self.unwrap(message.ssn, near: next)
        if ssn > next, waiting[message.stream]?[ssn] == nil { waiting[message.stream, default: [:]][ssn] = message }
        guard ssn == next else { return [] }
        nextSSN[message.stream] = next + 1
        return [message] + takeWaitingInTurn(stream: message.stream)
    }

    /// RFC 3758 §3.6: hand over what waits up to `ssn`, then expect the SSN after it.
    mutating func skip(stream: UInt16, through ssn: UInt16) -> [DeliveredMessage] {
        let next = nextSSN[stream] ?? 0
        // Half the circle away counts as ahead here: only an SSN strictly after the one to
        // resume at means the FORWARD-TSN is old news (RFC 1982 leaves that case undefined).
        let ahead = Int64(ssn &+ 1 &- UInt16(truncatingIfNeeded: next))
        let resume = next + (ahead > 1 << 15 ? ahead - (1 << 16) : ahead)
        guard resume >= next else { return [] }   // nothing new skipped
        var delivered: [DeliveredMessage] = []
        for skipped in next..<resume {
            if let message = waiting[stream]?.removeValue(forKey: skipped) { delivered.append(message) }
        }
        nextSSN[stream] = resume
        return delivered + takeWaitingInTurn(stream: stream)
    }

    mutating func takeWaitingInTurn(stream: UInt16) -> [DeliveredMessage] {
        var delivered: [DeliveredMessage] = []
        var next = nextSSN[stream] ?? 0
        while let message = waiting[stream]?.removeValue(forKey: next) {
            delivered.append(message)
            next += 1
        }
        nextSSN[stream] = next
        return delivered
    }
}
