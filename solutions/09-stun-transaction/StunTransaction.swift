// Exercise 09 — the STUN client transaction (reference answer).
//
// Same file name, type name and public surface as exercises/09-stun-transaction/StunTransaction.swift.
import ExerciseInterfaces

/// One STUN client transaction over UDP (RFC 8489 §6.2.1).
public struct StunTransaction: StunTransactionExercise {
    /// Where the transaction stands, named by what it waits for.
    enum State: Equatable {
        /// Created, nothing sent.
        case notStarted
        /// `sent` requests are out; the next one is due at `retransmitAt`.
        case waitingForResponse(sent: Int, retransmitAt: Int)
        /// All Rc requests are out; a response is still welcome until `giveUpAt`.
        case waitingForLastChance(giveUpAt: Int)
        /// Over: completed or timed out. Nothing changes it any more.
        case finished
    }

    let request: [UInt8]
    let transactionID: [UInt8]
    let configuration: StunTransactionConfiguration
    private(set) var state = State.notStarted

    public init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        self.request = request
        self.transactionID = transactionID
        self.configuration = configuration
    }

    /// Sends request #1 and arms the first timer.
    public mutating func start(now: Int) throws -> [StunTransactionAction] {
        guard state == .notStarted else { return [] }
        state = afterSending(1, at: now)
        return [.send(request)]
    }

    /// Any response with our id ends the wait, whichever send it answers (they are identical,
    /// so nobody can tell); once finished, duplicates and late answers change nothing.
    public mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] {
        guard response.transactionID == transactionID else { return [] }
        switch state {
        case .waitingForResponse, .waitingForLastChance:
            state = .finished
            return [.completed(response)]
        case .notStarted, .finished:
            return []
        }
    }

    /// Does what is due at `now`, once: a tick before the deadline (an early wake-up) does nothing.
    public mutating func tick(now: Int) throws -> [StunTransactionAction] {
        switch state {
        case let .waitingForResponse(sent, retransmitAt) where now >= retransmitAt:
            // The next wait is measured from this send, so a caller that wakes late
            // delays the later sends instead of firing a burst to catch up.
            state = afterSending(sent + 1, at: now)
            return [.send(request)]
        case let .waitingForLastChance(giveUpAt) where now >= giveUpAt:
            state = .finished
            return [.timedOut]
        default:
            return []
        }
    }

    public var nextDeadline: Int? {
        switch state {
        case let .waitingForResponse(_, retransmitAt): return retransmitAt
        case let .waitingForLastChance(giveUpAt): return giveUpAt
        case .notStarted, .finished: return nil
        }
    }

    /// The state after request number `sent` went out at `now`: the wait before the next
    /// one is RTO doubled `sent - 1` times; after the Rc-th, the final wait is Rm × RTO.
    private func afterSending(_ sent: Int, at now: Int) -> State {
        let rto = configuration.rtoMilliseconds
        guard sent < configuration.maxRequests else {
            return .waitingForLastChance(giveUpAt: now + configuration.finalWaitMultiplier * rto)
        }
        var wait = rto
        for _ in 1..<sent { wait *= 2 }
        return .waitingForResponse(sent: sent, retransmitAt: now + wait)
    }
}
