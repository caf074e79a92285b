// Exercise 09's reference model, written from RFC 8489 §6.2.1 inside the checks so the
// expected output of every script is computed, not copied; and the seeded generator the
// random scripts are drawn from (ExerciseChecks depends on nothing but ExerciseInterfaces).
import ExerciseInterfaces

/// RFC 8489 §6.2.1 as the checks read it: send at once; after send n (n < Rc) wait RTO·2^(n−1)
/// and send again; after send Rc wait Rm·RTO and give up. The first response with our id ends it.
struct StunTransactionReference: StunTransactionExercise {
    private let request: [UInt8]
    private let transactionID: [UInt8]
    private let configuration: StunTransactionConfiguration
    private var sent = 0
    private(set) var nextDeadline: Int?

    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        self.request = request
        self.transactionID = transactionID
        self.configuration = configuration
    }

    mutating func start(now: Int) throws -> [StunTransactionAction] {
        guard sent == 0 else { return [] }
        return send(at: now)
    }

    mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] {
        guard nextDeadline != nil, response.transactionID == transactionID else { return [] }
        nextDeadline = nil
        return [.completed(response)]
    }

    mutating func tick(now: Int) throws -> [StunTransactionAction] {
        guard let deadline = nextDeadline, now >= deadline else { return [] }
        guard sent < configuration.maxRequests else {
            nextDeadline = nil
            return [.timedOut]
        }
        return send(at: now)
    }

    private mutating func send(at now: Int) -> [StunTransactionAction] {
        sent += 1
        let rto = configuration.rtoMilliseconds
        nextDeadline = now + (sent < configuration.maxRequests ? rto << (sent - 1) : configuration.finalWaitMultiplier * rto)
        return [.send(request)]
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): the seeded generator of the random scripts, so a
/// seed printed in a failure reproduces the exact network.
struct CheckRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A number in `range` (the slight modulo bias does not matter for test scripts).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { int(in: 0...99) < percent }
}
